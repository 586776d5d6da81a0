import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { MtlsFixError } from '../errors.js';
import { closingQuote, scanJsonTree } from './locate-json.js';
import { childOf, isWhiteSpace, pathNode, pathTree, rangeOfNode, type PathNode } from './locate-tree.js';
import { scanYamlTree } from './locate-yaml.js';
import { countJsonMembers, countMembers, firstDuplicateKey } from './json-duplicates.js';
import { encodePointer, type JsonPath } from './pointer.js';
import { lineStarts, positionAt, type Range } from './range.js';
import { flowLocator, type KeyOffsets } from './locate-flow.js';
import { compactSparseIndexKeys, loadYamlSharingText } from './yaml-load.js';
import { describeWideEncoding, firstInvalidUtf8, lineAndColumnOfByte, wideEncoding } from '../util/utf8.js';
import { hasLoneCr, loneCrAsLf } from '../util/line-breaks.js';
import { linesOfText } from '../util/lines.js';

/** One parsed file of a (possibly multi-file) document, with lazy source positions. */
export interface SourceFile {
  /** Absolute path */
  readonly path: string;
  readonly text: string;
  readonly syntax: 'yaml' | 'json';
  readonly bom: boolean;
  /**
   * The file's text (without its BOM) when some of its line ends are a CR alone (old Mac): `text` has each such CR
   * read as a LF, the same length, so every offset and column is the file's and lines count right; a writer edits
   * this text at the same offsets, so each line end stays as it was. `loneCr` says whether every line end is one
   * (`cr`: a line a writer adds ends with a CR too) or some are (`mixed`).
   */
  readonly original?: string;
  readonly loneCr?: 'cr' | 'mixed';
  readonly data: unknown;
  /** 0-based range of `path`, or of its closest existing ancestor when `closest`. */
  rangeOf(path: JsonPath, closest?: boolean): Range | undefined;
  /** Computes positions for many paths in one pass; later rangeOf calls for them are free. */
  prepareRanges(paths: readonly JsonPath[]): void;
}

/**
 * Locates many places, each `{ file, path }`, with one {@link SourceFile.prepareRanges} pass per file, so that a
 * later `rangeOf` of each is free: one scan of a file for all of them, never one scan per place (quadratic in a
 * document with a finding on each of thousands of operations).
 */
export function prepareRangesOf(places: Iterable<{ file: SourceFile; path: JsonPath }>): void {
  const byFile = new Map<SourceFile, JsonPath[]>();
  for (const { file, path } of places) {
    const paths = byFile.get(file);
    if (paths) paths.push(path);
    else byFile.set(file, [path]);
  }
  for (const [file, paths] of byFile) file.prepareRanges(paths);
}

/**
 * YAML 1.2 core types (no timestamps: dates stay strings, as in JSON) plus merge keys (`<<: *common`), which
 * OpenAPI authors use to share responses and which Spectral's parser honours.
 */
// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
const YAML_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });
/** How the model reads YAML: its schema, and maps with sparse integer-like keys (`'403'`) kept small. */
const YAML_OPTIONS: jsYaml.LoadOptions = { schema: YAML_SCHEMA, listener: compactSparseIndexKeys };

/**
 * Parses YAML text with the model's own schema (as `parseSource` does). Throws js-yaml's YAMLException on
 * invalid YAML, duplicate keys included.
 */
export function loadYaml(text: string): unknown {
  return jsYaml.load(text, YAML_OPTIONS);
}

/**
 * {@link loadYaml} for data dropped right after use (fix compares each edited region and lets it go): the same
 * parser and schema, without the listener that keeps long-lived maps small (it changes only how V8 stores the
 * keys, not the data), which costs more than it saves there (~3.5 µs per 350-byte region). Throws as loadYaml.
 */
export function loadYamlTransient(text: string): unknown {
  return jsYaml.load(text, { schema: YAML_SCHEMA });
}

/** Expanded YAML nodes beyond which aliases count as a "billion laughs" bomb. */
const MAX_EXPANDED_NODES = 10_000_000;

/** Deepest nesting of maps and lists read (YAML stops at 100 levels in js-yaml; JSON.parse goes deeper). */
const MAX_DEPTH = 1_000;
/**
 * Whether the text holds an `&anchor` property: `&` where a node may start (the text's start, after white
 * space, `,`, `[` or `{`), then an anchor name character (YAML 1.2 §6.9.2). A jump from `&` to `&` (most
 * documents have none) instead of a regex tried at every offset of a 40 MB text.
 */
