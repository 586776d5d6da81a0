/**
 * 0-based line numbers of offsets in one text, for the lines a fix report names. Instead of an array of every
 * line start (2.4 million numbers, ~37 MB allocated, for gen-spec 20000), it keeps the line number at every
 * {@link BLOCK}-th offset, filled in as far as lookups have gone, and counts line feeds from the nearest of
 * those, or from the previous lookup when it lies just before (lookups come mostly in document order).
 * A lookup costs at most one block's scan; the whole text is scanned once at most for the checkpoints.
 */
export class LineIndex {
  /** `blockLines[k]`: the number of line feeds before offset `k * BLOCK`. */
  private readonly blockLines: number[] = [0];
  private lastOffset = 0;
  private lastLine = 0;

  constructor(private readonly text: string) {}

  /** The 0-based line of `offset` (clamped to the text). */
  lineOf(offset: number): number {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let line: number;
    if (at >= this.lastOffset && at - this.lastOffset <= BLOCK) {
      line = this.lastLine + this.count(this.lastOffset, at);
    } else {
      const block = Math.floor(at / BLOCK);
      while (this.blockLines.length <= block) {
        const k = this.blockLines.length;
        this.blockLines.push(this.blockLines[k - 1] + this.count((k - 1) * BLOCK, k * BLOCK));
      }
      line = this.blockLines[block] + this.count(block * BLOCK, at);
    }
    this.lastOffset = at;
    this.lastLine = line;
    return line;
  }

  /** Line feeds in `[from, to)`. */
  private count(from: number, to: number): number {
    let lines = 0;
    for (let i = this.text.indexOf('\n', from); i !== -1 && i < to; i = this.text.indexOf('\n', i + 1))
      lines++;
    return lines;
  }
}

/** Offsets between checkpoints. */
const BLOCK = 1 << 14;
