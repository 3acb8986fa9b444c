console.log("module loading");

export const handler = async () => "ok";
