// Plain-object helpers for parsed template values.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{ "Fn::Sub": ... }` and friends: one key naming an intrinsic. Merged like a scalar, not a map. */
export function isIntrinsicObject(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::"));
}

/**
 * SAM's Globals semantics: maps merge key by key (recursively), lists concatenate,
 * anything else (including an intrinsic) is replaced by the function's own value.
 */
export function mergeGlobals(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (global === undefined) return local;
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isRecord(global) && isRecord(local) && !isIntrinsicObject(global) && !isIntrinsicObject(local)) {
    const merged: JsonRecord = { ...global };
    for (const [key, value] of Object.entries(local)) merged[key] = mergeGlobals(global[key], value);
    return merged;
  }
  return local;
}
