/** A path into parsed data: object keys and array indexes, as Spectral's JsonPath. */
export type JsonPath = (string | number)[];

/**
 * Decodes a JSON pointer as a `$ref` fragment writes it (RFC 6901 §6: percent-encoded, then `~1` for `/` and `~0`
 * for `~`) into path segments.
 * @throws Error when it is not a pointer (no leading `/`) or cannot be decoded ({@link undecodable} says why).
 */
export function decodePointer(pointer: string): JsonPath {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  const problem = undecodable(pointer, true);
  if (problem) throw new Error(problem);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Why a `$ref`'s file part (`pointer` false) or JSON pointer fragment (`pointer` true) cannot be decoded, or
 * undefined when it can: a `%` not followed by two hex digits (RFC 3986 §2.1), percent-encoded bytes that are not
 * UTF-8, and in a pointer a `~` not followed by `0` or `1` (RFC 6901 §3, §4: an error, not a literal `~2`).
 * A reader that decodes strictly rejects such a `$ref` while a lenient one reads it literally, so mtls-fix names it
 * instead of guessing which the author meant.
 */
export function undecodable(text: string, pointer: boolean): string | undefined {
  const percent = /%(?![0-9a-fA-F]{2})/.exec(text);
  if (percent)
    return `'${text.slice(percent.index, percent.index + 3)}' is not a percent-encoded byte (a literal % is written %25)`;
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    const bytes = /(%[0-9a-fA-F]{2})+/.exec(text)?.[0] ?? text;
    return `'${bytes}' is not percent-encoded UTF-8`;
  }
  if (!pointer) return undefined;
  const tilde = /~(?![01])/.exec(decoded);
  return tilde
    ? `'${decoded.slice(tilde.index, tilde.index + 2)}' is not a JSON pointer escape (~0 stands for ~, ~1 for /)`
    : undefined;
}

export function encodePointer(path: JsonPath): string {
  return path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * The `$ref` a lenient reader follows when `ref` cannot be decoded ({@link undecodable}): its undecodable parts
 * read as written (`100%` as `100%25`, `a~2b` as `a~02b`). `fix` uses it to find every reader a shared 403 may
 * have, so that no reader is missed because its `$ref` is malformed; `ref` itself when it decodes.
 */
export function literalRef(ref: string): string {
  const hash = ref.indexOf('#');
  const target = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? undefined : ref.slice(hash + 1);
  const literal = (text: string): string => {
    const escaped = text.replace(/%(?![0-9a-fA-F]{2})/g, '%25');
    try {
      decodeURIComponent(escaped);
      return escaped;
    } catch {
      return text.replace(/%/g, '%25');
    }
  };
  const file = /^file:/i.test(target) || undecodable(target, false) === undefined ? target : literal(target);
  if (fragment === undefined) return file;
  const pointer =
    undecodable(fragment, true) === undefined ? fragment : literal(fragment).replace(/~(?![01])/g, '~0');
  return `${file}#${pointer}`;
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
