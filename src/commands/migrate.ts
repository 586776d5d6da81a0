import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { detectionFlags } from '../cli/config-flags.js';
import { runMigrate } from '../cli/migrate-run.js';
import { FRAMEWORK_IDS } from '../migrate/index.js';

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
    const cli = { version: this.config.version, print: (text: string) => this.print(text) };
    this.setExitCode(await runMigrate(argv as string[], flags, cli));
  }
}
