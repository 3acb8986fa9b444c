// Connects to the test at load time; the connection closes only when this process is gone.
import { connect } from "node:net";

const socket = connect(Number(process.env.HOLD_PORT), "127.0.0.1");
socket.on("error", () => {});

export const handler = async () => ({ pid: process.pid });
