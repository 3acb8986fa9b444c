export const handler = async () => ({ ...process.env });
