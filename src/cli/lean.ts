import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as LeanMigrate from './lean-migrate.js';
import type { LeanParse } from './lean-parse.js';

/**
 * The lean start-up path for `mtls-fix lint` (a pre-commit hook runs it on every commit) and `mtls-fix migrate`:
 * loading oclif costs more CPU than Node's own start-up and than linting a small document. bin/run.js asks
 * {@link runLean} first; it parses the arguments from the flag definitions in oclif.manifest.json (written by
 * `npm run build` from the command classes) and runs the very code the oclif command runs (src/cli/lint-run.ts,
 * src/cli/migrate-run.ts through src/cli/lean-migrate.ts). Anything it is not
 * certain to parse exactly as oclif would (help, version, unknown or repeated flags, `--flag=`-less short
 * clusters, `--`, a value starting with `-`, a value outside a flag's options, greedy multi-value flags, flags
 * with defaults or environment variables) is left to oclif, so help, usage errors and exit codes stay oclif's.
 * MTLS_FIX_LEAN=0 turns the lean path off.
 */

/** The commands with a lean path. */
const LEAN_COMMANDS = new Set(['lint', 'migrate']);

/** One flag as oclif.manifest.json describes it. */
export interface ManifestFlag {
  name: string;
  type: 'boolean' | 'option';
  char?: string;
  multiple?: boolean;
  /** Added by scripts/manifest.mjs: one value per occurrence (oclif's manifest leaves it out). */
  multipleNonGreedy?: boolean;
  options?: string[];
  allowNo?: boolean;
  /** Flags that cannot be given with this one (oclif's usage error; the lean path leaves such a run to oclif). */
  exclusive?: string[];
}

/** Manifest keys that only describe help; any other key (default, env, relationships...) means "ask oclif". */
const DESCRIPTIVE_KEYS = new Set([
  'name',
  'type',
  'char',
  'multiple',
  'multipleNonGreedy',
  'options',
  'allowNo',
  // Checked after parsing: a run that gives two exclusive flags is left to oclif, which says so.
  'exclusive',
  'description',
  'summary',
  'helpGroup',
  'helpLabel',
  'helpValue',
  'hasDynamicHelp',
  'hidden',
]);

/** Parsed as oclif would (src/cli/lean-parse.ts). */
export type { LeanParse };

/**
 * Parses `args` (after the command id) against `flags`, or returns undefined when oclif should do it: the
 * rules above. Never throws.
 */
export function parseLean(
  args: readonly string[],
  flags: Readonly<Record<string, ManifestFlag>>,
): LeanParse | undefined {
  const definitions = Object.values(flags);
  if (definitions.some((flag) => Object.keys(flag).some((key) => !DESCRIPTIVE_KEYS.has(key))))
    return undefined;
  const byChar = new Map(definitions.filter((flag) => flag.char).map((flag) => [flag.char, flag]));
  const result: LeanParse = { argv: [], flags: {} };
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === '-' || !token.startsWith('-')) {
      if (token === '-') return undefined;
      result.argv.push(token);
      continue;
    }
    let flag: ManifestFlag | undefined;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const equals = token.indexOf('=');
      const name = equals === -1 ? token.slice(2) : token.slice(2, equals);
      flag = Object.hasOwn(flags, name) ? flags[name] : undefined;
      if (equals !== -1) inline = token.slice(equals + 1);
    } else if (token.length === 2) {
      flag = byChar.get(token[1]);
    }
    if (!flag || (flag.name in result.flags && !flag.multiple)) return undefined;
    if (flag.type === 'boolean') {
      if (inline !== undefined) return undefined;
      result.flags[flag.name] = true;
      continue;
    }
    if (flag.multiple && !flag.multipleNonGreedy) return undefined;
    const value = inline ?? args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (flag.options && !flag.options.includes(value)) return undefined;
    if (flag.multiple) {
      const values = (result.flags[flag.name] as string[] | undefined) ?? [];
      values.push(value);
      result.flags[flag.name] = values;
    } else {
      result.flags[flag.name] = value;
    }
  }
  for (const name of Object.keys(result.flags))
    if (flags[name].exclusive?.some((other) => other in result.flags)) return undefined;
  return result;
}

interface Manifest {
  version: string;
  commands: Record<string, { flags: Record<string, ManifestFlag>; strict?: boolean }>;
}

/**
 * Runs `mtls-fix <argv>` without oclif when it can (see the module comment) and returns true; returns false,
 * having done nothing, when oclif should run it. Sets process.exitCode as the command would; errors become
 * the same one line on stderr and exit 2 as under oclif (src/cli/terminal.ts).
 */
export async function runLean(argv: readonly string[], manifestUrl: URL): Promise<boolean> {
  const [id, ...rest] = argv;
  // MTLS_FIX_LEAN=0: always oclif (to compare the two paths, or to rule the lean one out).
  if (id === undefined || !LEAN_COMMANDS.has(id) || process.env.MTLS_FIX_LEAN === '0') return false;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as Manifest;
  } catch {
    return false;
  }
  const command = manifest.commands?.[id];
  if (!command || command.strict !== false) return false;
  const parsed = parseLean(rest, command.flags);
  if (!parsed) return false;

  if (id === 'migrate') {
    // From its own bundle (scripts/bundle-lean.mjs), not this one: the engine it loads starts worker threads
    // from modules next to its own (src/migrate/sources.ts), and its errors must be the classes it reports with.
    // The sources thread (git check, discovery, reading: src/migrate/sources.ts) starts first, waiting for its
    // request: Node.js's start-up of the thread and its module loading overlap the loading of the command's
    // modules and configuration here, which decide the request. Its work-tree check is known already (the folder,
    // and whether the tree must be clean: writing without --force, as migrate-run.ts decides): the thread starts
    // it first, so git runs while the thread loads its modules.
    const { prestartSources } = await import('../migrate/sources-prestart.js');
    const { flags } = parsed;
    const sources = prestartSources(
      fileURLToPath(new URL('dist/src/cli/migrate-bundle/sources-worker.js', manifestUrl)),
      { cwd: process.cwd(), checkClean: !flags['dry-run'] && !flags.check && !flags.force },
    );
    const leanMigrate = new URL('dist/src/cli/migrate-bundle/lean-migrate.js', manifestUrl).href;
    const { runLeanMigrate } = (await import(leanMigrate)) as typeof LeanMigrate;
    await runLeanMigrate(parsed, rest, manifest.version, sources);
    return true;
  }
  const terminal = await import('./terminal.js');
  terminal.prepareTerminal();
  const debug = terminal.debugRequested(rest);
  try {
    const { runLint } = await import('./lint-run.js');
    process.exitCode = await runLint(parsed.argv, parsed.flags, {
      version: manifest.version,
      debug,
      print: terminal.printToStdout,
    });
  } catch (error) {
    process.stderr.write(terminal.describeError(error as Error, { debug, usage: false }));
    process.exitCode = 2;
  }
  return true;
}
