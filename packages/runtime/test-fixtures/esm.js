// A .js file in an ESM package ("type": "module" at the repository root), default-exported object.
export default {
  handler: async () => ({ style: "esm-default-object" }),
};

export async function named(event) {
  return { style: "esm-named", got: event };
}
