// hello-world: an ordinary Lambda function (not durable). The feature tour calls it with
// `context.invoke`, finding it through the HELLO_WORLD_FUNCTION_ARN environment variable.
interface HelloEvent {
  name?: string;
}

export const handler = async (event: HelloEvent) => {
  const name = typeof event?.name === "string" && event.name.trim() !== "" ? event.name.trim() : "world";
  return { message: `Hello, ${name}!`, from: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "hello-world" };
};
