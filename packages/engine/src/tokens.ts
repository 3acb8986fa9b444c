// Checkpoint tokens (spec §1.5): base64 of "<epoch>.<seq>.<nonce>". The epoch fences earlier
// invocations, the seq makes each token single-use, the nonce makes tokens unguessable.
import { invalidToken } from "@dormouse/protocol";
import type { ExecutionRecord, InvocationLease } from "./model.js";

export interface DecodedToken {
  epoch: number;
  seq: number;
  nonce: string;
}

export function encodeToken(lease: Pick<InvocationLease, "epoch" | "tokenSeq" | "nonce">): string {
  return Buffer.from(`${lease.epoch}.${lease.tokenSeq}.${lease.nonce}`, "utf8").toString("base64");
}

export function decodeToken(token: string): DecodedToken | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length > 2048) return undefined;
  const bytes = Buffer.from(token, "base64");
  // Node's decoder ignores stray trailing characters and missing padding: only the exact string
  // that was handed out is that token, so a variant decoding to the same bytes is not accepted.
  if (bytes.toString("base64") !== token) return undefined;
  const parts = bytes.toString("utf8").split(".");
  if (parts.length !== 3) return undefined;
  const epoch = Number(parts[0]);
  const seq = Number(parts[1]);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(seq) || !parts[2]) return undefined;
  return { epoch, seq, nonce: parts[2] };
}

/**
 * The active lease a token belongs to, or a typed "Invalid Checkpoint Token" error.
 * `newestOnly`: checkpoints need the newest token; state reads accept any token of the invocation.
 */
export function requireLease(exec: ExecutionRecord, token: string, newestOnly: boolean): InvocationLease {
  const t = decodeToken(token);
  if (!t) throw invalidToken("the token is malformed");
  if (exec.status !== "RUNNING") throw invalidToken("execution is not running");
  const lease = exec.invocation;
  if (!lease || lease.epoch !== t.epoch || lease.nonce !== t.nonce) {
    throw invalidToken("the token does not belong to the active invocation");
  }
  if (newestOnly ? t.seq !== lease.tokenSeq : t.seq > lease.tokenSeq) {
    throw invalidToken("the token was already used");
  }
  return lease;
}
