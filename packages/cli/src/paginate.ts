// Follows NextMarker so list commands print everything, or exactly `limit` items when asked.

export interface Page<T> {
  items: T[];
  nextMarker?: string | undefined;
}

/** The API caps a page at 1000 items (protocol §7.3, §7.4). */
const MAX_PAGE = 1000;

export async function collectPages<T>(
  fetchPage: (marker: string | undefined, maxItems: number) => Promise<Page<T>>,
  limit?: number,
): Promise<{ items: T[]; nextMarker?: string }> {
  const items: T[] = [];
  let marker: string | undefined;
  for (;;) {
    const remaining = limit === undefined ? MAX_PAGE : Math.min(MAX_PAGE, limit - items.length);
    const page = await fetchPage(marker, remaining);
    items.push(...page.items.slice(0, remaining));
    marker = page.nextMarker;
    const full = limit !== undefined && items.length >= limit;
    // An empty page with a marker would loop forever on a misbehaving server; stop there.
    if (marker === undefined || full || page.items.length === 0) {
      return marker === undefined ? { items } : { items, nextMarker: marker };
    }
  }
}
