import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { loadConfig, resolveConfig } from '../config/index.js';
import { MtlsFixError } from '../errors.js';
import { checkFails, formatHuman, FRAMEWORK_IDS, migrate } from '../migrate/index.js';

export default class Migrate extends BaseCommand {
  static override args = {
    paths: Args.string({
      description: 'Files or folders to rewrite (default: config migrate.include, else .).',
    }),
  };

  static override description =
    'Rewrites every status slot holding 403 in TypeScript/JavaScript server code to the agreed status (401 by default), ' +
    'and lists what needs a person (dynamic statuses, shared helpers, implicit 403s from guards, csrf, static serving). ' +
    'Edits are spliced into the original text: formatting, EOLs and BOMs stay as they were.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> src --dry-run',
    '<%= config.bin %> <%= command.id %> --check',
    '<%= config.bin %> <%= command.id %> src --status 404 --framework express --framework nestjs',
    '<%= config.bin %> <%= command.id %> --www-authenticate Bearer --json',
  ];

  static override flags = {
    check: Flags.boolean({ description: 'Write nothing; exit 1 if any site would change or needs review.' }),
    config: Flags.string({ description: 'Config file (default: searched from the working folder).' }),
    'dry-run': Flags.boolean({ description: 'Print a unified diff; write nothing.' }),
    force: Flags.boolean({ description: 'Write even when the git work tree has uncommitted changes.' }),
    framework: Flags.string({
      description: 'Only these frameworks (repeatable; default: detected from package.json).',
      multiple: true,
      options: [...FRAMEWORK_IDS],
    }),
    'include-tests': Flags.boolean({
      description: 'Also rewrite 403 assertions in test files (never mocks).',
    }),
    json: Flags.boolean({ description: 'Print the JSON report.' }),
    spec: Flags.string({
      description: 'Scope rewrites to handlers of mTLS-secured operations (not available yet).',
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
    if (flags.spec) {
      throw new MtlsFixError(
        'EUSAGE',
        '--spec is not available yet.',
        'Run without --spec to rewrite every site.',
      );
    }
    const loaded = await loadConfig({ cwd: process.cwd(), configPath: flags.config });
    const config = resolveConfig(loaded.config, { status: flags.status }, loaded.filepath);
    const section = loaded.config.migrate ?? {};
    const paths = (argv as string[]).length ? (argv as string[]) : (section.include ?? ['.']);
    const mode = flags['dry-run'] ? 'dry-run' : flags.check ? 'check' : 'write';
    const progress = process.stderr.isTTY && !process.env.CI && !flags.json;
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
      onProgress: progress ? progressBar() : undefined,
    });
    if (progress) process.stderr.write('\r\u001b[K');
    if (flags.json) {
      this.log(JSON.stringify(result.report, null, 2));
    } else {
      if (mode === 'dry-run' && result.diff) this.log(result.diff);
      this.log(formatHuman(result, mode));
    }
    if (result.report.errors.length) this.exit(2);
    if (mode === 'check' && checkFails(result.report)) this.exit(1);
  }
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
