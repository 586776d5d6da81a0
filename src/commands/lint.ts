import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags, type DetectionFlagValues } from '../cli/config-flags.js';
import type { ConfigOverrides } from '../config/resolve.js';
import type { FailSeverity, LintFormat } from '../config/schema.js';
import { MtlsFixError } from '../errors.js';
import { LINT_FORMATS, formatResults } from '../lint/format/index.js';
import { formatIgnored } from '../lint/format/ignored.js';
import { resolveSpecFiles } from '../lint/files.js';
import { looksLikeOpenApi } from '../lint/sniff.js';
import { lint } from '../lint/run.js';
import { SEVERITY_NUMBERS } from '../lint/types.js';
import { RULES } from '../../rules/meta.js';

export default class Lint extends BaseCommand {
  static override args = {
    files: Args.string({
      description: 'OpenAPI documents or globs (default: config `spec`, else ./openapi.*).',
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
      description: 'List findings suppressed by x-mtls-fix-ignore or config ignore, with their reasons.',
    }),
    format: Flags.string({
      char: 'f',
      description: "Output format (repeatable: the n-th --output is the n-th format's file).",
      options: [...LINT_FORMATS],
      multiple: true,
    }),
    output: Flags.string({
      char: 'o',
      description:
        'Write the report to this file instead of stdout; `-` is stdout (repeatable, pairs with --format).',
      multiple: true,
    }),
    'skip-non-openapi': Flags.boolean({
      description:
        'Skip, silently, files that are not OpenAPI/Swagger documents (for hooks handed every YAML/JSON file).',
    }),
    quiet: Flags.boolean({ char: 'q', description: 'Print results only: nothing when there are none.' }),
  };

  static override strict = false;

  static override summary = 'Lint OpenAPI documents for 403 responses on mTLS-secured operations.';

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Lint);
    const cwd = process.cwd();
    const config = await configFromFlags(flags, cwd);
    const candidates = await resolveSpecFiles(argv as string[], config.spec, cwd);
    const files = flags['skip-non-openapi']
      ? candidates.filter((file) => looksLikeOpenApi(file))
      : candidates;
    // --config names one file for every document; otherwise each finds its own, upward from its folder.
    const report = await lint(
      flags.config ? { files, config, cwd } : { files, cwd, overrides: overridesFromFlags(flags) },
    );

    const failSeverity = (flags['fail-severity'] ?? config.raw.lint?.failSeverity ?? 'error') as FailSeverity;
    const outputs = pairOutputs(
      flags.format?.length ? (flags.format as LintFormat[]) : [config.raw.lint?.format ?? 'stylish'],
      flags.output ?? [],
    );
    const rules = Object.entries(RULES).map(([id, rule]) => ({ id, ...rule }));
    const toStdout = outputs.find((output) => output.file === undefined);
    // Spectral's formatters colour by the terminal; a report written to a file must be plain text.
    if (outputs.some((output) => output.file !== undefined)) process.env.FORCE_COLOR = '0';
    for (const { format, file } of outputs) {
      // --quiet silences the human formats only: a machine format always writes a valid (maybe empty) document.
      const quietAndClean =
        flags.quiet && report.results.length === 0 && (format === 'stylish' || format === 'text');
      const text = quietAndClean
        ? ''
        : await formatResults(report.results, format, {
            cwd,
            failSeverity,
            rules,
            tool: { version: this.config.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' },
            ignored: report.ignored,
          });
      if (file !== undefined) writeReport(cwd, file, text);
      else if (text.trim() !== '') await this.print(text.replace(/\n+$/, ''));
    }
    // Suppressed findings are never silently gone: counted (and with --explain listed) beside a human
    // report on stdout, else on stderr so machine output stays valid.
    const ignoredText = formatIgnored(report.ignored, flags.explain, cwd);
    if (ignoredText) {
      const human = toStdout && (toStdout.format === 'stylish' || toStdout.format === 'text');
      if (human) await this.print(ignoredText);
      else process.stderr.write(`${ignoredText}\n`);
    }

    const threshold = SEVERITY_NUMBERS[failSeverity];
    this.setExitCode(report.results.some((result) => result.severity <= threshold) ? 1 : 0);
  }
}

/** The flags that override config keys, laid over each document's own config file. */
function overridesFromFlags(flags: DetectionFlagValues): ConfigOverrides {
  return {
    status: flags.status,
    mtlsSchemes: flags['mtls-scheme'],
    mtlsServers: flags['mtls-server'],
    mtlsEverywhere: flags['mtls-everywhere'],
    allowRemoteRefs: flags['allow-remote-refs'],
  };
}

/**
 * `-f stylish -f sarif -o - -o mtls.sarif`: the n-th --output goes with the n-th --format (`-` or none:
 * stdout). One --output for one --format is the plain case. At most one format may go to stdout.
 */
export function pairOutputs(formats: readonly LintFormat[], outputs: readonly string[]) {
  if (outputs.length > formats.length) {
    throw new MtlsFixError(
      'EUSAGE',
      `${outputs.length} --output values for ${formats.length} --format value(s).`,
      'Give one --format per --output, in the same order.',
    );
  }
  const pairs = formats.map((format, index) => {
    const output = outputs[index];
    return { format, file: output === undefined || output === '-' ? undefined : output };
  });
  if (pairs.filter((pair) => pair.file === undefined).length > 1) {
    throw new MtlsFixError(
      'EUSAGE',
      'more than one --format would be written to stdout.',
      'Give each format but one an --output file (pairs in order: -f json -o a.json -f stylish).',
    );
  }
  return pairs;
}

function writeReport(cwd: string, file: string, text: string): void {
  try {
    // CI writes reports into folders that may not exist yet (`-o reports/mtls.sarif`).
    mkdirSync(path.dirname(path.resolve(cwd, file)), { recursive: true });
    writeFileSync(path.resolve(cwd, file), text.endsWith('\n') || text === '' ? text : `${text}\n`);
  } catch (error) {
    throw new MtlsFixError('EWRITE', `cannot write report: ${(error as Error).message}.`, 'Check --output.', {
      file,
    });
  }
}
