// History markers encode "continue after EventId N" and the direction, so the same marker can be
// re-requested while new events arrive (the official cloud test runner does exactly that).
import { invalidParameter } from "@dormouse/protocol";

export function encodeHistoryMarker(lastEventId: number, reverse: boolean): string {
  return Buffer.from(`ev:${reverse ? "r" : "f"}:${lastEventId}`, "utf8").toString("base64url");
}

export function decodeHistoryMarker(marker: string, reverse: boolean): number {
  const m = /^ev:([rf]):(\d+)$/.exec(Buffer.from(marker, "base64url").toString("utf8"));
  if (!m) throw invalidParameter("Marker is not a marker this API returned.");
  if ((m[1] === "r") !== reverse) throw invalidParameter("Marker was returned for the other ReverseOrder.");
  return Number(m[2]);
}
