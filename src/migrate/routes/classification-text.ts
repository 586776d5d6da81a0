import { AWS_ANY_METHOD, HTTP_METHODS } from '../../openapi/operation-fields.js';

/**
 * Fields `--spec` never reads, by the parent that holds them. Operation classification (src/openapi/classify.ts)
 * reads `security`, `servers`, `x-mtls` and the gateway extensions of the root, path items and operations, and
 * `components.securitySchemes` / `securityDefinitions`; the route matcher reads the `paths` keys and the method
 * fields. Request and response shapes are neither (and they are most of a large document's text).
 */
const UNREAD = {
  /** Swagger 2.0 root fields that hold only shapes. */
  root: new Set(['definitions', 'responses', 'parameters']),
  /** OAS 3 Components Object fields that hold only shapes (`securitySchemes` and `pathItems` are read). */
  components: new Set([
    'schemas',
    'responses',
    'parameters',
    'examples',
    'requestBodies',
    'headers',
    'links',
  ]),
  pathItem: new Set(['parameters']),
  operation: new Set(['parameters', 'requestBody', 'responses']),
} as const;

const OPERATION_KEYS: ReadonlySet<string> = new Set([...HTTP_METHODS, AWS_ANY_METHOD]);

type Role = 'root' | 'paths' | 'pathItem' | 'operation' | 'components' | 'skip';

