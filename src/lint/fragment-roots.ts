import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { isObject } from '../openapi/pointer.js';
import { isForbiddenCode } from '../openapi/responses.js';

/** Files larger than this are not read for `$ref`s (a generated bundle, a data dump). */
const MAX_BYTES = 20 * 1024 * 1024;

/** One YAML/JSON file of the repository as the search reads it. */
interface ScannedFile {
  /** Whether it is an OpenAPI/Swagger document: an `openapi` or `swagger` key at the top. */
  root: boolean;
  /** Absolute paths of the files its `$ref`s name (the part before `#`; remote refs left out). */
  refs: string[];
}

/**
 * Finds the OpenAPI documents that use a fragment (a file that is not OpenAPI by itself: a path item, a
 * response, split out Redocly-style), so a run given only the fragment (a pre-commit hook that passes the
 * staged files) lints the documents that read it. Session 27 (breaker27 #12): `lint --skip-non-openapi
 * paths/accounts.yaml` skipped the fragment and no document that `$ref`s it was linted: a 403 added there
 * passed the hook.
 *
 * Searches the repository of each fragment (the nearest folder upward with `.git`, else `cwd`): every
 * `*.yaml`, `*.yml`, `*.json` outside `node_modules` and `.git` whose text holds `$ref`. One instance caches
 * the listing and the files read, for every fragment of a run.
 */
export class FragmentRoots {
  private readonly scans = new Map<string, Map<string, ScannedFile>>();

  constructor(private readonly cwd: string) {}

  /**
   * The OpenAPI documents that reach `fragment` (absolute) through `$ref`s, directly or through other
   * fragments, sorted; empty when none does.
   */
  async rootsOf(fragment: string): Promise<string[]> {
    const files = await this.scan(repositoryOf(fragment, this.cwd));
    const referrers = new Map<string, string[]>();
    for (const [file, scanned] of files) {
      for (const target of scanned.refs) {
        const list = referrers.get(target) ?? [];
        list.push(file);
        referrers.set(target, list);
      }
    }
    const roots = new Set<string>();
    const seen = new Set<string>([path.resolve(fragment)]);
    const queue = [path.resolve(fragment)];
    while (queue.length > 0) {
      const target = queue.shift() as string;
      for (const referrer of referrers.get(target) ?? []) {
        if (seen.has(referrer)) continue;
        seen.add(referrer);
        if (files.get(referrer)?.root) roots.add(referrer);
        else queue.push(referrer);
      }
    }
    return [...roots].sort();
  }

  private async scan(top: string): Promise<Map<string, ScannedFile>> {
    const known = this.scans.get(top);
    if (known) return known;
    const { glob } = await import('tinyglobby');
    const names = await glob('**/*.{yaml,yml,json}', {
      cwd: top,
      absolute: true,
      dot: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
    });
    const files = new Map<string, ScannedFile>();
    for (const name of names.sort()) {
      const file = path.resolve(name);
      const data = readData(file, true);
      if (data === undefined) continue;
      files.set(file, { root: isDocument(data), refs: fileRefs(data, path.dirname(file)) });
    }
    this.scans.set(top, files);
    return files;
  }
}

/**
 * For each file of a run that parses as YAML / JSON but is not an OpenAPI document by itself (a fragment): the
 * documents that reach it through `$ref`s ({@link FragmentRoots.rootsOf}; absolute, sorted, possibly none).
 * Files that are documents, or cannot be read, are left out. Used by `fix`, which cannot wait inside its run.
 */
export async function fragmentRootsOf(files: readonly string[], cwd: string): Promise<Map<string, string[]>> {
  const search = new FragmentRoots(cwd);
  const roots = new Map<string, string[]>();
  for (const file of files) {
    const absolute = path.resolve(cwd, file);
    const data = readData(absolute, false);
    if (data === undefined || isDocument(data)) continue;
    roots.set(absolute, await search.rootsOf(absolute));
  }
  return roots;
}

/**
 * Whether a file that is not OpenAPI by itself documents a 403 response: a `responses` map anywhere in it with
 * a 403 key. Such a fragment that no document uses cannot be checked, and a gate must not pass it in silence.
 */
export function fragmentHas403(file: string): boolean {
  const data = readData(file, false);
  let found = false;
  const walk = (node: unknown, key: string | undefined): void => {
    if (found) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, undefined);
      return;
    }
    if (!isObject(node)) return;
    if (key === 'responses' && Object.keys(node).some(isForbiddenCode)) {
      found = true;
      return;
    }
    for (const [name, value] of Object.entries(node)) walk(value, name);
  };
  walk(data, undefined);
  // A fragment that is itself a responses map (`responses: {$ref: responses.yaml}`).
  return found || (isObject(data) && Object.keys(data).some(isForbiddenCode));
}

/** The nearest folder upward from `file` with `.git`; `cwd` when there is none. */
function repositoryOf(file: string, cwd: string): string {
  let folder = path.dirname(path.resolve(file));
  for (;;) {
    if (existsSync(path.join(folder, '.git'))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) return path.resolve(cwd);
    folder = parent;
  }
}

/** The parsed YAML/JSON of a file; undefined when it cannot be read or parsed (or holds no `$ref`, if asked). */
function readData(file: string, needRef: boolean): unknown {
  try {
    if (statSync(file).size > MAX_BYTES) return undefined;
    const text = readFileSync(file, 'utf8');
    if (needRef && !text.includes('$ref')) return undefined;
    return jsYaml.load(text, { json: true });
  } catch {
    return undefined;
  }
}

function isDocument(data: unknown): boolean {
  return isObject(data) && (typeof data.openapi === 'string' || data.swagger !== undefined);
}

/** The files the `$ref`s of `data` name, resolved against `folder`. */
function fileRefs(data: unknown, folder: string): string[] {
  const refs = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!isObject(node)) return;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const target = ref.split('#')[0];
      if (target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target))
        refs.add(path.resolve(folder, decoded(target)));
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(data);
  return [...refs];
}

function decoded(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}
