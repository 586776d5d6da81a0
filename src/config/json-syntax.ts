/**
 * Where a JSON text (RFC 8259) first breaks the grammar, and what is wrong there in words a person reads
 * (`a trailing comma before '}' (JSON allows none)`). `JSON.parse` says only "at position 8" on Node 20, or nothing
 * of where ("Unexpected token '}', ... is not valid JSON"); a YAML reader's wording ("end of the stream within a
 * flow collection") names no JSON rule at all.
 */

/** The first syntax error of a JSON text: 1-based line and column (UTF-16 units), and what is wrong. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  /** e.g. `a trailing comma before '}' (JSON allows none)`. */
  problem: string;
}

/** Arrays and objects nested deeper than this are reported, not walked (the walk recurses). */
const MAX_DEPTH = 512;

class Broken extends Error {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/**
 * The first syntax error of `text` read as JSON (a leading byte order mark allowed), or undefined when it is
 * valid JSON.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  // A byte order mark is no column of the first line.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    new JsonScanner(source).document();
  } catch (error) {
    if (!(error instanceof Broken)) throw error;
    return { ...lineAndColumn(source, error.at), problem: error.problem };
  }
  return undefined;
}

/** 1-based line and column of `offset` in `text` (`\r\n`, `\r` and `\n` each end a line). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let at = 0; at < offset; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(at + 1) !== 0x0a)) {
      line++;
      start = at + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** A recursive-descent reader of one JSON text that throws {@link Broken} at its first error. */
class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  /** Reads the whole text: one JSON value, white space around it allowed; throws {@link Broken} otherwise. */
  document(): void {
    this.space();
    if (this.at >= this.text.length) throw new Broken(this.at, 'the file is empty (JSON needs a value)');
    this.value(0);
    this.space();
    if (this.at < this.text.length)
      throw new Broken(
        this.at,
        `${this.shown()} after the end of the JSON value (a second value, or a '}' or ']' too many)`,
      );
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) throw new Broken(this.at, `nested more than ${MAX_DEPTH} levels deep`);
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null'])
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    if (c === undefined) throw new Broken(this.at, 'the file ends where a value is due');
    if (c === "'") throw new Broken(this.at, 'a string in single quotes (JSON strings take double quotes)');
    if (c === '/') throw new Broken(this.at, 'a comment (JSON allows none)');
    throw new Broken(this.at, `${this.shown()} where a value is due`);
  }

  private object(depth: number): void {
    const open = this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    do {
      const c = this.text[this.at];
      if (c === undefined)
        throw new Broken(
          this.at,
          `the file ends inside an object (a '}' missing for line ${this.lineOf(open)})`,
        );
      if (c === '/') throw new Broken(this.at, 'a comment (JSON allows none)');
      if (c !== '"')
        throw new Broken(
          this.at,
          c === "'"
            ? 'a key in single quotes (JSON keys take double quotes)'
            : `${this.shown()} where a key in double quotes is due`,
        );
      this.string();
      this.space();
      if (this.text[this.at] !== ':')
        throw new Broken(this.at, `${this.shown()} where ':' is due after the key`);
      this.at++;
      this.space();
      this.value(depth + 1);
      this.space();
    } while (!this.closedOrComma(open, '}', 'object'));
  }

  private array(depth: number): void {
    const open = this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    do {
      this.value(depth + 1);
      this.space();
    } while (!this.closedOrComma(open, ']', 'array'));
  }

  /**
   * After an object's member or an array's element: true at its closing bracket (taken), false past a comma with
   * more to come; throws at anything else, or a comma right before the close (JSON allows no trailing comma).
   */
  private closedOrComma(open: number, close: '}' | ']', container: 'object' | 'array'): boolean {
    const next = this.text[this.at];
    if (next === close) {
      this.at++;
      return true;
    }
    if (next === undefined)
      throw new Broken(
        this.at,
        `the file ends inside an ${container} (a '${close}' missing for line ${this.lineOf(open)})`,
      );
    if (next !== ',')
      throw new Broken(this.at, `${this.shown()} where ',' or '${close}' is due (a comma missing?)`);
    const comma = this.at++;
    this.space();
    if (this.text[this.at] === close)
      throw new Broken(comma, `a trailing comma before '${close}' (JSON allows none)`);
    return false;
  }

  private string(): void {
    const open = this.at++;
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (Number.isNaN(c)) throw new Broken(open, "a string that is never closed (a '\"' missing)");
      if (c === 0x22) {
        this.at++;
        return;
      }
      if (c < 0x20)
        throw new Broken(
          this.at,
          c === 0x0a || c === 0x0d
            ? 'a line break inside a string (write \\n, or close the string)'
            : 'a control character inside a string (escape it)',
        );
      if (c === 0x5c) {
        const escaped = this.text[this.at + 1];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6)))
            throw new Broken(this.at, 'a \\u escape without four hex digits');
          this.at += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped))
          throw new Broken(this.at, `an unknown escape \\${escaped ?? ''} in a string`);
        this.at += 2;
        continue;
      }
      this.at++;
    }
  }

  private number(): void {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = this.at;
    const found = match.exec(this.text);
    if (!found || found[0] === '-') throw new Broken(this.at, 'a number JSON cannot read');
    this.at += found[0].length;
  }

  private space(): void {
    while (this.at < this.text.length) {
      const c = this.text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.at++;
    }
  }

  /** The character at the reading position, quoted for a message. */
  private shown(): string {
    const c = this.text[this.at];
    return c === undefined ? 'the end of the file' : `'${c}'`;
  }

  private lineOf(offset: number): number {
    return lineAndColumn(this.text, offset).line;
  }
}
