/**
 * Serverless Framework variables in a route's text that the configuration itself answers
 * (https://www.serverless.com/framework/docs/guides/variables): `${self:custom.apiPrefix}` reads the key path of
 * the same serverless.yml (its own variables read in turn), and `${a, b}` falls back to `b` when `a` is not
 * written there (`${self:custom.base, self:custom.defaultBase}`, `${self:custom.base, 'v1'}`). A variable read
 * from outside the file (`opt:`, `env:`, `ssm:`, `file(…)`), or a key the file does not write, is kept as
 * written, so the route is still named as holding a variable; one with a fallback the file answers
 * (`${opt:stage, 'dev'}`, `${env:API_VERSION, self:custom.version}`) takes the fallback, and that default is
 * recorded in `taken` (since session 33: it was taken silently). `${sls:stage}` is the deploy's `--stage`, else
 * `provider.stage`, else `dev` (the framework's default): read as `${opt:stage, self:provider.stage, 'dev'}`,
 * a default recorded too. Never throws.
 *
 * @param text a path or method as written in the configuration
 * @param data the parsed serverless.yml (its top-level mapping)
 * @param taken where the defaults read for variables from outside the file are added (`setting` is the variable
 *   as written, `${opt:stage, 'dev'}`; `value` what was read)
 */
export function serverlessVariables(
  text: string,
  data: unknown,
  taken: { setting: string; value: string }[] = [],
): string {
  return replaceAll(text, data, 0, taken);
}

/** What `${sls:stage}` reads: the option, the file's `provider.stage`, the Serverless default `dev`. */
const SLS_STAGE = "opt:stage, self:provider.stage, 'dev'";

const VARIABLE = /\$\{([^${}]*)\}/g;

function replaceAll(
  text: string,
  data: unknown,
  depth: number,
  taken: { setting: string; value: string }[],
): string {
  if (depth > 8 || !text.includes('${')) return text;
  let changed = false;
  const out = text.replace(VARIABLE, (whole, inner: string) => {
    const value = firstValue(inner, data, depth, taken);
    if (value === undefined) return whole;
    changed = true;
    return value;
  });
  // A value that is itself a variable (`custom.base: ${self:custom.v}`), or a nested variable now filled.
  return changed ? replaceAll(out, data, depth + 1, taken) : out;
}

/**
 * The first source of `a, b, 'c'` the file answers, as text; when a source from outside the file (`opt:`,
 * `env:`, `sls:`) came before it, the value is that source's default, recorded in `taken`.
 */
function firstValue(
  inner: string,
  data: unknown,
  depth: number,
  taken: { setting: string; value: string }[],
): string | undefined {
  const sources = inner
    .split(',')
    .map((s) => s.trim())
    .flatMap((s) => (s === 'sls:stage' ? SLS_STAGE.split(', ') : [s]));
  let outside = false;
  const found = (value: string): string => {
    if (outside && !taken.some((t) => t.setting === `\${${inner}}` && t.value === value))
      taken.push({ setting: `\${${inner}}`, value });
    return value;
  };
  for (const source of sources) {
    const quoted = /^(['"])(.*)\1$/.exec(source);
    if (quoted) return found(quoted[2] ?? '');
    const self = /^self:([\w.-]+)$/.exec(source);
    if (!self?.[1]) {
      outside = true;
      continue;
    }
    let value: unknown = data;
    for (const key of self[1].split('.'))
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'number') return found(String(value));
    if (typeof value !== 'string') continue;
    const before = taken.length;
    const resolved = replaceAll(value, data, depth + 1, taken);
    if (!resolved.includes('${')) return found(resolved);
    taken.length = before;
  }
  return undefined;
}
