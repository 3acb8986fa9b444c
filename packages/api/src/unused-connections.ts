// Node's server.close() closes idle keep-alive connections, but waits for connections that never
// sent a request until its header timeout (up to a minute). Browsers open such spare connections
// (preconnects; fetch does too), and with the console open they would hold up every shutdown. At
// close they carry nothing, so they are destroyed.
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";

export function closeUnusedConnectionsOnClose(app: FastifyInstance): void {
  const unused = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  app.server.on("request", (request: { socket: Socket }) => {
    unused.delete(request.socket);
  });
  app.addHook("preClose", async () => {
    for (const socket of unused) socket.destroy();
    unused.clear();
  });
}
