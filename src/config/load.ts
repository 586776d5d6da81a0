import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { lilconfig, lilconfigSync, type Loader, type LoaderSync } from 'lilconfig';
import { MtlsFixError } from '../errors.js';
import { locateInJson } from '../openapi/locate-json.js';
import { jsonSyntaxError } from './json-syntax.js';
import { locateInYaml, pathKey } from '../openapi/locate-yaml.js';
import { configSchema, type ConfigFile } from './schema.js';
import { loneCrAsLf } from '../util/line-breaks.js';
import { describeWideEncoding, wideEncoding } from '../util/utf8.js';
import validateConfigSchema from './validate-config.generated.js';

export const CONFIG_SEARCH_PLACES = [
  'package.json',
  'mtls-fix.config.json',
  'mtls-fix.config.yaml',
  'mtls-fix.config.yml',
  'mtls-fix.config.js',
  'mtls-fix.config.cjs',
  'mtls-fix.config.mjs',
  '.mtls-fixrc',
  '.mtls-fixrc.json',
  '.mtls-fixrc.yaml',
  '.mtls-fixrc.yml',
];

export interface LoadedConfig {
  /** Absolute path of the file the config came from, or undefined when none was found. */
  filepath?: string;
  config: ConfigFile;
}

/** Text of YAML/JSON config files, kept so validation errors can name a line. */
const sourceTexts = new Map<string, string>();

const yamlLoader: Loader & LoaderSync = (filepath, written) => {
  refuseWideEncoding(filepath, written);
  // Lone-CR line ends read as LF (same offsets), so a bad key is named at the line an editor shows.
  const content = loneCrAsLf(written);
  sourceTexts.set(filepath, content);
  try {
    return jsYaml.load(content, { schema: jsYaml.CORE_SCHEMA, filename: filepath }) ?? {};
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message.split('\n')[0];
    throw new MtlsFixError('ECONFIG', `invalid config file: ${reason}.`, 'Fix the syntax.', {
      file: filepath,
      line: mark ? mark.line + 1 : undefined,
      column: mark ? mark.column + 1 : undefined,
    });
  }
};

/**
 * package.json as npm reads it (JSON.parse: a key written twice keeps its last value), so a duplicated key
 * elsewhere in a project's manifest (an `overrides` entry, say) never stops a command; a file that is not JSON
 * is an ECONFIG naming the JSON error's line and column (json-syntax.ts), never a YAML reader's words: npm and Node
 * refuse it too. Its `mtls-fix` key is validated as any config. Other `.json` configs must be JSON (RFC 8259): one
 * that is not is named by its JSON error; a JSON one is then read by the YAML reader (for its duplicate-key errors
 * and lines). Before session 36 they were read as YAML only, which takes a trailing comma in a flow mapping, so
 * `{"status": 401,}` passed as a config.
 */
const packageJsonLoader: Loader & LoaderSync = (filepath, written): unknown => {
  refuseWideEncoding(filepath, written);
  if (path.basename(filepath) !== 'package.json') {
    const notJson = jsonConfigError(filepath, loneCrAsLf(written));
    if (notJson) throw notJson;
    return yamlLoader(filepath, written) as unknown;
  }
  const content = loneCrAsLf(written);
  try {
    const parsed: unknown = JSON.parse(content.replace(/^\uFEFF/, ''));
    sourceTexts.set(filepath, content);
    return parsed ?? {};
  } catch (error) {
    throw packageJsonError(filepath, content, error);
  }
};

/**
 * The ECONFIG for a package.json that is not JSON: `package.json:2:1: JSON syntax error: a trailing comma before
 * '}' (JSON allows none).` and what to do. `parseError` is JSON.parse's, used only if json-syntax.ts finds no
 * error (they agree on RFC 8259).
 */
function packageJsonError(filepath: string, text: string, parseError: unknown): MtlsFixError {
  const found = jsonSyntaxError(text);
  const reason = found?.problem ?? (parseError as Error).message.split('\n')[0];
  return new MtlsFixError(
    'ECONFIG',
    `JSON syntax error in package.json: ${reason}.`,
    'Fix package.json (npm and Node cannot read it either), then run again.',
    { file: filepath, ...(found ? { line: found.line, column: found.column } : {}) },
  );
}

