import { parse } from 'yaml';
import type { JsonPath } from '../openapi/pointer.js';
import { applyOp, type DataOp } from './ops.js';
import type { OverlayAction } from './types.js';

/**
 * The Overlay 1.0 actions with the effect of `ops` on the root document. Overlay has no rename, so a key
 * rename is an `update` on the map adding the new key with the old value, then a `remove` of the old key
 * (reference/lint-anchors.md §2). Targets are RFC 9535 normalized paths, each naming exactly one node.
 */
export function overlayActions(data: unknown, ops: readonly DataOp[]): OverlayAction[] {
  const current = structuredClone(data);
  const actions: OverlayAction[] = [];
  for (const op of ops) {
    if (op.kind === 'rename-key') {
      const value = valueAt(current, [...op.map, op.from]);
      actions.push(
        { target: normalizedPath(op.map), update: { [op.to]: value } },
        { target: normalizedPath([...op.map, op.from]), remove: true },
      );
    } else if (op.kind === 'remove-key') {
      actions.push({ target: normalizedPath([...op.map, op.key]), remove: true });
    } else if (op.kind === 'add-key') {
      actions.push({ target: normalizedPath(op.map), update: { [op.key]: op.value } });
    } else if (typeof op.path[op.path.length - 1] === 'number' && op.path.length >= 2) {
      // An item of a list (an `enum`'s 403): `update` on a list appends, so the list is removed and set again
      // whole, with the item replaced, on the map that holds it.
      const list = op.path.slice(0, -1);
      const replaced = valueAt(current, list);
      if (Array.isArray(replaced))
        replaced[op.path[op.path.length - 1] as number] = structuredClone(op.value);
      actions.push(
        { target: normalizedPath(list), remove: true },
        { target: normalizedPath(list.slice(0, -1)), update: { [String(list[list.length - 1])]: replaced } },
      );
    } else {
      const parent = op.path.slice(0, -1);
      const key = String(op.path[op.path.length - 1]);
      // `update` merges objects into the target, so a structured value is removed first, then set.
      if (isStructured(op.value) || isStructured(valueAt(current, op.path))) {
        actions.push({ target: normalizedPath(op.path), remove: true });
      }
      actions.push({ target: normalizedPath(parent), update: { [key]: op.value } });
    }
    applyOp(current, op);
  }
  return actions;
}

/** `$['paths']['/accounts/{id}']['get']['responses']` (RFC 9535 §2.7). */
export function normalizedPath(path: JsonPath): string {
  return `$${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `['${escapeName(segment)}']`)).join('')}`;
}

function escapeName(name: string): string {
  let escaped = '';
  for (const char of name) {
    const code = char.charCodeAt(0);
    escaped +=
      char === '\\' || char === "'"
        ? `\\${char}`
        : code < 0x20
          ? (NAMED_ESCAPES[char] ?? `\\u${code.toString(16).padStart(4, '0')}`)
          : char;
  }
  return escaped;
}

const NAMED_ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function valueAt(data: unknown, path: JsonPath): unknown {
  let node = data;
  for (const segment of path) node = (node as Record<string, unknown> | undefined)?.[String(segment)];
  return structuredClone(node);
}

function isStructured(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

/** How the `info.title` of every Overlay `fix --overlay` writes begins: the mark of one mtls-fix wrote. */
export const OVERLAY_TITLE_PREFIX = 'mtls-fix: ';

/**
 * True when `text` (YAML or JSON) is an Overlay `fix --overlay` wrote for the document `extendsPath` (the
 * `extends` it would write now): `overlay` set, `info.title` beginning {@link OVERLAY_TITLE_PREFIX} and the same
 * `extends`. A hand-written Overlay, one for another document, an OpenAPI document or text that does not parse
 * is not: replacing it would lose a user's work (breaker31 #08).
 */
export function isOwnOverlay(text: string, extendsPath: string): boolean {
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return false;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const { overlay, info, extends: extended } = data as Record<string, unknown>;
  const title =
    info !== null && typeof info === 'object' ? (info as Record<string, unknown>).title : undefined;
  return (
    typeof overlay === 'string' &&
    typeof title === 'string' &&
    title.startsWith(OVERLAY_TITLE_PREFIX) &&
    extended === extendsPath
  );
}
