import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "./app.js";
import { fakeService } from "./test-service.js";

const sockets: net.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
    sockets.push(socket);
  });
}

describe("closing the server", () => {
  it("does not wait for connections that never sent a request, and lets a finished keep-alive go", async () => {
    const app = createApi({ service: fakeService() });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as net.AddressInfo;
    const spare = await connect(port);
    const used = await connect(port);
    const answered = new Promise<string>((resolve) => used.once("data", (d) => resolve(d.toString())));
    used.write("GET /2015-03-31/functions HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n");
    expect(await answered).toMatch(/^HTTP\/1.1 200/);
    const closedBy = (s: net.Socket) => new Promise<void>((resolve) => s.once("close", () => resolve()));
    const bothClosed = Promise.all([closedBy(spare), closedBy(used)]);

    const started = Date.now();
    await app.close();
    await bothClosed;
    // Node alone would wait for its header timeout (a minute) on the spare connection.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
