// Splits a worker's stdout or stderr into lines and spots the sync marker the worker writes after
// each invocation (see worker-main.ts). Text before a marker is flushed even without a newline,
// so a partial last line still belongs to the invocation that printed it.

const MAX_LINE = 256 * 1024;

export class OutputSplitter {
  private buf = "";

  constructor(
    private readonly marker: string,
    private readonly onLine: (line: string) => void,
    private readonly onMarker: () => void,
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    let from = 0;
    for (;;) {
      const nl = this.buf.indexOf("\n", from);
      const mk = this.marker === "" ? -1 : this.buf.indexOf(this.marker, from);
      if (mk !== -1 && (nl === -1 || mk < nl)) {
        if (mk > from) this.emit(this.buf.slice(from, mk));
        from = mk + this.marker.length;
        this.onMarker();
      } else if (nl !== -1) {
        this.emit(this.buf.slice(from, nl));
        from = nl + 1;
      } else {
        break;
      }
    }
    this.buf = this.buf.slice(from);
    // A runaway line without newlines must not grow without bound; keep a tail that could be the
    // start of a marker.
    if (this.buf.length > MAX_LINE) {
      const keep = Math.max(0, this.marker.length - 1);
      this.emit(this.buf.slice(0, this.buf.length - keep));
      this.buf = this.buf.slice(this.buf.length - keep);
    }
  }

  /** The stream ended: whatever is left is a last line. */
  end(): void {
    if (this.buf !== "") this.emit(this.buf);
    this.buf = "";
  }

  private emit(text: string): void {
    this.onLine(text.endsWith("\r") ? text.slice(0, -1) : text);
  }
}
