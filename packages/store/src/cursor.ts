// The opaque `next` cursor of listExecutions, shared by all adapters so a cursor means the same thing
// everywhere: base64url of the last item's sort key (startedAt, arn).
import { invalidParameter } from "@dormouse/protocol";

export interface ListCursor {
  startedAt: number;
  arn: string;
}

export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.arn]), "utf8").toString("base64url");
}

/** Cursors come back from callers, so a malformed one is the caller's fault, not a crash. */
export function decodeListCursor(text: string): ListCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== "string"
  ) {
    throw invalidParameter(`Invalid pagination marker: ${JSON.stringify(text)}`);
  }
  return { startedAt: parsed[0] as number, arn: parsed[1] };
}
