import type { ScanFile } from '../scan-file.js';

/** One object met while walking parsed configuration, with its path from the document root. */
export interface DataNode {
  node: Record<string, unknown>;
  path: (string | number)[];
  /** 1-based line of `path` (YAML/JSON: the key's line; Terraform: see {@link parsedConfig}). */
  line: (path: readonly (string | number)[]) => number;
}

/**
 * The parsed documents of a YAML / JSON file (its YAML documents) or a Terraform file (@cdktf/hcl2json, which
 * keeps no positions: `line` gives the first line of the file holding `hint`, else 1), each with a line finder.
 * Throws the parser's error.
 */
export async function parsedConfig(
  file: ScanFile,
): Promise<{ data: unknown; line: (path: readonly (string | number)[], hint?: RegExp) => number }[]> {
  if (file.baseName.endsWith('.tf')) {
    const { parse } = await import('@cdktf/hcl2json');
    const data = (await parse(file.relative, file.text)) as unknown;
    return [{ data, line: (_path, hint) => lineMatching(file, hint) }];
  }
  return file.yamlDocuments().map((document) => ({
    data: document.data,
    line: (path: readonly (string | number)[]) => document.lineOf(path),
  }));
}

/** Every object under `data`, depth first, with its path. */
export function objectsOf(data: unknown): { node: Record<string, unknown>; path: (string | number)[] }[] {
  const out: { node: Record<string, unknown>; path: (string | number)[] }[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Record<string, unknown>;
    out.push({ node, path });
    for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(data, []);
  return out;
}

/** A block hcl2json gives as a one-item list (`action_parameters { }`), or the object itself (JSON, YAML). */
export function single(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  return item !== null && typeof item === 'object' && !Array.isArray(item)
    ? (item as Record<string, unknown>)
    : undefined;
}

/** The 1-based line of the `index`-th line (0-based) matching `pattern`; 1 when there is none. */
export function lineMatching(file: ScanFile, pattern: RegExp | undefined, index = 0): number {
  if (!pattern) return 1;
  const lines = file.text.split('\n');
  const hits = lines.flatMap((text, at) => (pattern.test(text) ? [at + 1] : []));
  return hits[Math.min(index, hits.length - 1)] ?? 1;
}
