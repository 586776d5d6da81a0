/**
 * A reader for the plain YAML most OpenAPI documents are written in, giving exactly the data js-yaml gives (the
 * same values, key order and types), or `undefined` when the text uses anything outside that subset; the caller
 * then loads it with js-yaml, which also reports every error. Nothing it accepts is something js-yaml rejects:
 * whatever it is not sure of (a tab, a comment inside a flow collection, a scalar over several lines...) makes it
 * give up.
 *
 * The subset: one document of block mappings and block sequences (`key: value`, `- item`, `- key: value` opening
 * a mapping, a sequence at its key's indentation), each key on one line, plain or quoted; values that are plain
 * scalars on one line (an ` #` comment after them allowed), single-quoted scalars (`''` inside), double-quoted
 * scalars without escapes, and flow mappings and sequences on one line (`{ in: path, required: true }`, `[a, b]`),
 * nested too. Plain scalars are resolved by the schema's own implicit types (`resolve`/`construct`), as js-yaml
 * does, keys included (`200:` is the key `'200'`). Not read (gives up): anchors, aliases, tags, merge keys,
 * `__proto__`, block scalars (`|`, `>`), multi-line scalars, directives and document markers, duplicate keys,
 * tabs, carriage returns, and characters outside ASCII and the Basic Multilingual Plane's ordinary range.
 *
 * Why: js-yaml's general parser took 0.8-0.9 s of CPU for the 3.8 MB, 16,000-operation document of the `--spec`
 * bench (one process, cold); measured in docs/migrate-spec.md ("Speed", session 17).
 */

/** A js-yaml implicit type (`resolve` tells whether a plain scalar is one, `construct` makes its value). */
export interface ImplicitType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}

/** Gives up: the text is outside the subset (caught by `loadSimpleYaml`, never seen by its caller). */
class OutsideSubset extends Error {}

/**
 * The data of `text`, or undefined when it is not in the subset (see the module's header).
 *
 * @param implicit the schema's implicit types in js-yaml's order (`schema.compiledImplicit`).
 * @param closed called with each mapping when it is complete (js-yaml's `close` event: the model's
 *   `compactSparseIndexKeys`).
 */
