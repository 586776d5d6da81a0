import { checkWwwAuthenticateFlag } from './www-authenticate.js';
import path from 'node:path';
import { MtlsFixError } from '../errors.js';
import type { PrestartedSources } from '../migrate/sources-prestart.js';
import { sourcesRequest, startSources } from '../migrate/sources.js';
import type { MigrateOptions } from '../migrate/types.js';
import { configFromFlags, type DetectionFlagValues } from './config-from-flags.js';
import { uncheckedFailsCheck } from '../config/schema.js';
import { debugRequested } from './terminal.js';
import { markPhase, phaseMarks } from '../util/phase-marks.js';

/** `mtls-fix migrate`'s flags as parsed (by oclif, or by the lean path in src/cli/lean.ts). */
export interface MigrateFlags extends DetectionFlagValues {
  check?: boolean;
  'dry-run'?: boolean;
  explain?: boolean;
  format?: string;
  force?: boolean;
  /** Repeatable. */
  framework?: string[];
  'include-tests'?: boolean;
  json?: boolean;
  /** Repeatable: FILE=PREFIX. */
  mount?: string[];
  /** Repeatable. */
  spec?: string[];
  'www-authenticate'?: string;
}

/** What the command needs from the CLI around it. */
export interface MigrateCli {
  /** mtls-fix's version, for SARIF's tool. */
  version: string;
  /** Writes to stdout and waits until it is handed off. */
  print(text: string): Promise<void>;
  /** A sources thread the CLI started ahead of the run (src/migrate/sources-prestart.ts), to be used for it. */
  sources?: PrestartedSources;
}

/**
 * `mtls-fix migrate` after its arguments are parsed: migrates, prints the report and returns the exit code
 * (0 done, 1 `--check` found work, 2 a file could not be parsed or written). Lives outside the oclif command
 * so the lean start-up path (src/cli/lean.ts) runs the very same code without loading oclif. The git check,
 * discovery and the reading of the files start on a worker thread (src/migrate/sources.ts) before the
 * TypeScript compiler loads (this module must not load it statically: the engine is imported after).
 * Throws MtlsFixError for usage errors.
 */
export async function runMigrate(
  argv: readonly string[],
  flags: MigrateFlags,
  cli: MigrateCli,
): Promise<0 | 1 | 2> {
  if (flags['dry-run'] && flags.check) {
    throw new MtlsFixError('EUSAGE', '--dry-run and --check cannot be combined.', 'Pick one.');
  }
  const cwd = process.cwd();
  const config = await configFromFlags(flags, cwd);
  checkWwwAuthenticateFlag(flags['www-authenticate'], config.status);
  const section = config.raw.migrate ?? {};
  const specFiles = flags.spec?.length ? flags.spec : config.spec;
  const mounts = { ...section.mounts, ...parseMounts(flags.mount ?? []) };
  if (!specFiles.length && Object.keys(mounts).length && flags.mount?.length) {
    throw new MtlsFixError('EUSAGE', '--mount needs --spec (or config spec).', 'Add --spec openapi.yaml.');
  }
  const paths = argv.length ? [...argv] : (section.include ?? ['.']);
  const mode = flags['dry-run'] ? 'dry-run' : flags.check ? 'check' : 'write';
  const progress = process.stderr.isTTY && !process.env.CI && !flags.json && !flags.format;
  const options: MigrateOptions = {
    cwd,
    paths,
    status: config.status,
    mode,
    force: flags.force,
    frameworks: flags.framework ?? section.frameworks,
    includeTests: flags['include-tests'] || (section.includeTests ?? false),
    exclude: section.exclude,
    wwwAuthenticate: flags['www-authenticate'] ?? section.wwwAuthenticate,
    spec: specFiles.length
      ? { files: specFiles, mtls: config.mtls, allowRemoteRefs: config.allowRemoteRefs, mounts }
      : undefined,
    explain: flags.explain,
    onProgress: progress ? progressBar() : undefined,
  };
  // Started before the engine (and with it the compiler) loads: on two cores they run at once.
  const sources = startSources(sourcesRequest(options, path.resolve(cwd)), cli.sources);
  const { checkFailures, formatHuman, migrate } = await import('../migrate/index.js');
  markPhase('migrate/loaded');
  const result = await migrate(options, sources);
  if (progress) process.stderr.write('\r\u001b[K');
  for (const warning of result.report.warnings) process.stderr.write(`mtls-fix: warning: ${warning}\n`);
  // print() waits for stdout: a large report piped to jq must not be cut short by the exit.
  if (flags.json) {
    await cli.print(JSON.stringify(result.report, null, 2));
  } else if (flags.format === 'github-actions') {
    const { formatMigrateGithubActions } = await import('../migrate/check-report.js');
    await cli.print(formatMigrateGithubActions(result.report));
  } else if (flags.format === 'sarif') {
    const { formatMigrateSarif } = await import('../migrate/check-report.js');
    const tool = { version: cli.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' };
    await cli.print(formatMigrateSarif(result.report, tool));
  } else {
    const { formatSiteList } = await import('../migrate/check-report.js');
    // A check names every site still to do, so a failing hook shows what to fix.
    if (mode === 'check') await cli.print(formatSiteList(result.report));
    if (mode === 'dry-run' && result.diff) await cli.print(result.diff);
    await cli.print(formatHuman(result, mode));
  }
  // --debug: when each phase ended (ms since the process started), for a run that feels slow.
  if (debugRequested(process.argv))
    for (const { phase, ms } of phaseMarks())
      process.stderr.write(`mtls-fix: debug: ${phase} done at ${Math.round(ms)} ms\n`);
  if (result.report.errors.length) return 2;
  // Why the check fails, on stderr, even with only review items left (a CI log may show stderr alone). Not with
  // --json: its reader has the sites, and a machine reader's stderr stays for errors and warnings.
  // As `fix --check`: a --spec document that declares no mTLS fails the check unless config `rules` sets
  // mtls-unchecked below error.
  const unchecked = uncheckedFailsCheck(config.raw.rules);
  const failures = mode === 'check' ? checkFailures(result.report, { unchecked }) : [];
  if (!flags.json)
    for (const failure of failures) process.stderr.write(`mtls-fix: --check fails: ${failure}\n`);
  return failures.length ? 1 : 0;
}

/** `--mount src/routes/a.ts=/v1/a` -> { 'src/routes/a.ts': '/v1/a' }. */
function parseMounts(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) {
      throw new MtlsFixError(
        'EUSAGE',
        `--mount '${value}' is not FILE=PREFIX.`,
        'Example: --mount src/routes/accounts.ts=/v1/accounts',
      );
    }
    out[value.slice(0, at)] = value.slice(at + 1);
  }
  return out;
}

/** A one-line progress bar on stderr, redrawn at most every 100 ms. */
function progressBar(): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`);
  };
}
