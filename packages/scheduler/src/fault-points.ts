// Named fault points for crash tests (STYLE.md habit 5). At an armed point the process kills itself
// with SIGKILL, exactly as `kill -9` would: no handler runs, nothing is flushed, no reply is sent.
// A test arms a point, lets the server reach it, restarts on the same data directory and checks
// that nothing acknowledged was lost and nothing completed ran twice.
//
// Points are armed only through the server's configuration (parsed once); an unarmed point costs
// one Map lookup.
//
//   point                                  | reached
//   ---------------------------------------+--------------------------------------------------------
//   checkpoint:after-commit-before-reply   | a checkpoint's decision is durable, its response unsent
//   invocation:after-begin-before-invoke   | an invocation's lease is durable, the worker has no event
//   timer:after-fire-commit                | a WAIT timer's decision (WaitSucceeded) is durable
import fs from "node:fs";

export const FAULT_POINT_NAMES = [
  "checkpoint:after-commit-before-reply",
  "invocation:after-begin-before-invoke",
  "timer:after-fire-commit",
] as const;

export type FaultPointName = (typeof FAULT_POINT_NAMES)[number];

/** An armed point fires on its `hit`-th pass (1 = the first); earlier passes go on normally. */
export interface FaultPointSpec {
  name: FaultPointName;
  hit: number;
}

/** Parses `name` or `name@N` (fire on the N-th pass); throws a TypeError saying what is wrong. */
export function parseFaultPoint(text: string): FaultPointSpec {
  const match = /^([a-z-]+:[a-z-]+)(?:@(\d+))?$/.exec(text.trim());
  const name = match?.[1];
  if (!match || !isFaultPointName(name)) {
    throw new TypeError(
      `unknown fault point ${JSON.stringify(text)}; expected one of ${FAULT_POINT_NAMES.join(", ")}, optionally followed by @N`,
    );
  }
  const hit = match[2] === undefined ? 1 : Number(match[2]);
  if (!Number.isSafeInteger(hit) || hit < 1) {
    throw new TypeError(`fault point ${JSON.stringify(text)}: the pass number after @ must be 1 or more`);
  }
  return { name, hit };
}

function isFaultPointName(name: string | undefined): name is FaultPointName {
  return (FAULT_POINT_NAMES as readonly (string | undefined)[]).includes(name);
}

export class FaultPoints {
  /** Passes left before each armed point fires. */
  private readonly remaining = new Map<FaultPointName, number>();

  constructor(
    specs: readonly FaultPointSpec[] = [],
    private readonly crash: (name: FaultPointName) => void = killSelf,
  ) {
    for (const spec of specs) this.remaining.set(spec.name, spec.hit);
  }

  get armed(): FaultPointName[] {
    return [...this.remaining.keys()];
  }

  /** Marks a pass through `name`; crashes the process if this is the pass it was armed for. */
  reached(name: FaultPointName): void {
    const left = this.remaining.get(name);
    if (left === undefined) return;
    if (left > 1) {
      this.remaining.set(name, left - 1);
      return;
    }
    this.remaining.delete(name);
    this.crash(name);
  }
}

function killSelf(name: FaultPointName): void {
  // Synchronous, so the line reaches the parent's pipe before the process is gone.
  fs.writeSync(2, `dormouse: fault point ${name} reached, killing the process (SIGKILL)\n`);
  process.kill(process.pid, "SIGKILL");
}
