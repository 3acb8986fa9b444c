// Never yields to the event loop: only killing the process ends it.
export const handler = async (event) => {
  if (!event.loop) return "alive";
  console.log("looping");
  for (;;);
};