/** `key:` at the start of a line's content: plain, single- or double-quoted; the rest after the colon. */
const KEY =
  /^(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^\s'"#\-?:,[\]{}&*!|>%@`].*?|-[^\s#].*?))[ \t]*:(?:[ \t]+(.*))?$/;

/** A line that ends with a block scalar's header (`key: |`, `- >-`, `key: |2 # note`). */
const BLOCK_SCALAR = /(?:^ *|[:-] +)[|>][1-9+-]*[ \t]*(?:#.*)?\r?$/;

/**
 * An anchor (`&name`) where YAML can read one, at the start of a node: a line's content, a value after `: `, an
 * item after `- ` or `? `, an entry after `[`, `{` or `,` (more than YAML reads: a plain text may hold these too;
 * a match only costs the blanking). `a && b` inside a text is none.
 */
const ANCHOR = /(?:^ *|[:?-] +|[[{,] *)&[^\s,[\]{}]/;

/**
 * The text of a block-style YAML OpenAPI document with the values of the fields `--spec` never reads blanked
 * (`UNREAD`: request bodies, responses, parameters, component shapes): each such line becomes an empty line, so
 * every kept line keeps its number and its text. The kept fields load to the same data as from the whole text;
 * on the 16,000-operation bench document (3.8 MB) this leaves about half of the text to the YAML parser.
 *
 * Only the structure the blanking relies on is read: keys at the start of lines, by their indentation (a
 * value's lines are indented deeper than its key, or are `- ` items at the key's own indentation). A field is
 * blanked only when its key line holds no value of its own (`responses:` alone, or with a comment), so no flow
 * collection or block scalar is cut. Anything this reading cannot place returns undefined and the caller loads
 * the whole text: a tab in an indentation, a second document (`---` after content, `...`), a line at a level
 * where a key is expected that is not one, an anchor (`&name`) on a blanked line (an alias elsewhere may use it).
 * A blanking that still leaves text the parser rejects must be loaded whole by the caller too (the error then
 * is the whole document's).
 *
 * @param text the document's text (UTF-8 decoded; a byte order mark is allowed).
 * @returns the blanked text, or undefined when nothing was blanked or the text is not plain enough to blank.
 */
export function classificationText(text: string): string | undefined {
  // JSON (and YAML written as one flow collection) has no block structure to blank.
  if (/^\uFEFF?\s*[[{]/.test(text)) return undefined;
  const frames: { indent: number; role: Role }[] = [{ indent: -1, role: 'root' }];
  const out: string[] = [];
  let kept = 0;
  let content = false;
  // The next `&` at or after the line being blanked (searched again only past it: one pass over the text).
  let amp = -1;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at < text.length) {
    const line = lineAt(text, at);
    at = line.next;
    if (line.indent < 0) continue;
    const first = text[line.start + line.indent];
    if (first === '#') continue;
    if (line.indent === 0 && (first === '-' || first === '.' || first === '%')) {
      // A directive or a document marker: one document only, its directives and `---` before any content.
      const marker =
        first === '%' ? '%' : /^(?:---|\.\.\.)(?:\s|$)/.exec(text.slice(line.start, line.start + 4))?.[0];
      if (marker !== undefined) {
        if (content || marker.startsWith('.')) return undefined;
        continue;
      }
    }
    content = true;
    let sibling: Role | undefined;
    while ((frames.at(-1) as { indent: number }).indent >= line.indent) sibling = frames.pop()?.role;
    const parent = frames.at(-1) as { indent: number; role: Role };
    if (parent.role === 'skip') continue;
    if (first === '\t') return undefined;
    const body = text.slice(line.start + line.indent, line.end).replace(/\r$/, '');
    // An item at its key's own indentation (`security:` then `- mtls: []`): part of a field this reading skips;
    // anywhere else a sequence stands where it reads a map.
    if (first === '-' && (body.length === 1 || body[1] === ' ')) {
      if (sibling !== 'skip') return undefined;
      frames.push({ indent: line.indent, role: 'skip' });
      continue;
    }
    const key = KEY.exec(body.replace(/[ \t]+#.*$/, ''));
    if (!key) return undefined;
    const name = key[1]?.replace(/''/g, "'") ?? key[2] ?? key[3];
    const inline = key[4] !== undefined && key[4] !== '';
    const role = roleOf(parent.role, name);
    if (role !== 'blank' || inline) {
      frames.push({ indent: line.indent, role: role === 'blank' ? 'skip' : role });
      continue;
    }
    // The value's lines: deeper than the key, blank, comments, or items at the key's indentation.
    const from = at;
    let lines = 0;
    // The indentation of the line that opens the block scalar being passed (its text is deeper), or -1.
    let scalar = -1;
    while (at < text.length) {
      const next = lineAt(text, at);
      if (next.indent >= 0 && next.indent <= line.indent) {
        const c = text[next.start + next.indent];
        const item =
          next.indent === line.indent &&
          c === '-' &&
          /^-(?:[ \r]|$)/.test(text.slice(next.start + next.indent, next.start + next.indent + 2));
        if (c !== '#' && !item) break;
      }
      // The text of a block scalar (`description: |`, `- >-`) holds no anchor, whatever it reads like.
      if (scalar < 0 || (next.indent >= 0 && next.indent <= scalar)) {
        scalar = -1;
        if (amp < next.start) amp = text.indexOf('&', next.start) >>> 0;
        if (amp < next.end) {
          const lineText = text.slice(next.start, next.end);
          if (ANCHOR.test(lineText)) return undefined;
        }
        if (BLOCK_SCALAR.test(text.slice(next.start, next.end))) scalar = next.indent;
      }
      lines++;
      at = next.next;
    }
    if (lines === 0) continue;
    out.push(text.slice(kept, from), '\n'.repeat(lines));
    kept = at;
  }
  if (out.length === 0) return undefined;
  out.push(text.slice(kept));
  // (A blanked last line without a line break gains one: the same lines, one more empty line at the end.)
  return out.join('');
}

/**
 * The line starting at `start`: where its text ends (before the `\n`), where the next line starts, and its
 * indentation in spaces (-1 for a line of spaces only, or empty; a `\r` alone counts as empty).
 */
function lineAt(text: string, start: number): { start: number; end: number; next: number; indent: number } {
  const newline = text.indexOf('\n', start);
  const end = newline < 0 ? text.length : newline;
  let p = start;
  while (p < end && text.charCodeAt(p) === 32) p++;
  const empty = p === end || (p === end - 1 && text.charCodeAt(p) === 13);
  return { start, end, next: newline < 0 ? text.length : newline + 1, indent: empty ? -1 : p - start };
}

/** What a key under a parent of the given role is to this reading. */
function roleOf(parent: Role, name: string): Role | 'blank' {
  switch (parent) {
    case 'root':
      if (name === 'paths') return 'paths';
      if (name === 'components') return 'components';
      return UNREAD.root.has(name) ? 'blank' : 'skip';
    case 'paths':
      return name.startsWith('x-') ? 'skip' : 'pathItem';
    case 'pathItem':
      if (OPERATION_KEYS.has(name.toLowerCase())) return 'operation';
      return UNREAD.pathItem.has(name) ? 'blank' : 'skip';
    case 'operation':
      return UNREAD.operation.has(name) ? 'blank' : 'skip';
    case 'components':
      return UNREAD.components.has(name) ? 'blank' : 'skip';
    default:
      return 'skip';
  }
}
