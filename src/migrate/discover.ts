import { notSourceFormat, notSourceLabel, notSourceNotice } from './not-source.js';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import { MtlsFixError } from '../errors.js';
import { SOURCE_EXTENSIONS, sourceExtensionOf } from './extensions.js';
import { minifiedWarning } from './minified.js';
import { firstFormInReadings, textReadings } from './wide-sources.js';
import type { MinifiedFile, UnparsedFile } from './types.js';
import { outside, resolvedPath, realPaths, relativePath, toRelative } from './file-paths.js';
import { gitIgnored, gitIndexNow, type GitIndex } from './git-index.js';
import { isTestFile } from './test-names.js';
import { runnerSetupFiles } from './test-setup-files.js';
import { SUITE_PATTERNS, suiteToolOf, type SuiteFile } from './api-suites.js';
import {
  classifyExtraFile,
  EXTRA_PATTERNS,
  isOtherLanguageServerFile,
  languageOf,
  OTHER_LANGUAGE_PATTERN,
  OTHER_SERVER_LANGUAGES,
} from './unscanned.js';

/**
 * Folders of tools, never the project's server code, walked nowhere: dependencies, version control, package
 * managers' stores and releases (`.yarn/releases/yarn-*.cjs` is megabytes of a client), frameworks' and tools'
 * caches and build output, editors', CI's and git hooks' folders. Other dot folders are walked (Remix / React
 * Router's server-only `app/.server/`, a `.functions/` folder: breaker27 #02); dot files are not (tool configs).
 */
const TOOL_FOLDERS = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.yarn',
  '.pnpm-store',
  '.npm',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.wrangler',
  '.turbo',
  '.nx',
  '.cache',
  '.parcel-cache',
  '.vite',
  '.docusaurus',
  '.expo',
  '.angular',
  '.serverless',
  '.aws-sam',
  '.esbuild',
  '.idea',
  '.vscode',
  '.fleet',
  '.history',
  '.husky',
  '.changeset',
  '.github',
  '.gitlab',
  '.circleci',
  '.devcontainer',
  '.storybook',
  '.terraform',
  '.venv',
  '.tox',
  '.gradle',
];
const NEVER_WALKED = TOOL_FOLDERS.map((folder) => `**/${folder}/**`);

/** Output folders, skipped only at the root of a scanned path (`src/build/` is source) or when git ignores them. */
const OUTPUT_FOLDERS = ['dist', 'build', 'coverage', '.next', '.nuxt', '.output', '.svelte-kit', 'out'];

/** Warnings listed per unparsed language before the rest are counted in one line. */
const UNPARSED_SHOWN = 10;

/** Files that are never source the project maintains, wherever they are. */
const NOT_SOURCE: { reason: string; match: (relative: string) => boolean }[] = [
  { reason: 'declaration', match: (f) => /\.d\.[cm]?ts$/.test(f) },
  { reason: 'minified', match: (f) => /\.min\.[cm]?js$/.test(f) },
];

export interface DiscoveredFile {
  absolute: string;
  /** Relative to the working folder, `/`-separated (the report's paths). */
  relative: string;
  test: boolean;
  /**
   * A file in a test folder that is scanned as a source although nothing proves it is one (test-folders.ts
   * `unprovenSources`): its sites are reported by hand, never rewritten.
   */
  unproven?: true;
}

