import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { asObject, asText, dig, parseYamlDocuments } from '../../detect/yaml-documents.js';
import { runCache } from '../../util/run-caches.js';

/**
 * The Lambda handlers a Serverless Framework `serverless.yml` names (`functions.<name>.handler: src/x.run`: the
 * export `run` of `src/x.js` / `.ts`, the path relative to the file's folder; Serverless Framework docs,
 * "AWS Lambda Functions", `handler`). A function named there is invoked by Lambda, so what it returns is the
 * response (an API Gateway proxy result needs no key beside `statusCode`).
 *
 * `exportsNamedAsHandlers(absolute)` gives the export names handlers name for the source file at `absolute`
 * (without its extension), from every `serverless.yml` / `serverless.yaml` in its folder and the folders above it
 * up to the repository root (the first folder holding `.git`) or the file system root. A file that cannot be read
 * or parsed names nothing. Cached per configuration file and per folder, for the process.
 */
export function exportsNamedAsHandlers(absolute: string): ReadonlySet<string> {
  const names = new Set<string>();
  const module = absolute.replace(/\.[cm]?[jt]sx?$/, '');
  for (const config of configsAbove(path.dirname(absolute)))
    for (const handler of handlersOf(config)) {
      const dot = handler.lastIndexOf('.');
      if (dot <= 0) continue;
      const file = path.resolve(path.dirname(config), handler.slice(0, dot));
      if (file === module) names.add(handler.slice(dot + 1));
    }
  return names;
}

const CONFIG_NAMES = ['serverless.yml', 'serverless.yaml'];
const configsCache = runCache<string, readonly string[]>();
const handlersCache = runCache<string, readonly string[]>();

function configsAbove(folder: string): readonly string[] {
  const cached = configsCache.get(folder);
  if (cached) return cached;
  const here = CONFIG_NAMES.map((name) => path.join(folder, name)).filter(isFile);
  const parent = path.dirname(folder);
  const top = parent === folder || existsSync(path.join(folder, '.git'));
  const found = top ? here : [...here, ...configsAbove(parent)];
  configsCache.set(folder, found);
  return found;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The `functions.<name>.handler` strings of one configuration file (at most 2 MB). */
function handlersOf(config: string): readonly string[] {
  const cached = handlersCache.get(config);
  if (cached) return cached;
  let handlers: string[] = [];
  try {
    if (statSync(config).size <= 2_000_000)
      handlers = parseYamlDocuments(readFileSync(config, 'utf8')).flatMap((document) =>
        Object.values(asObject(dig(document.data, 'functions')) ?? {}).flatMap((fn) => {
          const handler = asText(dig(fn, 'handler'));
          return handler ? [handler] : [];
        }),
      );
  } catch {
    handlers = [];
  }
  handlersCache.set(config, handlers);
  return handlers;
}
