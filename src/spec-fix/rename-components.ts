import type { DocumentSet } from '../openapi/index.js';
import { encodePointer, getAtPath, isObject, type JsonPath } from '../openapi/pointer.js';
import type { SpecVersion } from '../openapi/version.js';
import type { DataOperation, FilePlan } from './plan.js';
import { keyDigitsOffset, type TextEdit } from './text-edits.js';

const STATUS_NAMES: Record<number, string> = {
  401: 'Unauthorized',
  404: 'NotFound',
  410: 'Gone',
  400: 'BadRequest',
};

/**
 * `--rename-components`: a 403 response component whose every `$ref` in the root document is being migrated
 * gets the agreed status's name (`Forbidden` -> `Unauthorized`, `403Error` -> `401Error`, or `name`), and every
 * ref to it follows. Components still used elsewhere, or whose new name is taken, are left with a note.
 */
export function planComponentRenames(
  set: DocumentSet,
  version: SpecVersion,
  rootPlan: FilePlan,
  status: number,
  name: string | undefined,
): { edits: TextEdit[]; operations: DataOperation[]; notes: string[] } {
  const result = { edits: [] as TextEdit[], operations: [] as DataOperation[], notes: [] as string[] };
  const root = set.root;
  const container: JsonPath = version.kind === 'swagger2' ? ['responses'] : ['components', 'responses'];
  const prefix = `#${encodePointer(container)}/`;
  // The migrated entries of the root file that point at a component, grouped by component.
  const migrated = new Map<string, JsonPath[]>();
  for (const operation of rootPlan.operations) {
    if (operation.kind !== 'rename') continue;
    const entryPath = [...operation.responsesPath, operation.from];
    const ref = (getAtPath(root.data, entryPath) as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(prefix)) continue;
    const component = ref.slice(prefix.length);
    if (component.includes('/')) continue;
    migrated.set(component, [...(migrated.get(component) ?? []), entryPath]);
  }
  const allRefs = countRefs(root.data);
  const components = getAtPath(root.data, container);
  for (const [component, entries] of migrated) {
    const ref = `${prefix}${component}`;
    if ((allRefs.get(ref) ?? 0) !== entries.length) {
      result.notes.push(`component '${component}' is also used by operations that keep 403; not renamed`);
      continue;
    }
    const newName = name ?? derivedName(component, status);
    if (!newName || newName === component) {
      result.notes.push(`component '${component}': give its new name with --component-name`);
      continue;
    }
    if (isObject(components) && components[newName] !== undefined) {
      result.notes.push(`component '${component}' not renamed: '${newName}' already exists`);
      continue;
    }
    const keyEdit = componentKeyEdit(
      root.text,
      root.rangeOf([...container, component], false),
      component,
      newName,
    );
    const refEdits = entries.map((entryPath) => refEdit(root, entryPath, ref, `${prefix}${newName}`));
    if (!keyEdit || refEdits.some((edit) => !edit)) {
      result.notes.push(`component '${component}' is written in flow style; rename it by hand`);
      continue;
    }
    result.edits.push(keyEdit, ...(refEdits as TextEdit[]));
    result.operations.push({ responsesPath: container, kind: 'rename', from: component, to: newName });
    for (const entryPath of entries) {
      const newEntry = [...entryPath.slice(0, -1), String(status)];
      result.operations.push({
        responsesPath: newEntry,
        kind: 'set-ref',
        from: ref,
        to: `${prefix}${newName}`,
      });
    }
    result.notes.push(`component '${component}' renamed to '${newName}'`);
  }
  return result;
}

/** `Forbidden` -> `Unauthorized`, `ForbiddenError` -> `UnauthorizedError`, `403Error` -> `401Error`. */
function derivedName(component: string, status: number): string | undefined {
  const statusName = STATUS_NAMES[status];
  if (/Forbidden/.test(component) && statusName) return component.replace(/Forbidden/g, statusName);
  if (/FORBIDDEN/.test(component) && statusName) {
    return component.replace(/FORBIDDEN/g, statusName.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase());
  }
  if (/403/.test(component)) return component.replace(/403/g, String(status));
  return undefined;
}

function countRefs(data: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') counts.set(ref, (counts.get(ref) ?? 0) + 1);
    for (const child of Object.values(node)) walk(child);
  };
  walk(data);
  return counts;
}

function componentKeyEdit(
  text: string,
  range: { start: { line: number; character: number } } | undefined,
  from: string,
  to: string,
): TextEdit | undefined {
  if (!range) return undefined;
  let offset = 0;
  for (let line = 0; line < range.start.line; line++) offset = text.indexOf('\n', offset) + 1;
  const start = offset + range.start.character;
  const quote = text[start] === '"' || text[start] === "'" ? 1 : 0;
  if (text.slice(start + quote, start + quote + from.length) !== from) return undefined;
  return { start: start + quote, end: start + quote + from.length, text: to };
}

/** The `$ref` string of a migrated entry, found right after its key (block or flow style). */
function refEdit(
  root: DocumentSet['root'],
  entryPath: JsonPath,
  from: string,
  to: string,
): TextEdit | undefined {
  const code = String(entryPath[entryPath.length - 1]);
  const keyOffset = keyDigitsOffset(root, entryPath, code);
  if (keyOffset === undefined) return undefined;
  const at = root.text.indexOf(from, keyOffset);
  if (at === -1 || at - keyOffset > 400) return undefined;
  return { start: at, end: at + from.length, text: to };
}
