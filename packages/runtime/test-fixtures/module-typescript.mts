export async function handler(event: { n: number }): Promise<number> {
  return event.n * 2;
}
