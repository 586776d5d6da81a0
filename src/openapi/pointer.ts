/** A path into parsed data: object keys and array indexes, as Spectral's JsonPath. */
export type JsonPath = (string | number)[];

export function decodePointer(pointer: string): JsonPath {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => safeDecodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function encodePointer(path: JsonPath): string {
  return path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function safeDecodeURIComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Value at `path`, or undefined; reads own properties only. */
export function getAtPath(data: unknown, path: JsonPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = String(segment);
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
