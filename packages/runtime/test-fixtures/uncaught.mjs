/* global setTimeout */
// Errors outside the handler's promise: they crash the worker.
export const handler = (event) => {
  if (event.mode === "throw") {
    setTimeout(() => {
      throw new Error("async boom");
    }, 0);
  } else if (event.mode === "reject") {
    void Promise.reject(new Error("nobody catches this"));
  } else {
    return Promise.resolve("alive");
  }
  return new Promise(() => {});
};
