// Prints to both streams, including a last line without a newline.
export const handler = async (event) => {
  console.log(`out ${event.n} a`);
  console.error(`err ${event.n}`);
  console.log(`out ${event.n} b`);
  process.stdout.write(`partial ${event.n}`);
  return event.n;
};

// Enough output to still be in the pipe when the result has already arrived over IPC.
export const bulk = async (event) => {
  for (let i = 0; i < 50; i++) console.log(`bulk ${event.n} ${i} ${"x".repeat(4000)}`);
  console.log(`last ${event.n}`);
  return event.n;
};
