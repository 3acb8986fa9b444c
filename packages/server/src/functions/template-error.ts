// One error type for everything wrong with a function declaration, so the CLI can print it as
// a user mistake (no stack trace) and tests can assert on where the mistake is.

export interface TemplateErrorLocation {
  /** The template or handler file, as the caller named it. */
  file: string;
  /** Logical id of the resource, when the mistake is inside one. */
  resource?: string;
  /** Property path inside the resource (`Environment.Variables.TABLE`) or a top-level section. */
  field?: string;
}

export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly file: string;
  readonly resource: string | undefined;
  readonly field: string | undefined;

  /**
   * `detail` is phrased to follow the field name: `must be an integer between 1 and 900 (got "abc")`
   * becomes `template.yaml: resource Orders: Timeout must be an integer between 1 and 900 (got "abc")`.
   */
  constructor(detail: string, location: TemplateErrorLocation) {
    const where = location.resource === undefined ? "" : `resource ${location.resource}: `;
    const what = location.field === undefined ? detail : `${location.field} ${detail}`;
    super(`${location.file}: ${where}${what}`);
    this.file = location.file;
    this.resource = location.resource;
    this.field = location.field;
  }
}

/** How a value looks in a message: strings quoted, objects as short JSON. */
export function show(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