function hasAnchor(text: string): boolean {
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    const before = at === 0 ? -1 : text.charCodeAt(at - 1);
    if (before !== -1 && before !== 0x2c && before !== 0x5b && before !== 0x7b && !isWhiteSpace(before))
      continue;
    if (at + 1 >= text.length) return false;
    const next = text.charCodeAt(at + 1);
    // not white space , [ ] { }
    if (
      isWhiteSpace(next) ||
      next === 0x2c ||
      next === 0x5b ||
      next === 0x5d ||
      next === 0x7b ||
      next === 0x7d
    ) {
      continue;
    }
    return true;
  }
  return false;
}

export function readSourceFile(file: string, displayName = file): SourceFile {
  const absolute = path.resolve(file);
  let buffer: Buffer;
  try {
    if (statSync(absolute).isDirectory()) {
      throw new MtlsFixError(
        'EREAD',
        `${displayName} is a directory, not an OpenAPI file.`,
        'Pass a file or a glob.',
        {
          file: displayName,
        },
      );
    }
    buffer = readFileSync(absolute);
  } catch (error) {
    if (error instanceof MtlsFixError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? (error as Error).message})`;
    throw new MtlsFixError(
      code === 'ENOENT' ? 'ENOENT' : 'EREAD',
      `${what}.`,
      'Check the path and permissions.',
      {
        file: displayName,
      },
    );
  }
  return parseSource(buffer, absolute, displayName);
}

export function parseSource(buffer: Buffer, absolutePath: string, displayName = absolutePath): SourceFile {
  const wide = wideEncoding(buffer);
  if (wide) {
    throw new MtlsFixError(
      'EENCODING',
      `${wide.encoding.slice(0, 6)} is not supported (${describeWideEncoding(wide)}).`,
      `Save the file as UTF-8 (e.g. iconv -f ${wide.encoding} -t UTF-8).`,
      { file: displayName },
    );
  }
  if (buffer.subarray(0, 8192).includes(0)) {
    throw new MtlsFixError('EBINARY', 'binary file, not YAML or JSON.', 'Pass an OpenAPI document.', {
      file: displayName,
    });
  }
  let text = buffer.toString('utf8');
  // The decode is lossy: each byte that is not UTF-8 becomes U+FFFD, and `fix` would write that back. Text
  // without U+FFFD came from valid UTF-8, so only text with one needs the byte check (one pass, not two).
  const bad = text.includes('\uFFFD') ? firstInvalidUtf8(buffer) : undefined;
  if (bad !== undefined) {
    throw new MtlsFixError(
      'EENCODING',
      `not UTF-8 text: byte 0x${buffer[bad].toString(16).padStart(2, '0')} at offset ${bad}.`,
      'Convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8); YAML and JSON files are UTF-8.',
      { file: displayName, ...lineAndColumnOfByte(buffer, bad) },
    );
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const loneCr = loneCrKind(text);
  const original = loneCr ? text : undefined;
  if (loneCr) text = crAsLf(text);
  const parsed = parseText(text, displayName);
  const { data, syntax } = parsed;
  text = parsed.text; // YAML: the same text, sharing js-yaml's copy of it
  // Only YAML anchors make shared nodes; JSON, and YAML with no `&anchor` token, cannot expand.
  if (syntax === 'yaml' && hasAnchor(text)) checkAliasExpansion(data, displayName);
  // JSON cannot alias, but it can nest deeper than later (recursive) walks can go: one linear text scan.
  else if (syntax === 'json') {
    checkJsonDepth(text, displayName);
    checkJsonDuplicateKeys(text, data, displayName);
  }
  return makeSourceFile(
    absolutePath,
    () => text,
    syntax,
    bom,
    data,
    original && loneCr ? { original, loneCr } : {},
  );
}

/**
 * Whether the text has line ends that are a CR alone (YAML 1.2 §5.4 and JSON both read a CR alone as a line
 * break; js-yaml does too, but the position scans count LFs): `cr` when every line end is one, `mixed` when LFs
 * are there too, undefined when there is none (LF or CRLF files).
 */
export function loneCrKind(text: string): 'cr' | 'mixed' | undefined {
  if (!hasLoneCr(text)) return undefined;
  return text.includes('\n') ? 'mixed' : 'cr';
}

/** The text with every CR alone read as a LF (CRLF pairs stay): the same length, offsets unchanged. */
export function crAsLf(text: string): string {
  return loneCrAsLf(text);
}

/**
 * A root file whose data another parser already produced (stock Spectral's document): the text is read
 * only if a position is needed, so the document is not parsed twice.
 */
export function sourceFileFromData(absolutePath: string, data: unknown): SourceFile {
  let text: string | undefined;
  const readText = (): string => {
    if (text === undefined) {
      try {
        text = readFileSync(absolutePath, 'utf8').replace(/^\uFEFF/, '');
        if (loneCrKind(text)) text = crAsLf(text);
      } catch {
        text = '';
      }
    }
    return text;
  };
  const syntax = /\.json$/i.test(absolutePath) ? 'json' : 'yaml';
  return makeSourceFile(absolutePath, readText, syntax, false, data);
}

function parseText(
  text: string,
  displayName: string,
): { data: unknown; syntax: 'yaml' | 'json'; text: string } {
  const looksJson = /^\s*[[{]/.test(text);
  if (looksJson) {
    try {
      return { data: JSON.parse(text) as unknown, syntax: 'json', text };
    } catch (error) {
      // JSON with comments or trailing commas may still be YAML; report the JSON error if not.
      try {
        return { ...loadYamlSharingText(text, { schema: YAML_SCHEMA }), syntax: 'yaml' };
      } catch {
        const { line, column } = jsonErrorPosition(text, (error as Error).message);
        throw new MtlsFixError(
          'EPARSE',
          `invalid JSON: ${(error as Error).message.split('\n')[0]}.`,
          'Fix the syntax.',
          {
            file: displayName,
            line,
            column,
          },
        );
      }
    }
  }
  try {
    // Duplicate keys are an error: the data would hold the last one while positions point at the first.
    return { ...loadYamlSharingText(text, { schema: YAML_SCHEMA }), syntax: 'yaml' };
  } catch (error) {
    const yamlError = error as { reason?: string; mark?: { line: number; column: number }; message: string };
    const reason = yamlError.reason ?? yamlError.message.split('\n')[0];
    // js-yaml names no place for a stream of several documents: name the line where the second one starts.
    const second = yamlError.mark ? undefined : secondDocument(text);
    if (second) {
      throw new MtlsFixError(
        'EPARSE',
        second.empty
          ? `invalid YAML: an empty second YAML document starts here ('${second.marker}' with nothing after it); a file holds one OpenAPI document.`
          : `invalid YAML: a second YAML document starts here (${second.marker === '---' ? "'---'" : "after the '...' that ends the first"}); a file holds one OpenAPI document.`,
        second.empty ? `Remove that '${second.marker}' line.` : 'Put each document in a file of its own.',
        { file: displayName, line: second.line, column: 1 },
      );
    }
    const key =
      reason === 'duplicated mapping key' && yamlError.mark ? keyAt(text, yamlError.mark) : undefined;
    throw new MtlsFixError(
      'EPARSE',
      `invalid YAML: ${reason}${key === undefined ? '' : ` ${key}`}.`,
      'Fix the syntax.',
      {
        file: displayName,
        line: yamlError.mark ? yamlError.mark.line + 1 : undefined,
        column: yamlError.mark ? yamlError.mark.column + 1 : undefined,
      },
    );
  }
}

/**
 * Where a YAML stream's second document starts: the 1-based line of the `---` that opens it after content (or
 * of its first content line after a `...` end marker), the marker, and whether nothing but comments, blank
 * lines and markers follows (an empty document, e.g. a trailing `---`). `undefined` for a single document.
 * Markers are only recognised at column 0, as YAML 1.2 (§9.1) defines them.
 */
function secondDocument(text: string): { line: number; marker: '---' | '...'; empty: boolean } | undefined {
  const lines = text.split('\n');
  const isQuiet = (line: string): boolean => /^\s*(#[^\n]*)?$/.test(line);
  const marker = (line: string): '---' | '...' | undefined =>
    /^(---|\.\.\.)(?:[ \t\r]|$)/.exec(line)?.[1] as '---' | '...' | undefined;
  let content = false;
  let ended = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const found = marker(line);
    let start: '---' | '...' | undefined;
    if (found === '---' && (content || ended)) start = ended ? '...' : '---';
    else if (found === '...') ended = content || ended;
    else if (found === '---') content = !isQuiet(line.slice(3));
    else if (!isQuiet(line) && !(!content && line.startsWith('%'))) {
      if (ended) start = '...';
      content = true;
    }
    if (!start) continue;
    const rest = lines.slice(found === '---' ? index + 1 : index);
    const emptyRest =
      (found !== '---' || isQuiet(line.slice(3))) &&
      rest.every((other) => isQuiet(other) || marker(other) !== undefined);
    return { line: index + 1, marker: found === '---' ? '---' : start, empty: emptyRest };
  }
  return undefined;
}

/** The mapping key written at a 0-based line and column of a YAML text, as written (quotes kept), if one is there. */
function keyAt(text: string, mark: { line: number; column: number }): string | undefined {
  let start = 0;
  for (let line = 0; line < mark.line && start !== -1; line++) {
    start = text.indexOf('\n', start);
    if (start !== -1) start++;
  }
  if (start === -1) return undefined;
  const end = text.indexOf('\n', start);
  const rest = text.slice(start + mark.column, end === -1 ? undefined : end);
  const key = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:#'"][^:#]*?)(?=\s*:(?:\s|$))/.exec(rest);
  return key ? key[0].trimEnd() : undefined;
}

function jsonErrorPosition(text: string, message: string): { line?: number; column?: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  if (!position) return {};
  const offset = Number(position[1]);
  const { line, character } = linesOfText(text).at(offset);
  return { line: line + 1, column: character + 1 };
}

/** Refuses JSON nested deeper than {@link MAX_DEPTH} (EDEPTH): brackets counted outside strings, in one pass. */
function checkJsonDepth(text: string, displayName: string): void {
  // A native regex search jumps to the next quote or bracket; `indexOf` jumps over string contents.
  const significant = /["[\]{}]/g;
  let depth = 0;
  while (significant.test(text)) {
    const i = significant.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === 0x22) significant.lastIndex = closingQuote(text, i) + 1;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) throw depthError(displayName);
    } else depth--;
  }
}

/**
 * Refuses a JSON text that writes a key twice in one object (EPARSE), as YAML's loader does: JSON.parse keeps
 * the last one in silence while every position points at the first, so a repeated `paths` entry would drop
 * operations and a repeated `403` would be reported at the wrong line. Costs one scan and one walk of the data
 * (about a tenth of JSON.parse); the tokenizing search for the key runs only when there is one.
 */
function checkJsonDuplicateKeys(text: string, data: unknown, displayName: string): void {
  if (countJsonMembers(text) === countMembers(data)) return;
  const duplicate = firstDuplicateKey(text);
  if (!duplicate) return;
  const at = linesOfText(text).at(duplicate.offset);
  throw new MtlsFixError(
    'EPARSE',
    `invalid JSON: duplicated key ${JSON.stringify(duplicate.key)} in ${encodePointer(duplicate.path) || 'the top-level object'} (JSON.parse would keep only the last).`,
    'Remove or rename one of them.',
    {
      file: displayName,
      line: at.line + 1,
      column: at.character + 1,
      key: encodePointer([...duplicate.path, duplicate.key]),
    },
  );
}

function depthError(displayName: string): MtlsFixError {
  return new MtlsFixError(
    'EDEPTH',
    `nested more than ${MAX_DEPTH.toLocaleString('en')} levels deep.`,
    'mtls-fix reads documents nested up to that depth; flatten the structure (e.g. with $ref).',
    { file: displayName },
  );
}

/**
 * js-yaml shares aliased nodes instead of copying them, so parsing a "billion laughs" file is cheap,
 * but anything that walks or prints the data would expand it. Count the expanded size on the DAG
 * (memoised, linear in distinct nodes) and refuse documents that would explode. The walk is iterative
 * (an explicit stack), so a deeply nested document cannot overflow the call stack; one nested deeper than
 * {@link MAX_DEPTH} is refused (EDEPTH) because later walks (locators, verifiers, Spectral) recurse.
 */
function checkAliasExpansion(data: unknown, displayName: string): void {
  if (data === null || typeof data !== 'object') return;
  interface Frame {
    node: object;
    children: unknown[];
    index: number;
    total: number;
  }
  const sizes = new Map<object, number>();
  const stack: Frame[] = [];
  const enter = (node: object): void => {
    if (stack.length >= MAX_DEPTH) throw depthError(displayName);
    sizes.set(node, 1); // a cycle (only possible through aliases) counts once
    stack.push({ node, children: Object.values(node), index: 0, total: 1 });
  };
  enter(data);
  let total = 1;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.index < frame.children.length && frame.total <= MAX_EXPANDED_NODES) {
      const child = frame.children[frame.index++];
      if (child === null || typeof child !== 'object') frame.total += 1;
      else {
        const known = sizes.get(child);
        if (known !== undefined) frame.total += known;
        else enter(child);
      }
      continue;
    }
    stack.pop();
    sizes.set(frame.node, frame.total);
    if (stack.length > 0) stack[stack.length - 1].total += frame.total;
    else total = frame.total;
  }
  if (total > MAX_EXPANDED_NODES) {
    throw new MtlsFixError(
      'EALIAS',
      `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes (an alias bomb?).`,
      'Remove the recursive aliases.',
      { file: displayName },
    );
  }
}

function makeSourceFile(
  absolutePath: string,
  readText: () => string,
  syntax: 'yaml' | 'json',
  bom: boolean,
  data: unknown,
  lineEnds: Pick<SourceFile, 'original' | 'loneCr'> = {},
): SourceFile {
  // Every path asked for so far and its prefixes, with what the scans found: numbers in the tree's nodes, a
  // Range only when one is asked for. Nodes enter the index only as a scan looks for them, so a path whose
  // nodes are all there has been looked for.
  const index = pathNode();
  let flow: ((path: JsonPath) => KeyOffsets | undefined) | undefined;
  let starts: number[] | undefined;
  const nodeOf = (target: JsonPath): PathNode | undefined => {
    let node: PathNode | undefined = index;
    for (let depth = 0; node && depth < target.length; depth++)
      node = node.children?.get(String(target[depth]));
    return node;
  };
  const file: SourceFile = {
    path: absolutePath,
    get text() {
      return readText();
    },
    syntax,
    bom,
    ...lineEnds,
    data,
    prepareRanges(paths) {
      const missing = paths.filter((p) => nodeOf(p) === undefined);
      if (missing.length === 0) return;
      const text = readText();
      const json = syntax === 'json' || /^\s*\{/.test(text.slice(0, 256));
      // The first scan's tree becomes the index; a later one (for paths not asked before) is merged into it.
      const tree = index.children ? pathTree(missing) : index;
      if (tree === index) for (const p of missing) addPath(index, p);
      if (json) scanJsonTree(text, tree, false);
      else scanYamlTree(text, tree, false);
      if (tree !== index) mergeFound(index, tree);
    },
    rangeOf(target, closest = false) {
      if (nodeOf(target) === undefined) file.prepareRanges([target]);
      // The path's own range, else (with `closest`) the range of its deepest located ancestor.
      let found: PathNode | undefined;
      let node: PathNode | undefined = index;
      for (let depth = 0; node && depth < target.length; depth++) {
        node = node.children?.get(String(target[depth]));
        if (node && node.line >= 0) found = node;
      }
      if (node && node.line >= 0) return rangeOfNode(node);
      // YAML the line scan leaves to a parser (a key inside a flow map written over several lines): a full
      // parse, once per file and only when asked, so lint names the line `fix` names.
      if (node && found && syntax === 'yaml') {
        flow ??= flowLocator(readText());
        const offsets = flow(target);
        if (offsets && (offsets.exact || closest)) {
          starts ??= lineStarts(readText());
          const start = positionAt(starts, offsets.start);
          const end = positionAt(starts, offsets.end);
          // The `<<` a merged key comes through: the closest place, never recorded as the key's own.
          if (!offsets.exact) return { start, end: end.line === start.line ? end : start };
          node.line = start.line;
          node.startCharacter = start.character;
          node.endCharacter = end.line === start.line ? end.character : start.character;
          return rangeOfNode(node);
        }
      }
      return closest && found ? rangeOfNode(found) : undefined;
    },
  };
  return file;
}

function addPath(root: PathNode, path: JsonPath): void {
  let node = root;
  for (const segment of path) node = childOf(node, String(segment));
}

/** Copies what a scan of `from` found into `into` (nodes `into` already located keep their place). */
function mergeFound(into: PathNode, from: PathNode): void {
  if (!from.children) return;
  for (const [segment, source] of from.children) {
    const target = childOf(into, segment);
    if (target.line < 0 && source.line >= 0) {
      target.line = source.line;
      target.startCharacter = source.startCharacter;
      target.endCharacter = source.endCharacter;
    }
    mergeFound(target, source);
  }
}
