// Uses the official SDK's default Lambda client, as a durable function's SDK does.
import { GetDurableExecutionCommand, LambdaClient } from "@aws-sdk/client-lambda";

export const handler = async (event) => {
  const client = new LambdaClient({});
  try {
    await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: event.arn }));
    return { ok: true };
  } catch (err) {
    return { ok: false, error: String(err) };
  } finally {
    client.destroy();
  }
};
