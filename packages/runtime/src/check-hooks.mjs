// Module resolve hook of a load-check process (check-main.ts): reports the packages that user code
// imports (bare specifiers resolved from outside node_modules), so that the next checker process can
// load them before it is needed. Plain JavaScript: hooks modules load before any TypeScript loader.
let port;

export function initialize(data) {
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const bare = !/^(\.|\/|#|[a-z][a-z0-9+.-]*:)/i.test(specifier);
  const fromUserCode = context.parentURL !== undefined && !context.parentURL.includes("/node_modules/");
  if (bare && fromUserCode && result.url.startsWith("file:")) port?.postMessage(result.url);
  return result;
}
