/**
 * Serverless Framework variables in a route's text that the configuration itself answers
 * (https://www.serverless.com/framework/docs/guides/variables): `${self:custom.apiPrefix}` reads the key path of
 * the same serverless.yml (its own variables read in turn), and `${a, b}` falls back to `b` when `a` is not
 * written there (`${self:custom.base, self:custom.defaultBase}`, `${self:custom.base, 'v1'}`). A variable read
 * from outside the file (`opt:`, `env:`, `sls:`, `ssm:`, `file(…)`), or a key the file does not write, is kept as
 * written, so the route is still named as holding a variable. Never throws.
 *
 * @param text a path or method as written in the configuration
 * @param data the parsed serverless.yml (its top-level mapping)
 */
export function serverlessVariables(text: string, data: unknown): string {
  return replaceAll(text, data, 0);
}

const VARIABLE = /\$\{([^${}]*)\}/g;

function replaceAll(text: string, data: unknown, depth: number): string {
  if (depth > 8 || !text.includes('${')) return text;
  let changed = false;
  const out = text.replace(VARIABLE, (whole, inner: string) => {
    const value = firstValue(inner, data, depth);
    if (value === undefined) return whole;
    changed = true;
    return value;
  });
  // A value that is itself a variable (`custom.base: ${self:custom.v}`), or a nested variable now filled.
  return changed ? replaceAll(out, data, depth + 1) : out;
}

/** The first source of `a, b, 'c'` the file answers, as text. */
function firstValue(inner: string, data: unknown, depth: number): string | undefined {
  for (const source of inner.split(',').map((s) => s.trim())) {
    const quoted = /^(['"])(.*)\1$/.exec(source);
    if (quoted) return quoted[2];
    const self = /^self:([\w.-]+)$/.exec(source);
    if (!self?.[1]) continue;
    let value: unknown = data;
    for (const key of self[1].split('.'))
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') continue;
    const resolved = replaceAll(value, data, depth + 1);
    if (!resolved.includes('${')) return resolved;
  }
  return undefined;
}
