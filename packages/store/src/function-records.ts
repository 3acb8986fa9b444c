// What the store keeps about functions: content-addressed code, versions and aliases (issue #3).
// The store treats a revision's `record` as opaque JSON text; the server decides what is in it.

/** One file's bytes, keyed by the SHA-256 (hex) of the bytes. */
export interface CodeBlob {
  hash: string;
  bytes: Uint8Array;
}

/** A function's code and configuration at one moment; `id` is a hash over both. */
export interface CodeRevision {
  id: string;
  functionName: string;
  /** JSON text, stored and returned byte for byte. */
  record: string;
  /** Hashes of the blobs the revision uses (each must be saved with it or already stored). */
  blobs: string[];
}

export interface FunctionVersionRecord {
  functionName: string;
  /** `$LATEST` or a decimal number. */
  version: string;
  codeId: string;
  /** ms */
  publishedAt: number;
}

export interface AliasRecord {
  functionName: string;
  name: string;
  /** A published version number (aliases never point at `$LATEST` here). */
  version: string;
  /** ms */
  updatedAt: number;
}

export interface CollectedCode {
  revisions: number;
  blobs: number;
}

export const LATEST = "$LATEST";
