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
