/* global exports, setImmediate */
// A .js file in a CommonJS package with a callback-style (3-argument) handler.
exports.handler = function (event, context, callback) {
  setImmediate(() => {
    if (event.fail) callback(new TypeError("callback failure"));
    else callback(null, { style: "callback", requestId: context.awsRequestId });
  });
};
