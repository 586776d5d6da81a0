import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toRelative } from './file-paths.js';
import { SPECIFIER_SOURCE } from './import-specifiers.js';
import type { IgnoredLoad } from './types.js';
import { firstFormInReadings, textReadings } from './wide-sources.js';

/**
 * Git-ignored files that the scanned source loads (breaker33 #07). A file git ignores is skipped
 * (`ignored-by-git`): build output and caches, never the user's source to rewrite. But a generated router
 * (`src/generated/routes.js`, tsoa's `RegisterRoutes`, an OpenAPI generator's output) is git-ignored and is what
 * the server runs: when a scanned file imports it (static `import`, `require`, `import()` with a fixed specifier,
 * resolved as the rest of migrate resolves modules) and it holds a 403 form, it is named and fails `--check`.
 * Ignored build output that nothing scanned imports (`dist/`) stays a count.
 *
 * The cost is kept off runs with no such file: with no ignored source file there is nothing to do; else each
 * scanned text is searched once, as it is read, for specifiers whose last segment names an ignored file
 * ({@link ignoredKeys}), and only those are resolved.
 */

/** Extensions a specifier may leave out or spell (`./routes`, `./routes.js` for `routes.ts`). */
const MODULE_EXTENSION = /\.(?:[cm]?[jt]sx?|json)$/i;

/** Ignored files followed from one scanned importer through other ignored files, at most (a generated barrel). */
const MAX_HOPS = 4;

/**
 * The names a specifier's last segment (its extension dropped) may have to reach one of `ignored` (absolute
 * paths): each file's name without its extension, and for an `index` file its folder's name too
 * (`./generated` loads `generated/index.js`).
 */
export function ignoredKeys(ignored: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const file of ignored) {
    const stem = path.basename(file).replace(MODULE_EXTENSION, '');
    keys.add(stem);
    if (stem === 'index') keys.add(path.basename(path.dirname(file)));
  }
  return keys;
}

/**
 * The specifiers `text` names (import-specifiers.ts SPECIFIER_SOURCE: `from`, `import`, `import()`, `require`
 * with a fixed string) whose last segment is one of `keys` ({@link ignoredKeys}), and every package import
 * (`#gen/routes`: its map may name any file); each once. Empty when `keys` is.
 */
export function specifiersNaming(text: string, keys: ReadonlySet<string>): string[] {
  if (!keys.size) return [];
  const out = new Set<string>();
  for (const match of text.matchAll(new RegExp(SPECIFIER_SOURCE, 'g'))) {
    const specifier = match[2];
    const last = specifier.replace(/\/+$/, '').split('/').pop() ?? '';
    if (specifier.startsWith('#') || keys.has(last.replace(MODULE_EXTENSION, ''))) out.add(specifier);
  }
  return [...out];
}

/** What {@link loadedIgnored} needs of the run. */
export interface IgnoredLoadsInput {
  /** The run's folder (absolute): the report's paths are relative to it. */
  cwd: string;
  /** Source files git ignores that the run skipped (absolute; discover.ts `Discovery.ignored`). */
  ignored: readonly string[];
  /** Scanned file (absolute) -> its specifiers that may name an ignored file ({@link specifiersNaming}). */
  importers: Iterable<readonly [string, readonly string[]]>;
  /** migrate's module resolution (resolve.ts via links.ts): the absolute file, or undefined. */
  resolve: (specifier: string, containingFile: string) => string | undefined;
}

/**
 * The ignored files the scanned files load that hold a 403 form, each once (its first importer in file order),
 * sorted by path. An ignored file that holds none but loads another ignored file is followed (a generated
 * barrel), {@link MAX_HOPS} deep. A file that cannot be read is passed over (it is not there to run).
 */
export function loadedIgnored(input: IgnoredLoadsInput): IgnoredLoad[] {
  const ignored = new Set(input.ignored);
  if (!ignored.size) return [];
  const keys = ignoredKeys(input.ignored);
  const seen = new Set<string>();
  const out: IgnoredLoad[] = [];
  const visit = (importer: string, specifiers: readonly string[], from: string, hops: number): void => {
    for (const specifier of specifiers) {
      const target = input.resolve(specifier, from);
      if (!target || !ignored.has(target) || seen.has(target)) continue;
      seen.add(target);
      let text: string;
      try {
        text = readFileSync(target, 'utf8');
      } catch {
        continue;
      }
      const form = firstFormInReadings(textReadings(target, text));
      if (form)
        out.push({ file: toRelative(input.cwd, target), line: form.line, column: form.column, importer });
      else if (hops < MAX_HOPS) visit(importer, specifiersNaming(text, keys), target, hops + 1);
    }
  };
  for (const [file, specifiers] of input.importers)
    if (specifiers.length) visit(toRelative(input.cwd, file), specifiers, file, 1);
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The warning naming an ignored file a scanned file loads: where its 403 form is, who loads it, what to do.
 */
export function ignoredLoadWarning(load: IgnoredLoad): string {
  return (
    `${load.file}:${load.line}: a 403 form in a file git ignores, not scanned, but ${load.importer} loads it: ` +
    'it is generated? regenerate it from its source (its generator, templates or spec), or rewrite it; if it ' +
    'is never served, list it in migrate.exclude.'
  );
}

/** Warnings shown per run before the rest are counted in one line. */
const SHOWN = 10;

/** The warnings for `loads`: ten named ({@link ignoredLoadWarning}), then a count. */
export function ignoredLoadWarnings(loads: readonly IgnoredLoad[]): string[] {
  const out = loads.slice(0, SHOWN).map(ignoredLoadWarning);
  if (loads.length > SHOWN)
    out.push(
      `... and ${loads.length - SHOWN} more files git ignores that the scanned source loads, holding a 403 form, not scanned (--json lists every one under ignoredLoads).`,
    );
  return out;
}

/**
 * Why `--check` fails on ignored files the scanned source loads (`report.ignoredLoads`), naming five; undefined
 * when there is none.
 */
export function ignoredLoadsUnscanned(loads: readonly IgnoredLoad[] | undefined): string | undefined {
  if (!loads?.length) return undefined;
  const named = loads.slice(0, 5).map((f) => `${f.file}:${f.line}`);
  const more = loads.length > 5 ? ` and ${loads.length - 5} more` : '';
  const one = loads.length === 1;
  return `${one ? '1 file git ignores holds' : `${loads.length} files git ignores hold`} a 403 form and ${one ? 'was' : 'were'} not scanned, though the scanned source loads ${one ? 'it' : 'them'} (${named.join(', ')}${more}): regenerate ${one ? 'it' : 'each'} from its source or rewrite ${one ? 'it' : 'each'}, or list ${one ? 'it' : 'them'} in migrate.exclude if never served.`;
}
