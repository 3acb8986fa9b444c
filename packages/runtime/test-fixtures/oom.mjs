// Allocates until the heap limit (--max-old-space-size) is hit.
export const handler = async () => {
  const hog = [];
  for (;;) hog.push(new Array(100_000).fill({ a: Math.random() }));
};
