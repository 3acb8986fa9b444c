// LISTEN/NOTIFY between the nodes sharing a database, against the machine's PostgreSQL: messages
// reach every channel of the same schema and none of another, and a channel whose connection the
// server terminates reconnects, says so (reset), and hears messages again.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PostgresNoticeChannel, channelName } from "./notice-channel.js";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-database.js";

let database: ScratchDatabase;
beforeAll(async () => {
  database = await createScratchDatabase({ prefix: "dormouse_notice_test" });
});
afterAll(async () => {
  await database?.drop();
});

const channels: PostgresNoticeChannel[] = [];
afterEach(async () => {
  for (const channel of channels.splice(0)) await channel.close();
});

async function open(schema?: string) {
  const channel = await PostgresNoticeChannel.open({ url: database.url, ...(schema && { schema }) });
  channels.push(channel);
  const messages: string[] = [];
  let resets = 0;
  channel.listen({ message: (m) => messages.push(m), reset: () => resets++ });
  return { channel, messages, resets: () => resets };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("PostgresNoticeChannel", () => {
  it("delivers every message to every channel of the schema, the sender's included, and to no other", async () => {
    const a = await open();
    const b = await open();
    const other = await open("elsewhere");
    await a.channel.send(["one", "two", "x".repeat(a.channel.maxMessageBytes)]);
    await until(
      "both channels to hear three messages",
      () => a.messages.length === 3 && b.messages.length === 3,
    );
    expect(b.messages).toEqual(["one", "two", "x".repeat(a.channel.maxMessageBytes)]);
    await other.channel.send(["apart"]);
    await until("the other schema's message", () => other.messages.includes("apart"));
    expect(a.messages).not.toContain("apart");
  });

  it("reconnects after the server terminates its connection, and says messages may have been lost", async () => {
    const a = await open();
    const b = await open();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'dormouse-notices'`,
      );
    } finally {
      await admin.end();
    }
    await until("both channels to reconnect", () => a.resets() === 1 && b.resets() === 1);
    await b.channel.send(["after"]);
    await until("the message after the reconnect", () => a.messages.includes("after"));
  });

  it("names the channel after the schema, hashing names too long for an identifier", () => {
    expect(channelName("public")).toBe("dormouse:public");
    const long = channelName("s".repeat(63));
    expect(long).toMatch(/^dormouse:[0-9a-f]{40}$/);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
  });
});