export function loadSimpleYaml(
  text: string,
  implicit: readonly ImplicitType[],
  closed: (map: Record<string, unknown>) => void,
): unknown {
  // What it never reads, found by two scans of the text before any work: a document with a block scalar or an
  // anchor, alias or tag goes to js-yaml at once, not after most of it is read.
  if (OUTSIDE_CHARACTERS.test(text) || BLOCK_SCALAR.test(text) || NODE_PROPERTY.test(text)) return undefined;
  try {
    return new Reader(text, implicit, closed).document();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/** Anything but line feeds, printable ASCII and the ordinary BMP characters (no surrogates, BOM, U+FFFE/F). */
const OUTSIDE_CHARACTERS = /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;
/** A `key: |`, `key: >-`, `- |` line: a block scalar. */
const BLOCK_SCALAR = /[:-] +[|>][-+0-9]* *(?:#.*)?$/m;
/** `&anchor`, `*alias`, `!tag` where a node may start (a plain scalar holding one goes to js-yaml as well). */
const NODE_PROPERTY = /(?:^|[\s[{,])[&*!][^\s]/m;
/** First characters a plain scalar may not start with here (YAML indicators; `-` is checked on its own). */
const INDICATORS = new Set([...'?:,[]{}#&*!|>\'"%@`']);
/** Characters a plain scalar inside a flow collection may not hold here. */
const FLOW_STOP = /[,[\]{}#:'"]/;

class Reader {
  private readonly indents: number[] = [];
  private readonly contents: string[] = [];
  private at = 0;

  constructor(
    text: string,
    private readonly implicit: readonly ImplicitType[],
    private readonly closed: (map: Record<string, unknown>) => void,
  ) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let indent = start;
      while (indent < end && text.charCodeAt(indent) === 32) indent++;
      let last = end;
      while (last > indent && text.charCodeAt(last - 1) === 32) last--;
      // Blank lines and whole-line comments carry nothing.
      if (last > indent && text.charCodeAt(indent) !== 35) {
        this.indents.push(indent - start);
        this.contents.push(text.slice(indent, last));
      }
      start = end + 1;
    }
  }

  document(): unknown {
    if (!this.contents.length || this.indents[0] !== 0) throw new OutsideSubset();
    const first = this.contents[0];
    if (first.startsWith('---') || first.startsWith('...') || first.startsWith('%'))
      throw new OutsideSubset();
    const data = this.block(0);
    if (this.at !== this.contents.length) throw new OutsideSubset();
    return data;
  }

  /** The block (mapping or sequence) whose first line is the current one, at `indent`. */
  private block(indent: number): unknown {
    return isItem(this.contents[this.at]) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    while (this.at < this.contents.length) {
      const lineIndent = this.indents[this.at];
      if (lineIndent < indent) break;
      const content = this.contents[this.at];
      if (lineIndent > indent || isItem(content)) throw new OutsideSubset();
      const entry = this.key(content);
      if (!entry || Object.hasOwn(map, entry.key)) throw new OutsideSubset();
      this.at++;
      const value = this.valueAfter(entry.rest, indent, true);
      setKey(map, entry.key, value);
    }
    this.closed(map);
    return map;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    while (this.at < this.contents.length) {
      const lineIndent = this.indents[this.at];
      if (lineIndent < indent) break;
      const content = this.contents[this.at];
      if (lineIndent > indent) throw new OutsideSubset();
      if (!isItem(content)) break; // the mapping holding a sequence at its key's indentation goes on
      const rest = content.slice(2);
      if (rest.startsWith(' ') || rest.startsWith('-')) throw new OutsideSubset();
      if (rest && this.key(rest)) {
        // `- key: value`: a mapping whose lines are indented as its first key
        this.indents[this.at] = indent + 2;
        this.contents[this.at] = rest;
        list.push(this.mapping(indent + 2));
      } else {
        this.at++;
        list.push(this.valueAfter(rest, indent, false));
      }
    }
    return list;
  }

  /** The value after `key:` or `-` (`rest`, maybe empty: the block on the lines below, else null). */
  private valueAfter(rest: string, indent: number, inMapping: boolean): unknown {
    const next = this.at < this.contents.length ? this.indents[this.at] : -1;
    if (rest) {
      if (next > indent) throw new OutsideSubset(); // a scalar going on below, or an error
      return this.inline(rest);
    }
    if (next > indent) return this.block(next);
    if (inMapping && next === indent && isItem(this.contents[this.at])) return this.sequence(indent);
    // An empty `-` item: js-yaml then reads a less indented `- ` below as an item of the same sequence
    // (`- a:\n  -\n- b` gives `[{ a: [null, 'b'] }]`), which the indentation here would not.
    if (!inMapping) throw new OutsideSubset();
    return null;
  }

  /** `key: rest` (rest without its leading spaces), or undefined when the line is no simple key. */
  private key(content: string): { key: string; rest: string } | undefined {
    const first = content.charCodeAt(0);
    let key: string;
    let after: number;
    if (first === 39 || first === 34) {
      const close = content.indexOf(first === 39 ? "'" : '"', 1);
      if (close < 0) return undefined;
      key = content.slice(1, close);
      if (first === 34 && key.includes('\\')) throw new OutsideSubset();
      if (first === 39 && content.charCodeAt(close + 1) === 39) throw new OutsideSubset(); // `''` in a key
      if (content.charCodeAt(close + 1) !== 58) return undefined;
      after = close + 2;
    } else {
      const colon = content.indexOf(': ');
      const end = colon >= 0 ? colon : content.endsWith(':') ? content.length - 1 : -1;
      if (end <= 0) return undefined;
      const plain = content.slice(0, end);
      if (INDICATORS.has(plain[0])) return undefined; // a flow collection (`- { a: b }`), or no simple key
      if (
        (plain[0] === '-' && !/[\w.]/.test(plain[1] ?? '')) ||
        plain.includes(':') ||
        plain.includes(' #') ||
        plain.endsWith(' ')
      )
        throw new OutsideSubset();
      key = String(this.resolve(plain));
      after = end + 1;
    }
    if (key === '__proto__' || key === '<<' || key.length > 1000) throw new OutsideSubset();
    if (after < content.length && content.charCodeAt(after) !== 32) return undefined;
    let from = after;
    while (content.charCodeAt(from) === 32) from++;
    return { key, rest: content.slice(from) };
  }

  /** A value on the rest of one line: a quoted or plain scalar, or a flow collection. */
  private inline(text: string): unknown {
    const first = text[0];
    if (first === "'" || first === '"') {
      const { value, end } = quoted(text, 0);
      if (end !== text.length && !/^ +#/.test(text.slice(end))) throw new OutsideSubset();
      return value;
    }
    if (first === '{' || first === '[') {
      const { value, end } = this.flow(text, 0);
      if (end !== text.length) throw new OutsideSubset();
      return value;
    }
    if (INDICATORS.has(first) || (first === '-' && !/[\w.]/.test(text[1] ?? ''))) throw new OutsideSubset();
    const comment = text.indexOf(' #');
    const plain = comment >= 0 ? trimSpaces(text.slice(0, comment)) : text;
    if (plain.includes(': ') || plain.endsWith(':')) throw new OutsideSubset();
    return this.resolve(plain);
  }

  /** A flow mapping or sequence starting at `at` (`{` or `[`), on one line. */
  private flow(text: string, at: number): { value: unknown; end: number } {
    const mapping = text[at] === '{';
    const close = mapping ? '}' : ']';
    const map: Record<string, unknown> | undefined = mapping ? {} : undefined;
    const list: unknown[] | undefined = mapping ? undefined : [];
    let i = skipSpaces(text, at + 1);
    if (text[i] === close) {
      if (map) this.closed(map);
      return { value: map ?? list, end: i + 1 };
    }
    for (;;) {
      if (map) {
        const key = this.flowScalar(text, i);
        const name = String(key.value);
        if (Object.hasOwn(map, name) || name === '__proto__' || name === '<<' || text[key.end] !== ':')
          throw new OutsideSubset();
        if (text[key.end + 1] !== ' ') throw new OutsideSubset();
        const value = this.flowValue(text, skipSpaces(text, key.end + 1));
        setKey(map, name, value.value);
        i = value.end;
      } else {
        const value = this.flowValue(text, i);
        list?.push(value.value);
        i = value.end;
      }
      i = skipSpaces(text, i);
      if (text[i] === close) break;
      if (text[i] !== ',') throw new OutsideSubset();
      i = skipSpaces(text, i + 1);
      if (text[i] === close || text[i] === ',') throw new OutsideSubset(); // a trailing or empty entry
    }
    if (map) this.closed(map);
    return { value: map ?? list, end: i + 1 };
  }

  private flowValue(text: string, at: number): { value: unknown; end: number } {
    return text[at] === '{' || text[at] === '[' ? this.flow(text, at) : this.flowScalar(text, at);
  }

  /** A quoted scalar, or a plain one ending before `,`, `:`, `]`, `}` (trailing spaces dropped). */
  private flowScalar(text: string, at: number): { value: unknown; end: number } {
    const first = text[at];
    if (first === "'" || first === '"') {
      const { value, end } = quoted(text, at);
      return { value, end: skipSpaces(text, end) };
    }
    // `-` starts a plain scalar only before a character that may go on one (`-1`, `-x`; not `[-]`).
    if (first === undefined || INDICATORS.has(first) || (first === '-' && !/[\w.]/.test(text[at + 1] ?? '')))
      throw new OutsideSubset();
    let end = at;
    while (end < text.length && !FLOW_STOP.test(text[end])) end++;
    if (text[end] === '#' || text[end] === "'" || text[end] === '"') throw new OutsideSubset();
    const plain = trimSpaces(text.slice(at, end));
    return { value: this.resolve(plain), end };
  }

  /** A plain scalar's value: the first implicit type that resolves it, else the string (js-yaml's order). */
  private resolve(plain: string): unknown {
    for (const type of this.implicit) if (type.resolve(plain)) return type.construct(plain);
    return plain;
  }
}

/**
 * `map[key] = value`. The first key of a map that reads as an array index of 32 or more (`'403'` of a responses
 * map) first turns the map's elements into a dictionary, as yaml-load.ts's `compactSparseMap` does once the map
 * is complete: V8 would otherwise size a fast elements store from the index (~300 slots for `'200'`, grown to
 * ~600 for `'403'`) only for it to be converted. The keys, their order and the values are the same either way.
 */
function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  const first = key.charCodeAt(0);
  if (first >= 49 && first <= 57 && key.length >= 2 && key.length <= 9 && /^\d+$/.test(key)) {
    if (Number(key) >= 32 && !hasIndexKey(map)) {
      map[LARGEST_INDEX] = null;
      delete map[LARGEST_INDEX];
    }
  }
  map[key] = value;
}

/** 2^32 - 2, the largest array index: adding and deleting it makes a map's elements a dictionary. */
const LARGEST_INDEX = '4294967294';

/** Whether a map already holds an integer-like key (they come first when its keys are listed). */
function hasIndexKey(map: Record<string, unknown>): boolean {
  for (const key in map) return /^\d/.test(key);
  return false;
}

/** `- item` or a lone `-`. */
function isItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

/** `text` without its trailing spaces (only U+0020: js-yaml trims no other character). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}

function skipSpaces(text: string, at: number): number {
  while (text.charCodeAt(at) === 32) at++;
  return at;
}

/** A single-quoted (`''` is a quote) or double-quoted (no escapes) scalar at `at`, on one line. */
function quoted(text: string, at: number): { value: string; end: number } {
  const quote = text[at];
  if (quote === '"') {
    const close = text.indexOf('"', at + 1);
    if (close < 0) throw new OutsideSubset();
    const value = text.slice(at + 1, close);
    if (value.includes('\\')) throw new OutsideSubset();
    return { value, end: close + 1 };
  }
  let value = '';
  let from = at + 1;
  for (;;) {
    const close = text.indexOf("'", from);
    if (close < 0) throw new OutsideSubset();
    value += text.slice(from, close);
    if (text[close + 1] !== "'") return { value, end: close + 1 };
    value += "'";
    from = close + 2;
  }
}
