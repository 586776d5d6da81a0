import type { JsonPath } from './pointer.js';
import type { Range } from './range.js';

/**
 * Finds where keys and sequence items sit in a YAML text, for the few paths a report needs.
 *
 * Why not a YAML AST: building one costs ~4-11 s on a 10 MB spec (spectral-parsers, yaml), while
 * findings need the position of a handful of keys. This single line scan tracks indentation, sequence
 * indexes, block and multi-line quoted/flow scalars, and records only the wanted paths and their prefixes.
 * Keys inside flow collections (`{a: 1}`) are not located; callers fall back to the closest located prefix.
 */
export function locateInYaml(text: string, wanted: readonly JsonPath[]): Map<string, Range> {
  return scanYaml(text, pathTrie(wanted), undefined);
}

/**
 * Where the nodes at the wanted paths begin and end, as byte offsets: `lineStart` of the line holding the key
 * (or `- ` item), `keyStart` of the key itself and `end` (the start of the first line after the node). Paths
 * inside flow collections, behind aliases or merge keys are not found; callers fall back to a full parse.
 */
export function locateSpansInYaml(text: string, wanted: readonly JsonPath[]): Map<string, NodeSpan> {
  const spans = new Map<string, NodeSpan>();
  scanYaml(text, pathTrie(wanted), spans);
  return spans;
}

/** Byte offsets of a node found by {@link locateSpansInYaml} or {@link locateSpansInJson}. */
export interface NodeSpan {
  lineStart: number;
  keyStart: number;
  /** Exclusive. */
  end: number;
  /** True for a sequence item (`- ...`), which has no key. */
  item: boolean;
}

/** The wanted paths and their prefixes, one node per path segment. */
export interface PathTrie {
  children: Map<string, PathTrie>;
  /** pathKey of this node's path */
  key: string;
}

export function pathTrie(paths: readonly JsonPath[]): PathTrie {
  const root: PathTrie = { children: new Map(), key: '' };
  for (const path of paths) {
    let node = root;
    let key = '';
    for (let i = 0; i < path.length; i++) {
      const segment = String(path[i]);
      key = i === 0 ? segment : `${key}\u0000${segment}`;
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map(), key };
        node.children.set(segment, child);
      }
      node = child;
    }
  }
  return root;
}

interface Frame {
  indent: number;
  key: string;
  seq: boolean;
  /** The trie node of this frame's path, when it is a wanted path or prefix. */
  node: PathTrie | undefined;
  lineStart: number;
  keyStart: number;
}

