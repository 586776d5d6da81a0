import { parse, stringify } from 'yaml';

/** How a file writes what mtls-fix may add to it, detected from the file itself. */
export interface TextStyle {
  syntax: 'yaml' | 'json';
  eol: '\n' | '\r\n';
  /** One indentation step: spaces for YAML; spaces or a tab for JSON. */
  indent: string;
  /** YAML: `- item` indented under its key (true) or level with it (false). */
  indentSeq: boolean;
  /** YAML: the file quotes strings with '...' more often than with "...". */
  singleQuote: boolean;
  /** JSON: what the file writes between a key and its value (`': '`, `':'`, `' : '`). YAML: `': '`. */
  colon: string;
}

/** How one `{...}` map (JSON, or YAML flow) writes its members: `{ a: 1, b: 2 }` or `{"a":1,"b":2}`. */
export interface FlowStyle {
  /** A space inside the braces: `{ a: 1 }`. */
  padding: boolean;
  colon: string;
  /** Between members: `', '` or `','`. */
  comma: string;
}

export function detectStyle(text: string, syntax: 'yaml' | 'json'): TextStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n', 5000).map((line) => line.replace(/\r$/, ''));
  if (syntax === 'json')
    return {
      syntax,
      eol,
      indent: jsonIndent(lines),
      indentSeq: true,
      singleQuote: false,
      colon: jsonColon(text),
    };
  const single = quotedScalars(text, "'");
  const double = quotedScalars(text, '"');
  return {
    syntax,
    eol,
    indent: ' '.repeat(yamlIndent(lines)),
    indentSeq: yamlIndentsSequences(lines),
    singleQuote: single > double,
    colon: ': ',
  };
}

/**
 * How many scalars of a YAML text open with `quote`: values (`key: '...'`), keys (`'403':`), sequence items
 * (`- '...'`) and flow members (`{'a': '...'}`). Keys count: a file that writes `'403':` and `'200':` quotes with
 * `'` even when its values are plain (before session 24 only values counted, and `fix` added `statusCode: "401"`
 * beside `'403':` keys).
 */
function quotedScalars(text: string, quote: "'" | '"'): number {
  const pattern =
    quote === "'"
      ? /(?:^[ \t]*(?:[-?][ \t]+)*|: |[[{,][ \t]*)'/gm
      : /(?:^[ \t]*(?:[-?][ \t]+)*|: |[[{,][ \t]*)"/gm;
  return text.match(pattern)?.length ?? 0;
}

/** The most common key-value separator of a JSON text (`"key": v`, `"key":v`, `"key" : v`), from its start. */
function jsonColon(text: string): string {
  const counts = new Map<string, number>();
  for (const match of text.slice(0, 200_000).matchAll(/"([ \t]*):([ \t]*)(?=["{[\dtfn-])/g)) {
    const colon = `${match[1] === '' ? '' : ' '}:${match[2] === '' ? '' : ' '}`;
    counts.set(colon, (counts.get(colon) ?? 0) + 1);
  }
  let best = ': ';
  for (const [colon, count] of counts) if (count > (counts.get(best) ?? 0)) best = colon;
  return best;
}

/** The smallest step by which a YAML line is indented deeper than the content line before it. */
function yamlIndent(lines: readonly string[]): number {
  let smallest = Infinity;
  let previous = -1;
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    if (previous >= 0 && indent > previous) smallest = Math.min(smallest, indent - previous);
    previous = trimmed.startsWith('- ') ? indent + 2 : indent;
  }
  return Number.isFinite(smallest) && smallest <= 8 ? smallest : 2;
}

function yamlIndentsSequences(lines: readonly string[]): boolean {
  for (let index = 0; index + 1 < lines.length; index++) {
    const key = /^(\s*)[^\s#-][^#]*:\s*$/.exec(lines[index] ?? '');
    const item = /^(\s*)- /.exec(lines[index + 1] ?? '');
    if (key && item) return (item[1] ?? '').length > (key[1] ?? '').length;
  }
  return true;
}

/** The whitespace of the first line indented under an opening brace or bracket. */
function jsonIndent(lines: readonly string[]): string {
  for (let index = 0; index + 1 < lines.length; index++) {
    if (!/[{[]\s*$/.test(lines[index] ?? '')) continue;
    const outer = /^\s*/.exec(lines[index] ?? '')?.[0] ?? '';
    const inner = /^\s*/.exec(lines[index + 1] ?? '')?.[0] ?? '';
    if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  }
  return '  ';
}

/** A YAML block for `value` (no trailing newline), in the file's indentation; `\n` line breaks. */
export function yamlBlock(value: unknown, style: TextStyle): string {
  return stringify(value, {
    indent: style.indent.length || 2,
    indentSeq: style.indentSeq,
    singleQuote: style.singleQuote,
    lineWidth: 0,
    minContentWidth: 0,
  }).replace(/\n$/, '');
}

/**
 * JSON for `value` in the file's indentation and key-value separator, continuation lines prefixed by `base`;
 * `\n` line breaks.
 */
export function jsonBlock(value: unknown, style: TextStyle, base: string): string {
  const write = (node: unknown, indent: string): string => {
    if (node === null || typeof node !== 'object') return JSON.stringify(node) ?? 'null';
    const inner = indent + style.indent;
    const items = Array.isArray(node)
      ? node.map((item: unknown) => inner + write(item, inner))
      : Object.entries(node).map(
          ([key, item]) => `${inner}${JSON.stringify(key)}${style.colon}${write(item, inner)}`,
        );
    const [open, close] = Array.isArray(node) ? ['[', ']'] : ['{', '}'];
    return items.length === 0 ? `${open}${close}` : `${open}\n${items.join(',\n')}\n${indent}${close}`;
  };
  return write(value, base);
}

/**
 * `value` on one line in the style of the `{...}` map it goes into: JSON (every string in double quotes) or
 * YAML flow (plain scalars where YAML reads them back as the same string, else quoted as the file prefers).
 */
export function flowText(
  value: unknown,
  syntax: 'yaml' | 'json',
  flow: FlowStyle,
  singleQuote = false,
): string {
  const pad = flow.padding ? ' ' : '';
  const scalar = (node: unknown): string =>
    syntax === 'json' ? (JSON.stringify(node) ?? 'null') : yamlFlowScalar(node, singleQuote);
  const write = (node: unknown): string => {
    if (node === null || typeof node !== 'object') return scalar(node);
    if (Array.isArray(node)) return `[${node.map((item: unknown) => write(item)).join(flow.comma)}]`;
    const members = Object.entries(node).map(([key, item]) => `${scalar(key)}${flow.colon}${write(item)}`);
    return members.length === 0 ? '{}' : `{${pad}${members.join(flow.comma)}${pad}}`;
  };
  return write(value);
}

/** A scalar inside a YAML flow collection: plain when it reads back as itself, else quoted. */
function yamlFlowScalar(value: unknown, singleQuote: boolean): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? 'null';
  const control = hasControl(value);
  const plain =
    value !== '' &&
    !control &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`]|[,[\]{}]|: |:$| #|\s$/.test(value) &&
    parse(value) === value;
  if (plain) return value;
  if (singleQuote && !control) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

/** A control character (line breaks, tabs, DEL): only a double-quoted scalar can hold it as written. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Turns the `\n` of generated text into the file's line ending. */
export function withEol(text: string, style: TextStyle): string {
  return style.eol === '\n' ? text : text.replace(/\r?\n/g, '\r\n');
}
