import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { yaml11Number } from '../openapi/yaml11.js';
import { LineIndex } from './text.js';

/** One YAML (or JSON) document with its plain data and the lines of its keys. */
export interface YamlDocument {
  data: unknown;
  /** 1-based line of the key at `path` (or of the item, for sequence indexes); the document start if absent. */
  lineOf(path: readonly (string | number)[]): number;
  /** The trimmed text of the line holding the key at `path`. */
  evidence(path: readonly (string | number)[]): string;
  /**
   * The number a YAML 1.1 reader gives the value at `path` when it is a plain scalar (no quotes, no tag; see
   * `yaml11Number`): 403 for `StatusCode: 4_03` or `0623`, which this YAML 1.2 parse reads as a string and 623.
   * AWS CloudFormation reads YAML 1.1. undefined when the value is not a plain scalar or not a number to YAML 1.1.
   */
  yaml11Number(path: readonly (string | number)[]): number | undefined;
  /**
   * The scalar at `path` as the file writes it, quotes and tag included (`'0623'`, `!!str 403`, `4_03`);
   * undefined when there is no scalar there.
   */
  written(path: readonly (string | number)[]): string | undefined;
}

/**
 * Every document of a YAML stream (`---`-separated; JSON is YAML too), parsed with the `yaml` package.
 * Local tags such as CloudFormation's `!Ref` / `!Sub` are kept as their plain value (the package warns and
 * resolves them untagged), which is what a host name or flag needs. A template's `{{ .Values.x }}` read as a
 * map key is stringified without a process warning on stderr (session 39). Throws the first syntax error's message.
 */
export function parseYamlDocuments(text: string): YamlDocument[] {
  const lines = new LineIndex(text);
  const documents = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const list = Array.isArray(documents) ? documents : [];
  const out: YamlDocument[] = [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) throw new Error(`${error.message.split('\n')[0]} (line ${lines.lineOf(error.pos[0])})`);
    const data: unknown = document.toJS({ maxAliasCount: 1000 });
    const contents = document.contents as Node | null;
    const startOffset = contents?.range?.[0] ?? 0;
    const lineOf = (path: readonly (string | number)[]): number => {
      const offset = keyOffset(contents, path);
      return lines.lineOf(offset ?? startOffset);
    };
    out.push({
      data,
      lineOf,
      evidence: (path) => lines.lineText(lineOf(path)),
      yaml11Number: (path) => plainNumber(valueAt(contents, path)),
      written: (path) => writtenScalar(text, valueAt(contents, path)),
    });
  }
  return out;
}

function keyOffset(root: Node | null, path: readonly (string | number)[]): number | undefined {
  let node: unknown = root;
  let offset: number | undefined = root?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** `value` as a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `value` as an array (a single value becomes a one-item list; nothing becomes an empty one). */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** A string or a number/boolean written as a scalar, as text; anything else undefined. */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
}

/** Nested lookup on plain data. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else {
      const object = asObject(node);
      if (!object) return undefined;
      node = object[String(segment)];
    }
  }
  return node;
}

/** The node at `path` (map keys compared as text, sequence indexes as numbers); undefined when absent. */
function valueAt(root: Node | null, path: readonly (string | number)[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      node = pair?.value;
    } else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return node;
}

/** The text of a scalar node as written, with a tag written before it (`!!str 0623`); undefined for anything else. */
function writtenScalar(text: string, node: unknown): string | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const [start, end] = node.range;
  const value = text.slice(start, end).trim();
  if (node.tag === undefined) return value;
  const tag = /(![^\s]*)[ \t]+$/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1, start))?.[1];
  return tag === undefined ? value : `${tag} ${value}`;
}

/** YAML 1.1's number for a plain, untagged scalar node, as written; undefined for anything else. */
function plainNumber(node: unknown): number | undefined {
  if (!isScalar(node) || node.type !== 'PLAIN' || node.tag !== undefined) return undefined;
  const source = (node as { source?: unknown }).source;
  return yaml11Number(typeof source === 'string' ? source : String(node.value));
}
