import { describe, expect, it } from "vitest";
import { collectPages } from "./paginate.js";

/** A fake API over 0..total-1 that returns at most `pageSize` items and a marker for the rest. */
function pagedApi(total: number, pageSize: number) {
  const calls: { marker: string | undefined; maxItems: number }[] = [];
  const fetchPage = async (marker: string | undefined, maxItems: number) => {
    calls.push({ marker, maxItems });
    const start = marker === undefined ? 0 : Number(marker);
    const end = Math.min(total, start + Math.min(pageSize, maxItems));
    const items = Array.from({ length: end - start }, (_, i) => start + i);
    return { items, nextMarker: end < total ? String(end) : undefined };
  };
  return { calls, fetchPage };
}

describe("collectPages", () => {
  it("follows NextMarker until the last page", async () => {
    const api = pagedApi(25, 10);
    const result = await collectPages(api.fetchPage);
    expect(result.items).toHaveLength(25);
    expect(result.nextMarker).toBeUndefined();
    expect(api.calls.map((c) => c.marker)).toEqual([undefined, "10", "20"]);
  });

  it("stops at the limit, asks only for what is missing, and reports where it stopped", async () => {
    const api = pagedApi(25, 10);
    const result = await collectPages(api.fetchPage, 15);
    expect(result.items).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(api.calls).toEqual([
      { marker: undefined, maxItems: 15 },
      { marker: "10", maxItems: 5 },
    ]);
    expect(result.nextMarker).toBe("15");
  });

  it("does not loop on an empty page that still carries a marker", async () => {
    const result = await collectPages(async () => ({ items: [], nextMarker: "again" }));
    expect(result).toEqual({ items: [], nextMarker: "again" });
  });
});
