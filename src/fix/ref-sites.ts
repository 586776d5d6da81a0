import { literalRef, type DocumentSet, type JsonPath, type SourceFile } from '../openapi/index.js';

/** One `$ref` as written: where (the object holding it), the string, and where its first hop leads. */
export interface RefSite {
  file: SourceFile;
  /** Path of the object holding `$ref`. */
  path: JsonPath;
  ref: string;
  target?: { file: SourceFile; path: JsonPath };
}

/** Every `$ref` in the document and the files it reaches, with its first hop resolved. */
export function collectRefSites(set: DocumentSet): RefSite[] {
  const sites: RefSite[] = [];
  const queue: SourceFile[] = [set.root];
  const seenFiles = new Set<SourceFile>(queue);
  while (queue.length > 0) {
    const file = queue.shift()!;
    const seen = new Set<object>();
    const walk = (node: unknown, path: JsonPath): void => {
      if (node === null || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      if (Array.isArray(node)) {
        node.forEach((item, index) => walk(item, [...path, index]));
        return;
      }
      const record = node as Record<string, unknown>;
      if (typeof record.$ref === 'string') {
        const target = resolveQuietly(set, file, record.$ref, [...path, '$ref']);
        sites.push({ file, path, ref: record.$ref, target });
        if (target && !seenFiles.has(target.file)) {
          seenFiles.add(target.file);
          queue.push(target.file);
        }
      }
      for (const [key, value] of Object.entries(record)) walk(value, [...path, key]);
    };
    walk(file.data, []);
  }
  return sites;
}

/** Where a `$ref` leads after one hop (file and path), or undefined when it does not resolve; never throws. */
export function resolveQuietly(
  set: DocumentSet,
  file: SourceFile,
  ref: string,
  at: JsonPath,
): { file: SourceFile; path: JsonPath } | undefined {
  // A `$ref` that cannot be decoded (`a~2b`, `100%`) is followed as a lenient reader reads it: a reader of a shared
  // 403 is never missed because its `$ref` is malformed (lint names the `$ref` where it reads it).
  for (const candidate of new Set([ref, literalRef(ref)])) {
    try {
      const target = set.resolve(file, candidate, at);
      return target ? { file: target.file, path: target.path } : undefined;
    } catch {
      // the next candidate
    }
  }
  return undefined;
}

/** Whether `prefix` is `path` or one of its ancestors (segments compared as strings). */
export function isPrefix(prefix: JsonPath, path: JsonPath): boolean {
  return (
    prefix.length <= path.length && prefix.every((segment, index) => String(segment) === String(path[index]))
  );
}
