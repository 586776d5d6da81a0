import { isObject, type JsonPath } from '../openapi/pointer.js';

/**
 * One change to a file's data, in the order the plan makes them. The same list drives the text splice,
 * the check that the edited text parses back to the intended data, and the Overlay actions, so the three
 * cannot disagree. Paths are in terms of the data as it is after the earlier operations of the same file.
 */
export type DataOp =
  | { kind: 'rename-key'; map: JsonPath; from: string; to: string }
  | { kind: 'remove-key'; map: JsonPath; key: string }
  /** Adds a key that does not exist yet, at the end of the map. */
  | { kind: 'add-key'; map: JsonPath; key: string; value: unknown }
  /** Replaces the value at `path` (which exists). */
  | { kind: 'replace-value'; path: JsonPath; value: unknown };

/** Applies the operations to a copy of `data` and returns it; `data` is not changed. */
export function applyOpsToData(data: unknown, ops: readonly DataOp[]): unknown {
  // structuredClone keeps YAML aliases as shared objects, exactly as an edit at an anchor behaves in the text.
  const copy = structuredClone(data);
  for (const op of ops) applyOp(copy, op);
  return copy;
}

/** Applies one operation to `root` in place. */
export function applyOp(root: unknown, op: DataOp): void {
  if (op.kind === 'replace-value') {
    const last = op.path[op.path.length - 1];
    const parent = containerAt(root, op.path.slice(0, -1));
    if (Array.isArray(parent) && typeof last === 'number') parent[last] = structuredClone(op.value);
    else if (isObject(parent)) parent[String(last)] = structuredClone(op.value);
    else throw new Error(`internal: no value at /${op.path.join('/')}`);
    return;
  }
  const map = mapAt(root, op.map);
  if (op.kind === 'add-key') {
    map[op.key] = structuredClone(op.value);
  } else if (op.kind === 'remove-key') {
    delete map[op.key];
  } else {
    renameInPlace(map, op.from, op.to);
  }
}

/** Renames a key keeping its position among the other keys. */
function renameInPlace(map: Record<string, unknown>, from: string, to: string): void {
  if (!(from in map)) return; // a shared (aliased) map renamed through another path already
  const entries = Object.entries(map).map(([key, value]): [string, unknown] => [
    key === from ? to : key,
    value,
  ]);
  for (const key of Object.keys(map)) delete map[key];
  for (const [key, value] of entries) map[key] = value;
}

/** The map or sequence at `path` (a replaced value's parent: an `enum` list's item is replaced in place). */
function containerAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

function mapAt(root: unknown, path: JsonPath): Record<string, unknown> {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  if (!isObject(node)) throw new Error(`internal: no map at /${path.join('/')}`);
  return node;
}