export interface Discovery {
  files: DiscoveredFile[];
  /**
   * Files not scanned, by reason: `generated` (an output folder), `ignored-by-git`, `excluded`, `declaration`,
   * `minified`, `symlink-duplicate`, `hard-link-duplicate`, `unsupported-language` (a file in a language mtls-fix does not parse whose
   * text holds a 403 form; src/migrate/unscanned.ts), `node-modules` (a source file git tracks under a
   * node_modules folder of a walked folder whose text holds a 403 form), `broken-link` (a tracked symbolic link
   * with a source extension that cannot be followed).
   */
  skipped: Record<string, number>;
  /** One line each, for the user: an explicitly named file that a default exclude skipped. */
  warnings: string[];
  /**
   * Every file skipped as `unsupported-language`, sorted by path (the warnings name ten per language): `line`
   * is the 1-based line of its first 403 form, absent when the file could not be read.
   */
  unparsed: UnparsedFile[];
  /** Every `*.min.js` (skipped `minified` by its name) whose text holds a 403 form, with where the first one is. */
  minified: MinifiedFile[];
  /** Files git tracks under a node_modules folder whose text holds a 403 form (skipped `node-modules`), relative. */
  nodeModules?: string[];
  /**
   * Source files git ignores (skipped `ignored-by-git`, or `generated` in an ignored output folder), not excluded
   * by migrate.exclude, absolute: a scanned file may load one (a generated router), ignored-loads.ts. Absent when
   * there is none.
   */
  ignored?: string[];
  /**
   * Scanned files (absolute) with the specifiers of theirs that may name an `ignored` file
   * (ignored-loads.ts `specifiersNaming`), set once every file was read (sources.ts `classified`). Absent when
   * there is none.
   */
  ignoredImports?: [string, string[]][];
  /**
   * Files in an output folder (skipped `generated`) that git does not ignore and whose text holds a 403 form, with
   * where the first one is (1-based), sorted by path: a committed `build/server.js` answers what it answers until
   * it is rebuilt, so it is named, never skipped in silence. Absent when there is none.
   */
  generated?: MinifiedFile[];
  /**
   * API test suites outside code the walk found (Postman collections, Hurl, Bruno, Gherkin, Tavern files:
   * api-suites.ts), past the same excludes as source (output folders, git's ignore list, migrate.exclude); not
   * counted as skipped. Absent when there is none, and for files named on the command line.
   */
  suites?: SuiteFile[];
  /** Whether the files lie in a git work tree (git answered for the folder): else a write has no review or undo. */
  inWorkTree: boolean;
}

/**
 * The source files under `paths` (files or folders), sorted, with what was skipped and why.
 * - `node_modules` and `.git` are never walked (nor counted); a source file git tracks under a node_modules
 *   folder that holds a 403 form is counted (`node-modules`) and named in a warning.
 * - Output folders (`dist`, `build`, `coverage`, ...) are skipped at the root of a scanned folder, or anywhere
 *   git ignores them; inside a git repository git's own ignore list (`.gitignore`, `info/exclude`, the global
 *   excludes) applies to every file.
 * - A directory symlink is followed once: files are kept by real path, so a link to a folder already scanned
 *   adds nothing (`symlink-duplicate`).
 * - Explicitly named files go through the same excludes, with a warning naming the file and the reason.
 *
 * @throws MtlsFixError ENOENT when a path does not exist.
 */
export function discoverFiles(cwd: string, paths: readonly string[], exclude: readonly string[]): Discovery {
  const steps = discoverySteps(cwd, paths, exclude);
  let step = steps.next();
  while (!step.done) step = steps.next(gitIndexNow(cwd));
  return step.value;
}

/**
 * {@link discoverFiles} with git's answers from `index` ({@link startGitIndex}, started by the caller before this
 * walks the folders: git reads its index while the walk runs). The same answers; rejects with what discoverFiles
 * throws.
 */
export async function discoverFilesWith(
  cwd: string,
  paths: readonly string[],
  exclude: readonly string[],
  index: Promise<GitIndex | undefined>,
): Promise<Discovery> {
  const steps = discoverySteps(cwd, paths, exclude);
  let step = steps.next();
  while (!step.done) step = steps.next(await index);
  return step.value;
}

