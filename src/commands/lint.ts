import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { detectionFlags } from '../cli/config-flags.js';
import { runLint } from '../cli/lint-run.js';
import { LINT_FORMATS } from '../lint/format/index.js';

export default class Lint extends BaseCommand {
  static override args = {
    files: Args.string({
      description: 'OpenAPI documents or globs (default: config `spec`, else ./openapi.*).',
      // Hooks and CI loops pipe stdin: it is never a file argument.
      ignoreStdin: true,
    }),
  };

  static override description =
    'Reports 403 responses on mTLS-secured operations (mtls-no-403) and 4XX ranges that may hide one ' +
    '(mtls-4xx-range). iOS turns a 403 on a client-certificate connection into NSURLErrorDomain -1206.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> openapi.yaml',
    '<%= config.bin %> <%= command.id %> "specs/**/*.yaml" --format sarif --output mtls.sarif',
    '<%= config.bin %> <%= command.id %> openapi.yaml --mtls-scheme clientCert --status 404',
    '<%= config.bin %> <%= command.id %> openapi.yaml -f stylish -f sarif -o - -o mtls.sarif',
    '<%= config.bin %> <%= command.id %> openapi.yaml --explain',
  ];

  static override flags = {
    ...detectionFlags,
    'fail-severity': Flags.string({
      description: 'Exit 1 when a result has this severity or a worse one.',
      options: ['error', 'warn', 'info', 'hint'],
    }),
    explain: Flags.boolean({
      description:
        'List findings suppressed by x-mtls-fix-ignore or config ignore, with their reasons; and list one by one what is grouped (hint digests, many default-only warnings of one document).',
    }),
    format: Flags.string({
      char: 'f',
      description: "Output format (repeatable: the n-th --output is the n-th format's file).",
      options: [...LINT_FORMATS],
      multiple: true,
      multipleNonGreedy: true,
    }),
    output: Flags.string({
      char: 'o',
      description:
        'Write the report to this file instead of stdout; `-` is stdout (repeatable, pairs with --format).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    force: Flags.boolean({
      description: 'Replace an --output file even when it is not a report mtls-fix wrote.',
    }),
    quiet: Flags.boolean({
      char: 'q',
      description:
        'Report errors only (no warnings, no notes): nothing when there are none. A document that declares no mTLS while it documents a 403 is an error (mtls-unchecked), as with --fail-unchecked.',
    }),
    'fail-unchecked': Flags.boolean({
      description:
        'Exit 1 when a document declares no mTLS while operations of it document a 403, none of which was checked (mtls-unchecked as an error; --quiet does this too). x-mtls: false at the document root says it has no mTLS endpoints; config rules: { mtls-unchecked: info } turns this off.',
    }),
    'skip-non-openapi': Flags.boolean({
      description:
        'Skip files that are not OpenAPI documents at all, even when named (for hooks that pass every file), without a note.',
    }),
  };

  static override strict = false;

  static override summary = 'Lint OpenAPI documents for 403 responses on mTLS-secured operations.';

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Lint);
    const cli = {
      version: this.config.version,
      debug: this.debugEnabled(),
      print: (text: string) => this.print(text),
    };
    this.setExitCode(await runLint(argv as string[], flags, cli));
  }
}
