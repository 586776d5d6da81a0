import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags } from '../cli/config-flags.js';
import { MtlsFixError } from '../errors.js';
import { checkFails, formatHuman, FRAMEWORK_IDS, migrate } from '../migrate/index.js';
import { formatMigrateGithubActions, formatMigrateSarif, formatSiteList } from '../migrate/check-report.js';

export default class Migrate extends BaseCommand {
  static override args = {
    paths: Args.string({
      description: 'Files or folders to rewrite (default: config migrate.include, else .).',
      // Hooks and CI loops pipe stdin: it is never a path argument.
      ignoreStdin: true,
    }),
  };

  static override description =
    'Rewrites every status slot holding 403 in TypeScript/JavaScript server code to the agreed status (401 by default), ' +
    'and lists what needs a person (dynamic statuses, shared helpers, implicit 403s from guards, csrf, static serving). ' +
    'Edits are spliced into the original text: formatting, EOLs and BOMs stay as they were.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> src --dry-run',
    '<%= config.bin %> <%= command.id %> --check',
    '<%= config.bin %> <%= command.id %> --check --format github-actions',
    '<%= config.bin %> <%= command.id %> src --status 404 --framework express --framework nestjs',
    '<%= config.bin %> <%= command.id %> --www-authenticate Bearer --json',
    '<%= config.bin %> <%= command.id %> src --spec openapi.yaml --mount src/routes/accounts.ts=/v1/accounts --dry-run',
  ];

  static override flags = {
    ...detectionFlags,
    check: Flags.boolean({ description: 'Write nothing; exit 1 if any site would change or needs review.' }),
    config: Flags.string({ description: 'Config file (default: searched from the working folder).' }),
    'dry-run': Flags.boolean({ description: 'Print a unified diff; write nothing.' }),
    explain: Flags.boolean({
      description:
        'With --json: also list every 403 occurrence that is not an emit (comparison, comment, import...) with its kind and location.',
    }),
    format: Flags.string({
      description:
        'Report the sites left to rewrite or review as GitHub annotations or SARIF instead of the human report.',
      options: ['github-actions', 'sarif'],
      exclusive: ['json'],
    }),
    force: Flags.boolean({ description: 'Write even when the git work tree has uncommitted changes.' }),
    framework: Flags.string({
      description: 'Only these frameworks (repeatable; default: detected from package.json).',
      multiple: true,
      multipleNonGreedy: true,
      options: [...FRAMEWORK_IDS],
    }),
    'include-tests': Flags.boolean({
      description: 'Also rewrite 403 assertions in test files (never mocks).',
    }),
    json: Flags.boolean({ description: 'Print the JSON report.' }),
    mount: Flags.string({
      description:
        'FILE=PREFIX: the path prefix of the routes declared in FILE, where the code computes it at run time (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    spec: Flags.string({
      description:
        'OpenAPI document: rewrite only sites reached from handlers of its mTLS-secured operations, and report coverage (default: config spec).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    status: Flags.string({ description: 'The agreed status: a 4xx other than 403 (default 401).' }),
    'www-authenticate': Flags.string({
      description:
        'For a 401 target, add WWW-Authenticate with this scheme (e.g. Bearer) where the framework allows.',
    }),
  };

  static override strict = false;

  static override summary = 'Rewrite 403 responses in server code to the agreed status.';

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Migrate);
    if (flags['dry-run'] && flags.check) {
      throw new MtlsFixError('EUSAGE', '--dry-run and --check cannot be combined.', 'Pick one.');
    }
    const config = await configFromFlags(flags, process.cwd());
    const section = config.raw.migrate ?? {};
    const specFiles = flags.spec?.length ? flags.spec : config.spec;
    const mounts = { ...section.mounts, ...parseMounts(flags.mount ?? []) };
    if (!specFiles.length && Object.keys(mounts).length && flags.mount?.length) {
      throw new MtlsFixError('EUSAGE', '--mount needs --spec (or config spec).', 'Add --spec openapi.yaml.');
    }
    const paths = (argv as string[]).length ? (argv as string[]) : (section.include ?? ['.']);
    const mode = flags['dry-run'] ? 'dry-run' : flags.check ? 'check' : 'write';
    const progress = process.stderr.isTTY && !process.env.CI && !flags.json && !flags.format;
    const result = await migrate({
      cwd: process.cwd(),
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
    });
    if (progress) process.stderr.write('\r\u001b[K');
    for (const warning of result.report.warnings) process.stderr.write(`mtls-fix: warning: ${warning}\n`);
    // print() waits for stdout: a large report piped to jq must not be cut short by the exit.
    if (flags.json) {
      await this.print(JSON.stringify(result.report, null, 2));
    } else if (flags.format === 'github-actions') {
      await this.print(formatMigrateGithubActions(result.report));
    } else if (flags.format === 'sarif') {
      const tool = { version: this.config.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' };
      await this.print(formatMigrateSarif(result.report, tool));
    } else {
      // A check names every site still to do, so a failing hook shows what to fix.
      if (mode === 'check') await this.print(formatSiteList(result.report));
      if (mode === 'dry-run' && result.diff) await this.print(result.diff);
      await this.print(formatHuman(result, mode));
    }
    if (result.report.errors.length) this.exit(2);
    if (mode === 'check' && checkFails(result.report)) this.setExitCode(1);
  }
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
