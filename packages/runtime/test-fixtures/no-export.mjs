export const somethingElse = async () => "not the handler";
export const handler = 42;