/**
 * The error for a `.json` config file that is not JSON: its JSON syntax error with line and column
 * (json-syntax.ts), or undefined when the text is valid JSON (the YAML reader's own error stands). A file written
 * as YAML (it does not open with `{` or `[` once YAML comments are skipped, and YAML reads it as a mapping) is
 * named as YAML, with the `.yaml` name to give it (since session 37; before, "'m' where a value is due. Fix the
 * syntax.", which sent a user hunting for a stray character).
 */
function jsonConfigError(filepath: string, text: string): MtlsFixError | undefined {
  const found = jsonSyntaxError(text);
  if (!found) return undefined;
  if (isYamlMapping(text)) {
    const yamlName = path.basename(filepath).replace(/\.json$/i, '.yaml');
    return new MtlsFixError(
      'ECONFIG',
      `invalid config file: JSON syntax error: ${found.problem}: the file is written in YAML, and a .json config must be JSON.`,
      `Rename it ${yamlName}, or write it as JSON.`,
      { file: filepath, line: found.line, column: found.column },
    );
  }
  return new MtlsFixError(
    'ECONFIG',
    `invalid config file: JSON syntax error: ${found.problem}.`,
    'Fix the syntax.',
    {
      file: filepath,
      line: found.line,
      column: found.column,
    },
  );
}

/**
 * Whether `text` is a YAML mapping in block style (`status: 401`): not opening with `{` or `[` once blank lines and
 * YAML comments are skipped (a JSON object with a stray comment stays a JSON error), and read by YAML as a mapping.
 */