function scanYaml(
  text: string,
  trie: PathTrie,
  spans: Map<string, NodeSpan> | undefined,
): Map<string, Range> {
  const found = new Map<string, Range>();
  const stack: Frame[] = [];
  let skipDeeperThan = -1; // lines indented deeper than this belong to a scalar, not to the tree
  let openQuote: '"' | "'" | null = null;
  let flowDepth = 0;
  let lineOffset = 0;
  let nextOffset = 0;

  const childNode = (key: string): PathTrie | undefined => {
    const parent = stack.length === 0 ? trie : stack[stack.length - 1].node;
    return parent?.children.get(key);
  };
  const push = (frame: Frame, lineNo: number, endColumn: number): void => {
    stack.push(frame);
    const node = frame.node;
    if (node && !found.has(node.key)) {
      found.set(node.key, {
        start: { line: lineNo, character: frame.keyStart - frame.lineStart },
        end: { line: lineNo, character: endColumn },
      });
    }
  };
  const pop = (): void => {
    const frame = stack.pop();
    if (spans && frame?.node && !spans.has(frame.node.key)) {
      spans.set(frame.node.key, {
        lineStart: frame.lineStart,
        keyStart: frame.keyStart,
        end: lineOffset,
        item: frame.seq,
      });
    }
  };

  // Line by line without splitting the whole text first: a 40 MB document has a million and a half lines.
  for (let lineNo = 0; nextOffset <= text.length; lineNo++) {
    lineOffset = nextOffset;
    let lineEnd = text.indexOf('\n', lineOffset);
    if (lineEnd === -1) lineEnd = text.length;
    nextOffset = lineEnd + 1;
    let line = text.slice(lineOffset, lineEnd);
    if (line.endsWith('\r')) line = line.slice(0, -1);

    if (openQuote) {
      if (closingQuoteIndex(line, 0, openQuote) !== -1) openQuote = null;
      continue;
    }
    if (flowDepth > 0) {
      flowDepth += bracketBalance(line);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (skipDeeperThan >= 0) {
      if (indent > skipDeeperThan) continue;
      skipDeeperThan = -1;
    }
    if (trimmed.startsWith('#') || trimmed.startsWith('%')) continue;
    if (indent === 0 && (trimmed.startsWith('---') || trimmed.startsWith('...'))) {
      while (stack.length > 0) pop();
      continue;
    }

    let column = indent;
    let rest = line.slice(indent);
    // Sequence entries: `- value` or `- key: value`.
    while (rest === '-' || rest.startsWith('- ')) {
      let index = 0;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.indent > column) {
          pop();
          continue;
        }
        if (top.indent === column && top.seq) {
          index = Number(top.key) + 1;
          pop();
        }
        break;
      }
      const key = String(index);
      push(
        {
          indent: column,
          key,
          seq: true,
          node: childNode(key),
          lineStart: lineOffset,
          keyStart: lineOffset + column,
        },
        lineNo,
        line.length,
      );
      const afterDash = rest.slice(1);
      const spaces = afterDash.length - afterDash.trimStart().length;
      column += 1 + spaces;
      rest = afterDash.trimStart();
    }
    if (rest === '') continue;

    const parsedKey = readKey(rest);
    if (!parsedKey) {
      // A scalar or flow value as a sequence item: whatever is deeper belongs to it.
      skipDeeperThan = column;
      ({ openQuote, flowDepth } = valueState(rest));
      continue;
    }
    // A key after `- ` is deeper than its sequence entry, so the entry stays its parent.
    while (stack.length > 0 && stack[stack.length - 1].indent >= column) pop();
    push(
      {
        indent: column,
        key: parsedKey.key,
        seq: false,
        node: childNode(parsedKey.key),
        lineStart: lineOffset,
        keyStart: lineOffset + column,
      },
      lineNo,
      line.length,
    );

    const value = rest.slice(parsedKey.length).trim();
    if (value === '' || value.startsWith('#') || /^[&!][^\s]*\s*(#.*)?$/.test(value)) continue; // children follow
    skipDeeperThan = column;
    ({ openQuote, flowDepth } = valueState(value.replace(/^[&!][^\s]*\s+/, '')));
  }
  lineOffset = text.length;
  if (!openQuote && flowDepth === 0) while (stack.length > 0) pop();
  return found;
}

/** `key:` at the start of `rest`: its unquoted text and how many characters the key and colon take. */
function readKey(rest: string): { key: string; length: number } | undefined {
  const first = rest[0];
  if (first === '"' || first === "'") {
    const close = closingQuoteIndex(rest, 1, first);
    if (close === -1) return undefined;
    const after = rest.slice(close + 1);
    const colon = /^[ \t]*:(?=[ \t]|$)/.exec(after);
    if (!colon) return undefined;
    const raw = rest.slice(1, close);
    const key = first === "'" ? raw.replace(/''/g, "'") : unescapeDouble(raw);
    return { key, length: close + 1 + colon[0].length };
  }
  if (first === '[' || first === '{' || first === '?' || first === '|' || first === '>' || first === '#') {
    return undefined;
  }
  const colon = /:(?=[ \t]|$)/.exec(rest);
  if (!colon) return undefined;
  const before = rest.slice(0, colon.index);
  if (/\s#/.test(before)) return undefined;
  return { key: before.trimEnd(), length: colon.index + 1 };
}

function unescapeDouble(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Index of the quote that closes a scalar opened before `from`, or -1 if it stays open. */
function closingQuoteIndex(text: string, from: number, quote: '"' | "'"): number {
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote === '"' && char === '\\') {
      i++;
      continue;
    }
    if (char === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** Whether a value opens a quoted scalar or flow collection that continues on later lines. */
function valueState(value: string): { openQuote: '"' | "'" | null; flowDepth: number } {
  const first = value[0];
  if ((first === '"' || first === "'") && closingQuoteIndex(value, 1, first) === -1) {
    return { openQuote: first, flowDepth: 0 };
  }
  if (first === '[' || first === '{')
    return { openQuote: null, flowDepth: Math.max(0, bracketBalance(value)) };
  return { openQuote: null, flowDepth: 0 };
}

/** Opening minus closing brackets outside quotes and comments. */
function bracketBalance(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if ((char === '"' || char === "'") && startsScalar(text, i)) {
      const close = closingQuoteIndex(text, i + 1, char);
      if (close === -1) break;
      i = close;
    } else if (char === '#' && (i === 0 || text[i - 1] === ' ')) break;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') depth--;
  }
  return depth;
}

/** A quote opens a quoted scalar only where a scalar starts (`[ 'a'`, `, "b"`, `: 'c'`), not in `customer's`. */
function startsScalar(text: string, index: number): boolean {
  const before = text.slice(0, index).trimEnd();
  return before === '' || /[[{,:-]$/.test(before);
}

export function pathKey(path: JsonPath): string {
  return path.map(String).join('\u0000');
}

export function prefixKeys(paths: readonly JsonPath[]): Set<string> {
  const keys = new Set<string>();
  for (const path of paths) {
    for (let length = 0; length <= path.length; length++) keys.add(pathKey(path.slice(0, length)));
  }
  return keys;
}
