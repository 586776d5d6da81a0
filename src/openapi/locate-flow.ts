import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { JsonPath } from './pointer.js';

/** Where a key (or sequence item) starts and ends in the text: UTF-16 offsets. */
export interface KeyOffsets {
  start: number;
  end: number;
  /**
   * False when the path's key is not written in this map but a merge key (`<<: *anchor`) of it may bring it: the
   * offsets are then those of the `<<` key, the closest place to look.
   */
  exact: boolean;
}

/**
 * Finds keys the line scan (locate-yaml.ts) does not: keys inside flow collections (`{'401': a, '403': b}` over
 * several lines, a whole document in flow style) and other layouts it leaves to a parser. It parses the whole
 * text once with the `yaml` package (seconds on a 10 MB document, so callers ask only for paths the scan missed)
 * and walks the path through maps and sequences as written: never through an alias or a merge key (`<<`), whose
 * keys are written elsewhere; a key missing from a map with a `<<` gives that `<<` key, marked not exact (the
 * 403 a merge brings is reported where the merge is written). Undefined when the path is not written in this
 * text that way, or the text does not parse.
 */
export function flowLocator(text: string): (path: JsonPath) => KeyOffsets | undefined {
  let document: Document.Parsed | null | undefined;
  return (path) => {
    if (document === undefined) {
      try {
        const parsed = parseDocument(text, { uniqueKeys: false, strict: false });
        document = parsed.errors.length > 0 ? null : parsed;
      } catch {
        document = null;
      }
    }
    if (!document) return undefined;
    let node: unknown = document.contents;
    let found: KeyOffsets | undefined;
    for (const segment of path) {
      const name = String(segment);
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === name);
        if (!pair) {
          const merge = node.items.find((item) => isScalar(item.key) && item.key.value === '<<');
          if (!merge || !isScalar(merge.key) || !merge.key.range) return undefined;
          return { start: merge.key.range[0], end: merge.key.range[1], exact: false };
        }
        if (!isScalar(pair.key) || !pair.key.range) return undefined;
        found = { start: pair.key.range[0], end: pair.key.range[1], exact: true };
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(name)];
        if (!/^\d+$/.test(name) || item === undefined) return undefined;
        const range = (item as { range?: [number, number, number] }).range;
        if (!range) return undefined;
        found = { start: range[0], end: range[1], exact: true };
        node = item;
      } else return undefined;
    }
    return found;
  };
}
