import { stringify } from 'yaml';

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
}

export function detectStyle(text: string, syntax: 'yaml' | 'json'): TextStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n', 5000).map((line) => line.replace(/\r$/, ''));
  if (syntax === 'json')
    return { syntax, eol, indent: jsonIndent(lines), indentSeq: true, singleQuote: false };
  const single = (text.match(/: '/g) ?? []).length;
  const double = (text.match(/: "/g) ?? []).length;
  return {
    syntax,
    eol,
    indent: ' '.repeat(yamlIndent(lines)),
    indentSeq: yamlIndentsSequences(lines),
    singleQuote: single > double,
  };
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

/** JSON for `value` in the file's indentation, continuation lines prefixed by `base`; `\n` line breaks. */
export function jsonBlock(value: unknown, style: TextStyle, base: string): string {
  return JSON.stringify(value, null, style.indent).replace(/\n/g, `\n${base}`);
}

/** Turns the `\n` of generated text into the file's line ending. */
export function withEol(text: string, style: TextStyle): string {
  return style.eol === '\n' ? text : text.replace(/\r?\n/g, '\r\n');
}
