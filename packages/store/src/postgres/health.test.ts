import pg from "pg";
import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../errors.js";
import { ConnectionHealth, isConnectionError } from "./health.js";

function databaseError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError("server says no", 0, "error");
  error.code = code;
  return error;
}

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe("isConnectionError", () => {
  it("recognises a connection that was refused, broke, timed out or was terminated", () => {
    for (const error of [
      socketError("ECONNREFUSED"),
      socketError("ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      new AggregateError([socketError("ECONNREFUSED"), socketError("ECONNREFUSED")], ""),
      databaseError("57P01"),
      databaseError("08006"),
      databaseError("53300"),
    ]) {
      expect(isConnectionError(error), String(error)).toBe(true);
    }
  });

  it("leaves alone what the database answered and mistakes in the request", () => {
    for (const error of [
      databaseError("23505"),
      databaseError("40001"),
      new TypeError("callback id contains a NUL character"),
      "a string",
    ]) {
      expect(isConnectionError(error), String(error)).toBe(false);
    }
  });
});

describe("ConnectionHealth", () => {
  it("refuses calls at once while paused after a lost connection, then lets one through and recovers", async () => {
    let now = 0;
    const health = new ConnectionHealth("db:5432", () => now);
    const refused = health.run(async () => {
      throw socketError("ECONNREFUSED");
    });
    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(refused).rejects.toThrow("the database at db:5432 is unavailable (connect ECONNREFUSED");
    expect(health.available).toBe(false);

    // During the pause nothing reaches the database.
    let calls = 0;
    const call = async () => {
      calls++;
      return "ok";
    };
    await expect(health.run(call)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toBe(0);
    // After it, a call goes through; its success ends the outage.
    now += 100;
    expect(await health.run(call)).toBe("ok");
    expect(health.available).toBe(true);
    expect(calls).toBe(1);
  });

  it("pauses longer after each failed attempt, up to 5 s", async () => {
    let now = 0;
    const health = new ConnectionHealth("db", () => now);
    let attempts = 0;
    const attempt = () =>
      health
        .run(async () => {
          attempts++;
          throw socketError("ECONNRESET");
        })
        .catch(() => undefined);
    const pauses: number[] = [];
    await attempt();
    for (let i = 0; i < 8; i++) {
      const before = attempts;
      const from = now;
      while (attempts === before) {
        now += 10;
        await attempt();
      }
      pauses.push(now - from);
    }
    expect(pauses).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it("counts calls failing together as one failed attempt", async () => {
    let now = 0;
    const health = new ConnectionHealth("db", () => now);
    const reset = () => Promise.reject(socketError("ECONNRESET"));
    await Promise.allSettled(Array.from({ length: 20 }, () => health.run(reset)));
    now += 100;
    expect(await health.run(async () => "back")).toBe("back");
  });

  it("passes other errors through untouched and does not pause for them", async () => {
    const health = new ConnectionHealth("db");
    const conflict = databaseError("23505");
    await expect(
      health.run(async () => {
        throw conflict;
      }),
    ).rejects.toBe(conflict);
    expect(health.available).toBe(true);
  });
});
