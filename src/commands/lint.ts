import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags } from '../cli/config-flags.js';
import type { FailSeverity, LintFormat } from '../config/schema.js';
import { MtlsFixError } from '../errors.js';
import { LINT_FORMATS, formatResults } from '../lint/format/index.js';
import { resolveSpecInputs } from '../lint/files.js';
import { INPUT_RULE, lint } from '../lint/run.js';
import { SEVERITY_NUMBERS } from '../lint/types.js';
import { RULES } from '../findings/meta.js';
import { CONFIG_RULE } from '../lint/checks.js';

/** The config/typo warnings (src/lint/checks.ts) in SARIF's rule list; they are not Spectral ruleset rules. */
const CONFIG_RULE_DESCRIPTION = {
  id: CONFIG_RULE,
  description:
    'A setting or scheme type that selects nothing: a scheme typed mutualTls/mtls, an undefined scheme name, ' +
    'an mtls.servers regex that matches no server.',
  severity: 'warn' as const,
};

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
  ];

  static override flags = {
    ...detectionFlags,
    'fail-severity': Flags.string({
      description: 'Exit 1 when a result has this severity or a worse one.',
      options: ['error', 'warn', 'info', 'hint'],
    }),
    format: Flags.string({ char: 'f', description: 'Output format.', options: [...LINT_FORMATS] }),
    output: Flags.string({ char: 'o', description: 'Write the report to this file instead of stdout.' }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Report errors only (no warnings, no notes): nothing when there are none.',
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
    const cwd = process.cwd();
    const config = await configFromFlags(flags, cwd);
    const inputs = await resolveSpecInputs(argv as string[], config.spec, cwd);
    const report = await lint({
      files: inputs.files,
      config,
      cwd,
      globbed: inputs.globbed,
      skipNonOpenApi: flags['skip-non-openapi'],
    });
    // Every file was linted; each one that could not be is also one line on stderr (the exit-2 contract).
    for (const error of report.inputErrors) {
      process.stderr.write(
        `mtls-fix: ${error.toLine()}\n${this.debugEnabled() && error.stack ? `${error.stack}\n` : ''}`,
      );
    }
    if (!flags['skip-non-openapi'] && !flags.quiet) {
      for (const { file, reason } of report.skipped) {
        process.stderr.write(`mtls-fix: ${displayName(cwd, file)}: skipped: ${reason}\n`);
      }
    }

    const failSeverity = (flags['fail-severity'] ?? config.raw.lint?.failSeverity ?? 'error') as FailSeverity;
    const format = (flags.format ?? config.raw.lint?.format ?? 'stylish') as LintFormat;
    const rules = [...Object.entries(RULES).map(([id, rule]) => ({ id, ...rule })), INPUT_RULE_DESCRIPTION];
    // Spectral's formatters colour by the terminal; a report written to a file must be plain text.
    if (flags.output) process.env.FORCE_COLOR = '0';
    // --quiet silences the human formats only: a machine format always writes a valid (maybe empty) document.
    // --quiet: errors only, as ESLint's --quiet (the exit code still counts every result).
    const shown = flags.quiet ? report.results.filter((result) => result.severity === 0) : report.results;
    const quietAndClean = flags.quiet && shown.length === 0 && (format === 'stylish' || format === 'text');
    const text = quietAndClean
      ? ''
      : await formatResults(shown, format, {
          cwd,
          failSeverity,
          // mtls-config is listed only when a run has one (it is not a ruleset rule).
          rules: report.results.some((result) => result.code === CONFIG_RULE)
            ? [...rules, CONFIG_RULE_DESCRIPTION]
            : rules,
          tool: { version: this.config.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' },
          summary: report.summary,
          hints: flags.quiet ? [] : report.hints,
        });
    // json and junit keep their documented shapes: hints go to stderr, where a CI log still shows them.
    if ((format === 'json' || format === 'junit') && !flags.quiet) {
      for (const hint of report.hints) process.stderr.write(`mtls-fix: hint: ${hint.message}\n`);
    }
    if (flags.output) {
      try {
        writeFileSync(
          path.resolve(cwd, flags.output),
          text.endsWith('\n') || text === '' ? text : `${text}\n`,
        );
      } catch (error) {
        throw new MtlsFixError(
          'EWRITE',
          `cannot write report: ${(error as Error).message}.`,
          'Check --output.',
          {
            file: flags.output,
          },
        );
      }
    } else if (text.trim() !== '') {
      await this.print(text.replace(/\n+$/, ''));
    }

    const threshold = SEVERITY_NUMBERS[failSeverity];
    // An input that could not be linted is exit 2 (after every file was linted and the report written).
    this.setExitCode(
      report.inputErrors.length > 0
        ? 2
        : report.results.some((result) => result.severity <= threshold)
          ? 1
          : 0,
    );
  }
}

const INPUT_RULE_DESCRIPTION = {
  id: INPUT_RULE,
  description:
    'The file could not be linted (unreadable, not UTF-8, invalid YAML/JSON, not OpenAPI, or broken structure); nothing in it was checked.',
  severity: 'error' as const,
};

/** `specs/a.yaml` under the working folder, else the absolute path. */
function displayName(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}
