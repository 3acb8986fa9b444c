// What the shop sells. Orders name products by SKU; prices are the shop's, never the client's.

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
}

export const PRODUCTS: readonly Product[] = [
  { sku: "MUG-01", name: "Dormouse mug", priceCents: 1200 },
  { sku: "TEE-02", name: "Hibernation T-shirt", priceCents: 2400 },
  { sku: "BAG-03", name: "Nap-sack", priceCents: 3900 },
  { sku: "CAP-04", name: "Night cap", priceCents: 1500 },
];

export interface OrderLine {
  sku: string;
  quantity: number;
}

/** A problem with the order as a sentence, or undefined when it can be placed. */
export function orderProblem(lines: unknown): string | undefined {
  if (!Array.isArray(lines) || lines.length === 0)
    return "items must be a non-empty list of { sku, quantity }";
  for (const line of lines as Partial<OrderLine>[]) {
    if (typeof line !== "object" || line === null) return "each item must be { sku, quantity }";
    if (!PRODUCTS.some((p) => p.sku === line.sku)) {
      return `unknown sku ${JSON.stringify(line.sku)}; the shop sells ${PRODUCTS.map((p) => p.sku).join(", ")}`;
    }
    if (!Number.isInteger(line.quantity) || line.quantity! < 1 || line.quantity! > 99) {
      return `quantity of ${line.sku} must be a whole number from 1 to 99`;
    }
  }
  return undefined;
}

export function totalCents(lines: readonly OrderLine[]): number {
  return lines.reduce(
    (sum, line) => sum + PRODUCTS.find((p) => p.sku === line.sku)!.priceCents * line.quantity,
    0,
  );
}

/** A small random basket, for the page's "Start new order". */
export function sampleOrder(random: () => number = Math.random): OrderLine[] {
  const shuffled = [...PRODUCTS].sort(() => random() - 0.5);
  return shuffled.slice(0, 1 + Math.floor(random() * 3)).map((p) => ({
    sku: p.sku,
    quantity: 1 + Math.floor(random() * 3),
  }));
}