/** discoverFiles' work, which stops once (`yield 'git'`) for git's answers when there are files to ask about. */
function* discoverySteps(
  cwd: string,
  paths: readonly string[],
  exclude: readonly string[],
): Generator<'git', Discovery, GitIndex | undefined> {
  const skipped: Record<string, number> = {};
  const warnings: string[] = [];
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const userExcluded = exclude.length ? picomatch([...exclude], { dot: true }) : () => false;
  const pattern = `**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;
  const found: {
    file: string;
    named: boolean;
    scanRoot: string;
    unparsed?: { language: string; line: number | undefined; source?: string };
    /** An API test suite file (api-suites.ts), never scanned as source. */
    suite?: SuiteFile['tool'];
  }[] = [];
  const isSource = (file: string) => sourceExtensionOf(file) !== undefined;
  // Folders walked (not named files): git may track source under a node_modules folder inside one.
  const walked: string[] = [];
  for (const entry of paths) {
    const absolute = path.resolve(cwd, entry);
    if (!existsSync(absolute)) {
      // A quoted glob reaches here whole: migrate takes files and folders (a folder is walked), not patterns.
      const glob = /[*?[\]{}]/.test(entry);
      throw new MtlsFixError(
        'ENOENT',
        `path not found: ${entry}.`,
        glob
          ? `migrate takes files and folders, not glob patterns: pass the folder (mtls-fix migrate ${globBase(entry)}), or let the shell expand the pattern; migrate.exclude takes globs.`
          : 'Pass files or folders that exist.',
        { file: entry },
      );
    }
    const named = statSync(absolute).isFile();
    if (!named) walked.push(absolute);
    const candidates = named
      ? [absolute]
      : globSync([pattern, ...EXTRA_PATTERNS, OTHER_LANGUAGE_PATTERN, ...SUITE_PATTERNS], {
          cwd: absolute,
          absolute: true,
          ignore: NEVER_WALKED,
          dot: true,
          followSymbolicLinks: true,
          // `server.JS` is source too (sourceExtensionOf); other languages' extensions are compared without case.
          caseSensitiveMatch: false,
        })
          .filter((file) => !path.basename(file).startsWith('.'))
          .map(resolvedPath);
    for (const file of candidates) {
      if (isSource(file)) {
        found.push({ file, named, scanRoot: absolute });
        continue;
      }
      // An API test suite kept outside code (a Postman collection, a .hurl file): read for 403 assertions.
      const suite = named ? undefined : suiteToolOf(toRelative(absolute, file));
      if (suite) {
        found.push({ file, named, scanRoot: absolute, suite });
        continue;
      }
      // A named file in another language (`migrate api/errors.go`) is named like one found in a folder,
      // not parsed as TypeScript; one that holds no 403 form is said so.
      if (named) {
        const extra = classifyExtraFile(file);
        const language = languageOf(file);
        // A data or document file (`migrate errors.json policy.yaml`) is never parsed as TypeScript: named as not
        // source, and its 403 forms counted as not read (not-source.ts).
        const format = !language && extra.kind === 'none' ? notSourceFormat(file) : undefined;
        if (format) {
          const line = firstFormIn(file)?.at.line;
          if (line === undefined) warnings.push(notSourceNotice(toRelative(cwd, file), format, undefined));
          else
            found.push({
              file,
              named,
              scanRoot: absolute,
              unparsed: { language: notSourceLabel(format), line },
            });
          continue;
        }
        if (extra.kind === 'unparsed')
          found.push({
            file,
            named,
            scanRoot: absolute,
            unparsed: { language: extra.language, line: extra.line, source: extra.source },
          });
        else if (extra.kind === 'none' && language)
          warnings.push(
            `${toRelative(cwd, file)}: ${language}, which mtls-fix migrate does not rewrite; it holds no 403 form.`,
          );
        else found.push({ file, named, scanRoot: absolute });
        continue;
      }
      // Other server languages of a polyglot repository: outside their dependency and build folders, not tests.
      if (
        OTHER_SERVER_LANGUAGES[path.extname(file)] &&
        !isOtherLanguageServerFile(toRelative(absolute, file))
      )
        continue;
      // Not a parsed extension: a Node script without one is source; a file in another language is named
      // when it holds a 403 form; anything else (README, LICENSE, images) is not looked at.
      const extra = classifyExtraFile(file);
      if (extra.kind === 'script') found.push({ file, named, scanRoot: absolute });
      else if (extra.kind === 'unparsed')
        found.push({
          file,
          named,
          scanRoot: absolute,
          unparsed: { language: extra.language, line: extra.line, source: extra.source },
        });
    }
  }
  // A `*.min.js` holding a 403 form is named (ten at most, then a count): skipped, never silently.
  let minifiedNamed = 0;
  const minifiedFiles: MinifiedFile[] = [];
  const nameMinified = (file: string, relative: string): void => {
    const at = firstFormIn(file);
    if (!at) return;
    minifiedFiles.push({ file: relative, ...at.at });
    if (++minifiedNamed <= UNPARSED_SHOWN) warnings.push(minifiedWarning(relative, at.text));
  };
  // A file in an output folder that git keeps (committed build output, or no git at all) holding a 403 form is
  // named (ten at most, then a count): the code it came from may not be in the run, or not rebuilt yet.
  let generatedNamed = 0;
  const generatedFiles: MinifiedFile[] = [];
  const nameGenerated = (file: string, relative: string, withinScan: string, named: boolean): void => {
    if (userExcluded(relative)) return;
    const found = firstFormIn(file);
    // A bundle (webpack, ncc, esbuild, Parcel output) is built from scanned sources and installed dependencies,
    // whose 403s are never named (a GitHub Action's committed dist/index.js carries @actions/http-client's table).
    if (!found || BUNDLE_RUNTIME.test(found.text)) return;
    const at = found.at;
    generatedFiles.push({ file: relative, ...at });
    // The output folder as the user would name it: its path from the working folder.
    const folder = relative.slice(0, relative.length - withinScan.length) + withinScan.split('/')[0];
    if (++generatedNamed <= UNPARSED_SHOWN && !named)
      warnings.push(generatedWarning(relative, folder, at.line));
  };
  const unparsedNamed = new Map<string, number>();
  const unparsedFiles: UnparsedFile[] = [];
  const ignoredFiles: string[] = [];
  const realPath = realPaths();
  const git = found.length || walked.length ? yield 'git' : undefined;
  const ignoredByGit = gitIgnored(
    found.map((f) => f.file),
    realPath,
    git,
  );
  // Source git tracks under a node_modules folder (Node-RED keeps its packages in packages/node_modules):
  // never walked, as installed dependencies are, but named when it holds a 403 form, never skipped in silence.
  let trackedNamed = 0;
  const trackedFiles: string[] = [];
  for (const file of trackedUnderNodeModules(git, walked, realPath)) {
    const relative = toRelative(cwd, file);
    if (userExcluded(relative)) continue;
    const at = firstFormIn(file)?.at;
    if (!at) continue;
    skip('node-modules');
    trackedFiles.push(relative);
    if (++trackedNamed <= UNPARSED_SHOWN) warnings.push(nodeModulesWarning(relative, at.line));
  }
  if (trackedNamed > UNPARSED_SHOWN)
    warnings.push(
      `... and ${trackedNamed - UNPARSED_SHOWN} more files git tracks under node_modules folders holding a 403 form, not scanned.`,
    );
  // A symbolic link git tracks with a source extension whose target is missing (or a loop of links): the walk
  // passes over it without a word, so it is named here (breaker32 #05).
  let brokenNamed = 0;
  const foundFiles = new Set(found.map((f) => f.file));
  for (const file of brokenLinks(git, walked, realPath, foundFiles)) {
    const relative = toRelative(cwd, file);
    if (userExcluded(relative)) continue;
    skip('broken-link');
    if (++brokenNamed <= UNPARSED_SHOWN)
      warnings.push(
        `${relative}: a symbolic link to a missing file (or a loop of links), so it was not read: fix or remove the link, or list it in migrate.exclude.`,
      );
  }
  if (brokenNamed > UNPARSED_SHOWN)
    warnings.push(
      `... and ${brokenNamed - UNPARSED_SHOWN} more broken symbolic links with a source extension, not read.`,
    );
  const byRealPath = new Map<string, DiscoveredFile>();
  // Files with more than one name, by device and inode: the first name found of each.
  const byInode = new Map<string, string>();
  const hardLinkTwin = (real: string): string | undefined => {
    let stats;
    try {
      stats = statSync(real);
    } catch {
      return undefined;
    }
    if (stats.nlink < 2) return undefined;
    const key = `${stats.dev}:${stats.ino}`;
    const first = byInode.get(key);
    if (first === undefined) byInode.set(key, real);
    return first;
  };
  // Files a test runner loads before every test (jest `setupFilesAfterEnv`, `.mocharc` `require`...) are tests'
  // scaffolding wherever they sit: their stubs' 403s are no server's.
  let setupFileSet: ReadonlySet<string> | undefined;
  const setupFiles = (): ReadonlySet<string> => (setupFileSet ??= new Set(runnerSetupFiles(cwd)));
  let outsideNamed = 0;
  let realCwd: string | undefined;
  const suites: SuiteFile[] = [];
  for (const { file, named, scanRoot, unparsed, suite } of found) {
    const relative = toRelative(cwd, file);
    // Output folders count from the scanned folder, or from the working folder for a named file.
    const withinScan = named ? relative : toRelative(scanRoot, file);
    const reason =
      NOT_SOURCE.find((n) => n.match(relative))?.reason ??
      (OUTPUT_FOLDERS.includes(withinScan.split('/')[0]) && withinScan.includes('/')
        ? 'generated'
        : undefined) ??
      (ignoredByGit.has(file) ? 'ignored-by-git' : undefined) ??
      (userExcluded(relative) ? 'excluded' : undefined);
    if (suite) {
      // Not source: past the same excludes, never counted as skipped.
      if (!reason) suites.push({ absolute: file, relative, tool: suite });
      continue;
    }
    if (reason) {
      skip(reason);
      if (named) warnings.push(`${relative}: skipped (${reason}); it is not scanned even when named.`);
      // A git-ignored source file: named later if a scanned file loads it and it holds a 403 (ignored-loads.ts).
      if (
        (reason === 'ignored-by-git' || (reason === 'generated' && ignoredByGit.has(file))) &&
        !unparsed &&
        isSource(file) &&
        !userExcluded(relative)
      )
        ignoredFiles.push(file);
      // A minified file holding a 403 form is named and fails --check, also when named (a hook's staged file).
      if (reason === 'minified') nameMinified(file, relative);
      else if (reason === 'generated' && !ignoredByGit.has(file))
        nameGenerated(file, relative, withinScan, named);
      continue;
    }
    if (unparsed) {
      // A named JSON or YAML file is not source at all, not a language migrate lacks (not-source.ts).
      skip(notSourceFormat(relative) ? 'not-source' : 'unsupported-language');
      unparsedFiles.push({
        file: relative,
        ...(unparsed.line === undefined ? {} : { line: unparsed.line }),
        language: unparsed.language,
        ...(unparsed.source === undefined ? {} : { source: unparsed.source }),
      });
      // One line per file, at most ten per language: a large front end must not drown the report.
      const shown = unparsedNamed.get(unparsed.language) ?? 0;
      unparsedNamed.set(unparsed.language, shown + 1);
      if (shown < UNPARSED_SHOWN)
        warnings.push(
          notSourceFormat(relative) && unparsed.line !== undefined
            ? notSourceNotice(relative, notSourceFormat(relative) ?? '', unparsed.line)
            : unparsed.line === undefined
              ? `${relative}: could not be read, and is ${unparsed.language}, which mtls-fix does not parse: review it by hand for 403s, or exclude the file (migrate.exclude).`
              : OTHER_SERVER_LANGUAGES[path.extname(relative)] === unparsed.language
                ? `${relative}:${unparsed.line}: ${unparsed.source ?? 'a 403 form'} in ${unparsed.language}; mtls-fix migrate rewrites JavaScript and TypeScript only: review it by hand, or exclude the file (migrate.exclude).`
                : `${relative}:${unparsed.line}: a 403 form in ${unparsed.language}, which mtls-fix does not parse: review it by hand, or exclude the file (migrate.exclude).`,
        );
      continue;
    }
    const real = realPath(file);
    if (!named && git && outside(git.root, real) && !outside(git.root, realPath(scanRoot))) {
      // Reached through a symbolic link out of the work tree: git's clean-tree check and diff cannot cover it.
      skip('outside-work-tree');
      if (++outsideNamed <= UNPARSED_SHOWN)
        warnings.push(
          `${relative}: a symbolic link leads it out of the git work tree (to ${real}), so it was not scanned: ` +
            'a rewrite there would escape the clean-tree check and git diff. Run mtls-fix migrate on that folder ' +
            'in its own repository, or list the link in migrate.exclude.',
        );
      continue;
    }
    // A symbolic link to a file migrate.exclude lists (src/legacy.ts -> ../vendor/legacy.ts): the exclude is the
    // user's word on that file, whichever name reaches it (breaker29 #07: the excluded file was rewritten).
    const realRelative = real === file ? relative : toRelative((realCwd ??= realPath(cwd)), real);
    if (realRelative !== relative && !outside(realCwd ?? cwd, real) && userExcluded(realRelative)) {
      skip('excluded');
      warnings.push(
        `${relative}: a symbolic link to ${realRelative}, which migrate.exclude lists, so it was not scanned.`,
      );
      continue;
    }
    const seen = byRealPath.get(real);
    const discovered = { absolute: file, relative, test: isTestFile(relative) || setupFiles().has(relative) };
    if (!seen) {
      // A second name of a file already found (a hard link): one file, read and written once (breaker27 #03:
      // the second name's write failed as "changed while mtls-fix ran").
      const twin = hardLinkTwin(real);
      if (twin !== undefined) {
        skip('hard-link-duplicate');
        continue;
      }
      byRealPath.set(real, discovered);
      continue;
    }
    if (!named) skip('symlink-duplicate');
    // Keep the spelling that does not go through a link.
    if (file === real) byRealPath.set(real, discovered);
  }
  for (const [language, count] of unparsedNamed) {
    if (count > UNPARSED_SHOWN)
      warnings.push(
        `... and ${count - UNPARSED_SHOWN} more files holding a 403 form or a check that answers 403 in ${language}, not parsed (--json lists every one under unparsed).`,
      );
  }
  if (outsideNamed > UNPARSED_SHOWN)
    warnings.push(
      `... and ${outsideNamed - UNPARSED_SHOWN} more files a symbolic link leads out of the git work tree, not scanned.`,
    );
  if (minifiedNamed > UNPARSED_SHOWN)
    warnings.push(
      `... and ${minifiedNamed - UNPARSED_SHOWN} more minified files holding a 403 form, not scanned.`,
    );
  if (generatedNamed > UNPARSED_SHOWN)
    warnings.push(
      `... and ${generatedNamed - UNPARSED_SHOWN} more files in output folders holding a 403 form, not scanned.`,
    );
  const files = [...byRealPath.values()].sort((a, b) => (a.relative < b.relative ? -1 : 1));
  generatedFiles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  unparsedFiles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    files,
    skipped,
    warnings,
    unparsed: unparsedFiles,
    minified: minifiedFiles,
    ...(trackedFiles.length ? { nodeModules: trackedFiles } : {}),
    ...(ignoredFiles.length ? { ignored: ignoredFiles } : {}),
    ...(generatedFiles.length ? { generated: generatedFiles } : {}),
    ...(suites.length ? { suites } : {}),
    inWorkTree: git !== undefined,
  };
}

/**
 * Source files (parsed extensions) that git tracks under a `node_modules` folder inside one of the `walked`
 * folders (absolute): the walk never enters node_modules, so these are neither scanned nor counted. Absolute
 * paths as spelled from the walked folder, sorted; none outside a work tree (`git` undefined).
 */
function trackedUnderNodeModules(
  git: GitIndex | undefined,
  walked: readonly string[],
  realPath: (file: string) => string,
): string[] {
  if (!git || !walked.length) return [];
  const roots = walked.map((folder) => ({ folder, real: realPath(folder) }));
  const out = new Set<string>();
  for (const tracked of git.tracked) {
    if (!tracked.includes('node_modules/') || sourceExtensionOf(tracked) === undefined) continue;
    const absolute = path.join(git.root, tracked);
    for (const { folder, real } of roots) {
      const within = relativePath(real, absolute);
      if (within.startsWith('..') || path.isAbsolute(within)) continue;
      if (!within.split(path.sep).includes('node_modules')) continue;
      out.add(path.join(folder, within));
      break;
    }
  }
  return [...out].sort();
}

/**
 * Symbolic links git tracks, with a source extension, inside one of the `walked` folders (absolute), that the walk
 * did not find (`found`, absolute) because they cannot be followed: the target is missing, or the links loop. Not
 * under node_modules (trackedUnderNodeModules) nor dot files (never walked). Absolute paths as spelled from the
 * walked folder, sorted; none outside a work tree (`git` undefined): an untracked broken link is not seen.
 */
function brokenLinks(
  git: GitIndex | undefined,
  walked: readonly string[],
  realPath: (file: string) => string,
  found: ReadonlySet<string>,
): string[] {
  if (!git || !walked.length) return [];
  const roots = walked.map((folder) => ({ folder, real: realPath(folder) }));
  const out: string[] = [];
  for (const tracked of git.tracked) {
    if (sourceExtensionOf(tracked) === undefined || tracked.includes('node_modules/')) continue;
    if (path.posix.basename(tracked).startsWith('.')) continue;
    const absolute = path.join(git.root, tracked);
    for (const { folder, real } of roots) {
      const within = relativePath(real, absolute);
      if (within.startsWith('..') || path.isAbsolute(within)) continue;
      const spelled = path.join(folder, within);
      if (!found.has(spelled) && !found.has(absolute) && isBrokenLink(absolute)) out.push(spelled);
      break;
    }
  }
  return out.sort();
}

/** Whether `file` is a symbolic link that cannot be followed (a missing target, a loop). */
function isBrokenLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink() && !existsSync(file);
  } catch {
    return false;
  }
}

/** A bundler's runtime helpers, which only a bundle of several modules holds (webpack, ncc, esbuild, Parcel). */
const BUNDLE_RUNTIME = /__webpack_require__|__nccwpck_require__|\b__commonJS\(|\b__toESM\(|\bparcelRequire\b/;

/**
 * The text of a file discovery does not scan and where its first 403 form is (1-based), or undefined when it
 * holds none or cannot be read (a file that vanished meanwhile: nothing to name).
 */
function firstFormIn(file: string): { text: string; at: { line: number; column: number } } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // In any reading of its bytes: a UTF-16 bundle or stray zero bytes hide no 403 (wide-sources.ts).
  const found = firstFormInReadings(textReadings(file, text));
  return found ? { text: found.text, at: { line: found.line, column: found.column } } : undefined;
}

/** The folder part of a glob pattern before its first wildcard segment (`src/**\/*.ts` -> `src`), or `.`. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const fixed = segments.slice(
    0,
    segments.findIndex((s) => /[*?[\]{}]/.test(s)),
  );
  return fixed.join('/') || '.';
}

/**
 * The warning naming a file in an output folder (`folder`, from the working folder: `build`, `services/api/dist`)
 * that git keeps and that holds a 403 form at `line` (1-based): not scanned, and what to do (rewrite its source and rebuild; name the folder if it is the source;
 * migrate.exclude if it is not served).
 */
function generatedWarning(relative: string, folder: string, line: number): string {
  return (
    `${relative}:${line}: a 403 form in an output folder (${folder}), not scanned: rewrite the source it is built ` +
    `from and rebuild it; if ${folder} is your source, name it (mtls-fix migrate ${folder}); if it is never ` +
    'served, list it in migrate.exclude.'
  );
}

/**
 * The warning naming a file git tracks under node_modules that holds a 403 form (`line`, 1-based): not scanned,
 * and how to scan it (name its package folder) or say it is a dependency (migrate.exclude).
 */
function nodeModulesWarning(relative: string, line: number): string {
  const parts = relative.split('/');
  const at = parts.lastIndexOf('node_modules');
  const scoped = parts[at + 1]?.startsWith('@') ? 2 : 1;
  const folder = parts.slice(0, Math.min(at + 1 + scoped, parts.length - 1)).join('/');
  return (
    `${relative}:${line}: a 403 form in a file git tracks under a node_modules folder, not scanned (mtls-fix reads ` +
    `node_modules as installed dependencies). If it is your code, name its folder (mtls-fix migrate ${folder}); ` +
    'if it is a vendored dependency, list it in migrate.exclude.'
  );
}
