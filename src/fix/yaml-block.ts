import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { NodeSpan } from '../openapi/locate-yaml.js';

/**
 * A fast reader for the plain block YAML most OpenAPI documents are written in: block maps and sequences of
 * single-line plain or quoted scalars. It builds the `yaml` package's node classes with the ranges that
 * package would give (`[start, valueEnd, valueEnd]`, offsets into the whole text), so the splicer works on
 * either. Anything else (anchors, aliases, tags, merge keys, flow collections, block or multi-line scalars,
 * escapes, non-canonical plain keys) returns undefined: the caller parses the region with the `yaml` package.
 *
 * Why: the `yaml` package composes ~230 µs per 400-byte responses map (about 28 s CPU and 2.4 GB for a
 * 43 MB document), while a fix touches a few lines per operation.
 */
export function readBlockRegion(text: string, span: NodeSpan): Node | undefined {
  try {
    const reader = new BlockReader(text, span);
    return reader.read();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class Unsupported extends Error {}

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset of the line's end (before `\r\n` or `\n`). */
  end: number;
  /** Column of the first non-space character. */
  indent: number;
}

const NULL_OR_BOOL = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const NUMBER =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** Characters that cannot start a plain key or value here, or start something this reader leaves alone. */
const SPECIAL_START = /^[-?:,[\]{}#&*!|>%@`]/;

class BlockReader {
  private readonly lines: Line[] = [];
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly span: NodeSpan,
  ) {
    let start = span.lineStart;
    while (start < span.end) {
      let next = text.indexOf('\n', start);
      if (next === -1 || next > span.end) next = span.end;
      let end = next;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let column = start === span.lineStart ? span.keyStart - span.lineStart : 0;
      let position = start + column;
      while (position < end && text.charCodeAt(position) === 32) position++;
      if (position < end && text.charCodeAt(position) === 9) throw new Unsupported();
      column = position - start;
      const first = text.charCodeAt(position);
      // Blank and comment-only lines carry no node.
      if (position < end && first !== 35 /* # */) this.lines.push({ start, end, indent: column });
      start = next + 1;
    }
  }

  read(): Node | undefined {
    const line = this.lines[0];
    if (!line || line.indent !== this.span.keyStart - this.span.lineStart) throw new Unsupported();
    const map = this.map(line.indent, line.start + line.indent);
    if (this.index !== this.lines.length || map.items.length !== 1) throw new Unsupported();
    return map.items[0].value ?? undefined;
  }

  /** A block map whose keys sit at `column`; the first key starts at `first` (maybe after `- `). */
  private map(column: number, first: number): YAMLMap<Node, Node | null> {
    const map = new YAMLMap<Node, Node | null>();
    let keyStart = first;
    for (;;) {
      const line = this.lines[this.index];
      const key = this.key(keyStart, line.end);
      this.index++;
      const value = this.value(key.after, line, column, true);
      map.items.push(new Pair<Node, Node | null>(key.node, value));
      const next = this.lines[this.index];
      if (!next || next.indent < column) break;
      if (next.indent > column || this.isItem(next)) throw new Unsupported();
      keyStart = next.start + next.indent;
    }
    map.range = [first, this.endOf(map.items[map.items.length - 1].value), 0];
    map.range[2] = map.range[1];
    return map;
  }

  /** A block sequence whose `-` indicators sit at `column`. */
  private seq(column: number): YAMLSeq<Node> {
    const seq = new YAMLSeq<Node>();
    const first = this.lines[this.index];
    for (;;) {
      const line = this.lines[this.index];
      const dash = line.start + line.indent;
      this.index++;
      let at = dash + 1;
      while (at < line.end && this.text.charCodeAt(at) === 32) at++;
      if (at === dash + 1 && at < line.end) throw new Unsupported();
      let item: Node;
      if (at >= line.end || this.text.charCodeAt(at) === 35) {
        item = this.nested(column, false);
      } else if (this.keyAhead(at, line.end)) {
        this.index--; // the map reads this line again, from its first key
        item = this.map(at - line.start, at);
      } else {
        item = this.scalar(at, line.end);
        const next = this.lines[this.index];
        if (next && next.indent > column) throw new Unsupported(); // a multi-line plain scalar
      }
      seq.items.push(item);
      const next = this.lines[this.index];
      if (!next || next.indent < column) break;
      if (next.indent > column || !this.isItem(next)) throw new Unsupported();
    }
    const end = this.endOf(seq.items[seq.items.length - 1]);
    seq.range = [first.start + first.indent, end, end];
    return seq;
  }

  /** The value after `key:` (from `at` on `line`), whose key sits at `column`. */
  private value(at: number, line: Line, column: number, inMap: boolean): Node | null {
    while (at < line.end && this.text.charCodeAt(at) === 32) at++;
    if (at >= line.end || this.text.charCodeAt(at) === 35) return this.nested(column, inMap);
    const node = this.scalar(at, line.end);
    const next = this.lines[this.index];
    if (next && next.indent > column) throw new Unsupported(); // a multi-line plain scalar
    return node;
  }

  /** The block node on the lines after a `key:` or `-` with nothing after it. */
  private nested(column: number, inMap: boolean): Node {
    const next = this.lines[this.index];
    if (!next) throw new Unsupported(); // an empty value: null
    if (next.indent > column) {
      return this.isItem(next) ? this.seq(next.indent) : this.map(next.indent, next.start + next.indent);
    }
    // `key:\n- item`: a map's sequence value may sit at the key's own column.
    if (inMap && next.indent === column && this.isItem(next)) return this.seq(column);
    throw new Unsupported();
  }

  private isItem(line: Line): boolean {
    const at = line.start + line.indent;
    return this.text.charCodeAt(at) === 45 && (at + 1 === line.end || this.text.charCodeAt(at + 1) === 32);
  }

  private keyAhead(at: number, end: number): boolean {
    try {
      this.key(at, end);
      return true;
    } catch (error) {
      if (error instanceof Unsupported) return false;
      throw error;
    }
  }

  /** `key:` at `at`: the key scalar and the offset after the colon. */
  private key(at: number, end: number): { node: Scalar; after: number } {
    const text = this.text;
    const first = text[at];
    let node: Scalar;
    let close: number;
    if (first === '"' || first === "'") {
      node = this.quoted(at, end);
      close = node.range![1];
      while (close < end && text.charCodeAt(close) === 32) close++;
      if (text[close] !== ':') throw new Unsupported();
    } else {
      close = at;
      for (;;) {
        close = text.indexOf(':', close);
        if (close === -1 || close >= end) throw new Unsupported();
        const after = text.charCodeAt(close + 1);
        if (close + 1 === end || after === 32) break;
        close++;
      }
      const raw = text.slice(at, close).trimEnd();
      if (raw === '' || raw === '<<' || SPECIAL_START.test(raw) || /\s#|\t/.test(raw))
        throw new Unsupported();
      if (NULL_OR_BOOL.test(raw) || (NUMBER.test(raw) && !/^(?:0|[1-9][0-9]*)$/.test(raw))) {
        throw new Unsupported(); // the key is not the string it reads as
      }
      node = new Scalar(/^[1-9][0-9]*$|^0$/.test(raw) ? Number(raw) : raw);
      node.type = Scalar.PLAIN;
      node.range = [at, at + raw.length, at + raw.length];
    }
    if (close + 1 < end && text.charCodeAt(close + 1) !== 32) throw new Unsupported();
    return { node, after: close + 1 };
  }

  /** A single-line scalar from `at` to the end of the line (a trailing comment allowed). */
  private scalar(at: number, end: number): Scalar {
    const text = this.text;
    const first = text[at];
    if (first === '"' || first === "'") {
      const node = this.quoted(at, end);
      const rest = text.slice(node.range![1], end).trim();
      if (rest !== '' && !rest.startsWith('#')) throw new Unsupported();
      return node;
    }
    if (SPECIAL_START.test(text.slice(at, at + 1))) throw new Unsupported();
    let stop = end;
    const comment = text.indexOf(' #', at);
    if (comment !== -1 && comment < end) stop = comment;
    const raw = text.slice(at, stop).trimEnd();
    if (/: |:$|\t/.test(raw)) throw new Unsupported();
    let value: unknown = raw;
    if (NULL_OR_BOOL.test(raw) || NUMBER.test(raw)) value = null; // not a string; this reader keeps only strings
    const node = new Scalar(value);
    node.type = Scalar.PLAIN;
    node.range = [at, at + raw.length, at + raw.length];
    return node;
  }

  /** A quoted scalar that closes on its own line; one with escapes is left to the `yaml` package. */
  private quoted(at: number, end: number): Scalar {
    const text = this.text;
    const quote = text[at];
    let close = at + 1;
    for (;;) {
      close = text.indexOf(quote, close);
      if (close === -1 || close >= end) throw new Unsupported();
      if (quote === "'" && text[close + 1] === "'") {
        close += 2;
        continue;
      }
      break;
    }
    const raw = text.slice(at + 1, close);
    if (quote === '"' && raw.includes('\\')) throw new Unsupported();
    const node = new Scalar(quote === "'" ? raw.replace(/''/g, "'") : raw);
    node.type = quote === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
    node.range = [at, close + 1, close + 1];
    return node;
  }

  /** Where a collection ends: after the line break that ends its last value, as the `yaml` package counts. */
  private endOf(node: Node | null): number {
    if (node instanceof YAMLMap || node instanceof YAMLSeq) return node.range![1];
    const last = node?.range?.[1];
    if (last === undefined) throw new Unsupported();
    const newline = this.text.indexOf('\n', last);
    return newline === -1 || newline >= this.span.end ? this.span.end : newline + 1;
  }
}
