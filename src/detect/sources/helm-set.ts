/**
 * Helm values given one key at a time, as `helm --set name=value` takes them: a Terraform `helm_release`'s `set`
 * blocks (src/detect/sources/helm-release.ts) and an Argo CD Application's `helm.parameters`
 * (src/detect/sources/chart-values.ts). Source: Helm docs, "The Format and Limitations of --set".
 */

/** One `--set` entry: its key path as written, its value, and the 1-based line where it is written. */
export interface SetEntry {
  name: string;
  value: unknown;
  line: number;
}

/** A key path of Helm's `--set` syntax: `a.b[0].c`, `a\.b` (a dot inside a key). */
export function setPath(name: string): (string | number)[] {
  const out: (string | number)[] = [];
  let key = '';
  for (let index = 0; index < name.length; index++) {
    const char = name[index];
    if (char === '\\' && index + 1 < name.length) {
      key += name[++index];
    } else if (char === '.') {
      if (key) out.push(key);
      key = '';
    } else if (char === '[') {
      const close = name.indexOf(']', index);
      if (key) out.push(key);
      key = '';
      const item = Number(name.slice(index + 1, close < 0 ? undefined : close));
      out.push(Number.isInteger(item) ? item : 0);
      index = close < 0 ? name.length : close;
    } else key += char;
  }
  if (key) out.push(key);
  return out;
}

/** `value` placed at `at` inside `data` (objects and lists made as needed). */
function place(data: Record<string, unknown>, at: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = data;
  at.forEach((segment, index) => {
    if (index === at.length - 1) {
      node[segment] = value;
      return;
    }
    const next = at[index + 1];
    const existing = node[segment];
    if (existing === null || typeof existing !== 'object') node[segment] = typeof next === 'number' ? [] : {};
    node = node[segment] as Record<string | number, unknown>;
  });
}

/**
 * The values object the entries make, the line of the entry that wrote a path of it (the entry at that path,
 * else one below it, else the one above it; `fallback` when none), and whether a value is a template tag.
 * Undefined when no entry has a key.
 */
export function setValues(
  entries: readonly SetEntry[],
  fallback: number,
):
  | {
      data: Record<string, unknown>;
      lineOf: (at: readonly (string | number)[]) => number;
      /** Whether the value at a path is written with a template tag (`{{ .Values.x }}`, `${var.x}`). */
      templated: (at: readonly (string | number)[]) => boolean;
    }
  | undefined {
  const data: Record<string, unknown> = {};
  const lines: { key: string; line: number }[] = [];
  for (const entry of entries) {
    const at = setPath(entry.name);
    if (at.length === 0) continue;
    place(data, at, entry.value);
    lines.push({ key: at.join('.'), line: entry.line });
  }
  if (lines.length === 0) return undefined;
  const lineOf = (at: readonly (string | number)[]): number => {
    const key = at.join('.');
    const entry =
      lines.find((candidate) => candidate.key === key) ??
      lines.find((candidate) => candidate.key.startsWith(`${key}.`)) ??
      lines.find((candidate) => key.startsWith(`${candidate.key}.`));
    return entry?.line ?? fallback;
  };
  const templated = (at: readonly (string | number)[]): boolean => {
    const value = at.reduce<unknown>(
      (node, segment) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string | number, unknown>)[segment]
          : undefined,
      data,
    );
    return typeof value === 'string' && /\{\{|\$\{|%\{/.test(value);
  };
  return { data, lineOf, templated };
}
