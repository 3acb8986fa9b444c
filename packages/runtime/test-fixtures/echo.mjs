// Returns the event and what the handler saw of its context.
export const handler = async (event, context) => ({
  event,
  context: {
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    tenantId: context.tenantId,
    callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    remainingMs: context.getRemainingTimeInMillis(),
  },
  pid: process.pid,
  cwd: process.cwd(),
});

export const returnsUndefined = async () => undefined;
export const returnsCircular = async () => {
  const o = {};
  o.self = o;
  return o;
};
