import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { lilconfig, type Loader } from 'lilconfig';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { MtlsFixError } from '../errors.js';
import { configSchema, type ConfigFile } from './schema.js';

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

const yamlLoader: Loader = (filepath, content) => {
  sourceTexts.set(filepath, content);
  const doc = parseDocument(content, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [undefined, undefined];
    throw new MtlsFixError('ECONFIG', `invalid config file: ${error.message.split('\n')[0]}`, 'Fix the syntax.', {
      file: filepath,
      line,
      column,
    });
  }
  return doc.toJS() as unknown;
};

const packageJsonLoader: Loader = (filepath, content) => {
  sourceTexts.set(filepath, content);
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new MtlsFixError('ECONFIG', `invalid JSON: ${(error as Error).message}`, 'Fix the syntax.', {
      file: filepath,
    });
  }
};

/**
 * Finds the config file from `cwd` upwards (lilconfig's search) or loads `explicitPath`,
 * then validates it. No config file is fine: every setting has a default.
 */
export async function loadConfig(options: { cwd?: string; configPath?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const searcher = lilconfig('mtls-fix', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    loaders: {
      '.json': yamlLoader,
      '.yaml': yamlLoader,
      '.yml': yamlLoader,
      noExt: yamlLoader,
    },
    packageProp: 'mtls-fix',
  });
  let result: { filepath: string; config: unknown; isEmpty?: boolean } | null;
  if (options.configPath) {
    const filepath = path.resolve(cwd, options.configPath);
    try {
      readFileSync(filepath);
    } catch {
      throw new MtlsFixError('ECONFIG', `config file not found: ${options.configPath}`, 'Check the --config path.', {
        file: options.configPath,
      });
    }
    result = await loadWrapped(() => searcher.load(filepath), filepath);
  } else {
    result = await loadWrapped(() => searcher.search(cwd), cwd);
  }
  if (!result) return { config: {} };
  const config = (result.isEmpty ? {} : result.config) ?? {};
  validateConfig(config, result.filepath);
  return { filepath: result.filepath, config: config as ConfigFile };
}

async function loadWrapped<T>(load: () => Promise<T>, where: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof MtlsFixError) throw error;
    if (path.basename(where) === 'package.json' || where.endsWith('.json')) {
      return packageJsonLoader(where, readFileSync(where, 'utf8')) as T;
    }
    throw new MtlsFixError('ECONFIG', `cannot load config: ${(error as Error).message}`, 'Fix the file.', {
      file: where,
    });
  }
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
  const validate = compileSchema();
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
  return { keyPath, message: error.message ?? 'invalid value', hint: 'See the config section of the README.' };
}

type Validator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; params: unknown; message?: string }[] | null;
};
let compiled: Validator | undefined;

function compileSchema(): Validator {
  if (compiled) return compiled;
  // Loaded only when a config file exists: ajv costs ~40 ms of start-up.
  const { Ajv } = requireAjv();
  compiled = new Ajv({ allErrors: false, strict: false }).compile(configSchema) as Validator;
  return compiled;
}

function requireAjv(): { Ajv: new (options: object) => { compile(schema: object): unknown } } {
  return createRequire(import.meta.url)('ajv') as {
    Ajv: new (options: object) => { compile(schema: object): unknown };
  };
}

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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const fullPath = path.basename(filepath) === 'package.json' ? ['mtls-fix', ...keyPath] : keyPath;
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const key of fullPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value) === String(key));
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0];
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