function isYamlMapping(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '').replace(/^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*/, '');
  if (/^[{[]/.test(body)) return false;
  try {
    const data: unknown = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
    return data !== null && typeof data === 'object' && !Array.isArray(data);
  } catch {
    return false;
  }
}

/**
 * Throws ECONFIG for a config file written in UTF-16 or UTF-32 (lilconfig decodes every file as UTF-8, which
 * turns those into replacement characters and NUL bytes that YAML then reports as "null byte is not allowed").
 */
function refuseWideEncoding(filepath: string, content: string): void {
  if (!content.includes('\u0000') && !content.startsWith('\uFFFD')) return;
  let bytes: Buffer;
  try {
    bytes = readFileSync(filepath);
  } catch {
    return;
  }
  const wide = wideEncoding(bytes);
  if (!wide) return;
  throw new MtlsFixError(
    'ECONFIG',
    `invalid config file: ${wide.encoding.slice(0, 6)} is not supported (${describeWideEncoding(wide)}).`,
    `Save the file as UTF-8 (e.g. iconv -f ${wide.encoding} -t UTF-8).`,
    { file: filepath },
  );
}

const searchOptions = {
  searchPlaces: CONFIG_SEARCH_PLACES,
  loaders: { '.json': packageJsonLoader, '.yaml': yamlLoader, '.yml': yamlLoader, noExt: yamlLoader },
  packageProp: 'mtls-fix',
};

interface SearchResult {
  filepath: string;
  config: unknown;
  isEmpty?: boolean;
}

/**
 * The folder of the git work tree holding `folder` (the nearest ancestor with a `.git` entry), or
 * undefined outside one. The config search stops there, as ESLint's and Prettier's do.
 */
export function repositoryRoot(folder: string): string | undefined {
  let current = path.resolve(folder);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** lilconfig options for a search from `cwd`: up to the repository root, else lilconfig's default (home). */
function searchFrom(cwd: string) {
  const stopDir = repositoryRoot(cwd);
  return stopDir ? { ...searchOptions, stopDir } : searchOptions;
}

/**
 * Finds the config file from `cwd` upwards to the repository root (lilconfig's search) or loads
 * `configPath`, then validates it. No config file is fine: every setting has a default.
 */
export async function loadConfig(options: { cwd?: string; configPath?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const searcher = lilconfig('mtls-fix', searchFrom(cwd));
  const explicit = options.configPath ? existingConfigPath(cwd, options.configPath) : undefined;
  const result = await wrapLoadErrors(
    () => (explicit ? searcher.load(explicit) : searcher.search(cwd)),
    () => explicit ?? searchedFile(cwd),
  );
  if (!explicit && result) refuseSecondConfig(result.filepath);
  return validated(result);
}

/**
 * The config sources in `folder`, in the order the search reads them (CONFIG_SEARCH_PLACES): file names, and
 * `package.json` only when it holds an `mtls-fix` key.
 */
export function configSourcesIn(folder: string): string[] {
  return CONFIG_SEARCH_PLACES.filter((name) => {
    const file = path.join(folder, name);
    if (!existsSync(file)) return false;
    if (name !== 'package.json') return true;
    try {
      const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return typeof manifest === 'object' && manifest !== null && 'mtls-fix' in manifest;
    } catch {
      return false; // a package.json that does not parse holds no config the search could read
    }
  });
}

/**
 * Throws ECONFIG when the folder of the config a search found holds another config source: the search reads only
 * the first, so the other's settings (an agreed status of 404 beside a file saying 401) would be ignored in
 * silence (breaker27 #05: `init` wrote mtls-fix.config.yaml beside a package.json `mtls-fix` key, and every
 * command went on with the key's status).
 */
function refuseSecondConfig(found: string): void {
  const sources = configSourcesIn(path.dirname(found));
  if (sources.length < 2) return;
  const name = (source: string) => (source === 'package.json' ? 'package.json ("mtls-fix" key)' : source);
  throw new MtlsFixError(
    'ECONFIG',
    `two mtls-fix configs in one folder: ${name(sources[0])} and ${name(sources[1])}; only the first would be read.`,
    'Keep one: move the settings you want into it and delete the other (or pass the one to use with --config).',
    { file: path.join(path.dirname(found), sources[1]) },
  );
}

/** The same search for callers that cannot wait (Spectral rule functions); JS configs need require(). */
export function loadConfigSync(options: { cwd?: string; configPath?: string } = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  // ESM configs cannot be loaded synchronously; the async search still finds them.
  const searcher = lilconfigSync('mtls-fix', {
    ...searchFrom(cwd),
    searchPlaces: CONFIG_SEARCH_PLACES.filter((name) => !name.endsWith('.mjs')),
  });
  const explicit = options.configPath ? existingConfigPath(cwd, options.configPath) : undefined;
  let result: SearchResult | null;
  try {
    result = explicit ? searcher.load(explicit) : searcher.search(cwd);
  } catch (error) {
    throw asConfigError(error, explicit ?? searchedFile(cwd));
  }
  if (!explicit && result) refuseSecondConfig(result.filepath);
  return validated(result);
}

function existingConfigPath(cwd: string, configPath: string): string {
  const filepath = path.resolve(cwd, configPath);
  if (!existsSync(filepath)) {
    throw new MtlsFixError('ECONFIG', 'config file not found.', 'Check the --config path.', {
      file: configPath,
    });
  }
  if (statSync(filepath).isDirectory()) {
    throw new MtlsFixError(
      'ECONFIG',
      'is a folder, not a config file.',
      'Pass the file itself to --config (mtls-fix.config.yaml, .mtls-fixrc.json, ...).',
      { file: configPath },
    );
  }
  return filepath;
}

async function wrapLoadErrors(
  load: () => Promise<SearchResult | null>,
  where: () => string,
): Promise<SearchResult | null> {
  try {
    return await load();
  } catch (error) {
    throw asConfigError(error, where());
  }
}

/**
 * The config file a search from `cwd` read when it failed, to name it in the error (lilconfig's error does not):
 * the first of CONFIG_SEARCH_PLACES that exists, folder by folder up to where the search stops (a package.json
 * only when it names the `mtls-fix` key). `cwd` itself when none is found.
 */
function searchedFile(cwd: string): string {
  const stopDir = repositoryRoot(cwd);
  for (let folder = path.resolve(cwd); ; folder = path.dirname(folder)) {
    for (const name of CONFIG_SEARCH_PLACES) {
      const file = path.join(folder, name);
      if (!existsSync(file)) continue;
      if (name !== 'package.json') return file;
      try {
        if (readFileSync(file, 'utf8').includes('"mtls-fix"')) return file;
      } catch {
        return file;
      }
    }
    if (folder === stopDir || path.dirname(folder) === folder) return cwd;
  }
}

function asConfigError(error: unknown, where: string): MtlsFixError {
  if (error instanceof MtlsFixError) return error;
  return new MtlsFixError(
    'ECONFIG',
    `cannot load config: ${(error as Error).message.split('\n')[0]}.`,
    'Fix the file.',
    {
      file: where,
    },
  );
}

function validated(result: SearchResult | null): LoadedConfig {
  if (!result) return { config: {} };
  const config = (result.isEmpty ? {} : result.config) ?? {};
  validateConfig(config, result.filepath);
  return { filepath: result.filepath, config };
}

/** Validates against the JSON Schema; the first problem becomes one error naming file, line and key. */
export function validateConfig(config: unknown, filepath: string): asserts config is ConfigFile {
  const problem = findConfigProblem(config);
  if (!problem) return;
  const keyPath = problem.keyPath;
  const key = keyPath.join('.') || '(root)';
  const line = lineOf(filepath, keyPath);
  throw new MtlsFixError('ECONFIG', `invalid config key '${key}': ${problem.message}.`, problem.hint, {
    file: filepath,
    line,
  });
}

interface ConfigProblem {
  keyPath: (string | number)[];
  message: string;
  hint: string;
}

function findConfigProblem(config: unknown): ConfigProblem | undefined {
  const schemaProblem = validateAgainstSchema(config);
  if (schemaProblem) return schemaProblem;
  const servers = (config as ConfigFile).mtls?.servers ?? [];
  for (const [index, pattern] of servers.entries()) {
    try {
      new RegExp(pattern);
    } catch (error) {
      return {
        keyPath: ['mtls', 'servers', index],
        message: `not a valid regular expression (${(error as Error).message})`,
        hint: 'Escape special characters, e.g. ^https://mtls\\.',
      };
    }
  }
  return undefined;
}

function validateAgainstSchema(config: unknown): ConfigProblem | undefined {
  if (validate(config)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return undefined;
  const keyPath = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(propertiesAt(keyPath));
    return {
      keyPath: [...keyPath, extra],
      message: 'unknown key',
      hint: known.length ? `Known keys here: ${known.join(', ')}.` : 'Remove it.',
    };
  }
  if (keyPath[0] === 'status') {
    return { keyPath, message: 'must be a 4xx status code other than 403', hint: 'Use 401 or 404.' };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    if (allowed.length) {
      return {
        keyPath,
        message: `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`,
        hint: 'Use one of them.',
      };
    }
  }
  return {
    keyPath,
    message: error.message ?? 'invalid value',
    hint: 'See the config section of the README.',
  };
}

interface ValidationError {
  instancePath: string;
  keyword: string;
  params: unknown;
  message?: string;
}

/** The schema compiled ahead of time (scripts/gen-config-validator.mjs): no ajv at run time. */
const validate = validateConfigSchema as ((data: unknown) => boolean) & { errors?: ValidationError[] | null };

function propertiesAt(keyPath: (string | number)[]): Record<string, unknown> {
  let schema: { properties?: Record<string, unknown> } = configSchema;
  for (const key of keyPath) {
    const next = schema.properties?.[String(key)] as { properties?: Record<string, unknown> } | undefined;
    if (!next) return {};
    schema = next;
  }
  return schema.properties ?? {};
}

/** 1-based line of a key path in a YAML/JSON config text, if we have the text. */
function lineOf(filepath: string, keyPath: (string | number)[]): number | undefined {
  const text = sourceTexts.get(filepath);
  if (text === undefined) return undefined;
  const fullPath = path.basename(filepath) === 'package.json' ? ['mtls-fix', ...keyPath] : keyPath;
  const located = /^\s*\{/.test(text) ? locateInJson(text, [fullPath]) : locateInYaml(text, [fullPath]);
  for (let length = fullPath.length; length > 0; length--) {
    const range = located.get(pathKey(fullPath.slice(0, length)));
    if (range) return range.start.line + 1;
  }
  return undefined;
}
