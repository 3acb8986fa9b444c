export const handler = async (event) => {
  if (event.code === undefined) return "alive";
  console.log("about to exit");
  process.exit(event.code);
};
