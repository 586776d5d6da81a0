import { asObject, type YamlDocument } from './yaml-documents.js';

/**
 * Envoy reads its configuration as protobuf JSON/YAML, where every field may be written in snake_case
 * (`http_filters`, `inline_code`) or in the lowerCamelCase JSON name (`httpFilters`, `inlineCode`; protobuf
 * JSON mapping). The Envoy readers are written against snake_case; `snakeCaseDocument` gives them a view of a
 * document with every lowerCamelCase key renamed, whose `lineOf` / `evidence` still find the keys as written.
 */
export function snakeCaseDocument(document: YamlDocument): YamlDocument {
  if (!hasCamelKey(document.data)) return document;
  const data = toSnakeCase(document.data);
  const written = (path: readonly (string | number)[]): (string | number)[] => {
    const out: (string | number)[] = [];
    let node: unknown = document.data;
    for (const segment of path) {
      const object = asObject(node);
      if (typeof segment === 'number' || !object) {
        out.push(segment);
        node = Array.isArray(node) ? (node as unknown[])[Number(segment)] : undefined;
        continue;
      }
      const key =
        segment in object ? segment : (Object.keys(object).find((k) => snakeCase(k) === segment) ?? segment);
      out.push(key);
      node = object[key];
    }
    return out;
  };
  return {
    data,
    lineOf: (path) => document.lineOf(written(path)),
    evidence: (path) => document.evidence(written(path)),
    yaml11Number: (path) => document.yaml11Number(written(path)),
    written: (path) => document.written(written(path)),
  };
}

/** `httpFilters` -> `http_filters`; other keys (`@type`, `snake_case`, `X-Header`, `custom-jwt`) as they are. */
export function snakeCase(key: string): string {
  return /^[a-z][a-zA-Z0-9]*[A-Z][a-zA-Z0-9]*$/.test(key)
    ? key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
    : key;
}

function hasCamelKey(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasCamelKey);
  const object = asObject(node);
  if (!object) return false;
  return Object.entries(object).some(([key, value]) => snakeCase(key) !== key || hasCamelKey(value));
}

function toSnakeCase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toSnakeCase);
  const object = asObject(node);
  if (!object) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const name = snakeCase(key);
    if (!(name in out) || name === key) out[name] = toSnakeCase(value);
  }
  return out;
}
