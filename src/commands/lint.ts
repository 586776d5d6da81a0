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
import { resolveSpecInputs } from '../lint/files.js';
import { INPUT_RULE, lint } from '../lint/run.js';
import { SEVERITY_NUMBERS } from '../lint/types.js';
import { RULES } from '../findings/meta.js';
import { CONFIG_RULE } from '../lint/checks.js';

/** The config/typo warnings (src/lint/checks.ts) in SARIF's rule list; they are not Spectral ruleset rules. */
const CONFIG_RULE_DESCRIPTION = {
  id: CONFIG_RULE,
  name: 'ConfigurationSelectsNothing',
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
      multipleNonGreedy: true,
    }),
    output: Flags.string({
      char: 'o',
      description:
        'Write the report to this file instead of stdout; `-` is stdout (repeatable, pairs with --format).',
      multiple: true,
      multipleNonGreedy: true,
    }),
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
    // --config names one file for every document; otherwise each finds its own, upward from its folder.
    const report = await lint({
      files: inputs.files,
      ...(flags.config ? { config } : { overrides: overridesFromFlags(flags) }),
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
    const outputs = pairOutputs(
      flags.format?.length ? (flags.format as LintFormat[]) : [config.raw.lint?.format ?? 'stylish'],
      flags.output ?? [],
    );
    const ruleList = [
      ...Object.entries(RULES).map(([id, rule]) => ({ id, ...rule })),
      INPUT_RULE_DESCRIPTION,
    ];
    // mtls-config is listed only when a run has one (it is not a ruleset rule).
    const rules = report.results.some((result) => result.code === CONFIG_RULE)
      ? [...ruleList, CONFIG_RULE_DESCRIPTION]
      : ruleList;
    const toStdout = outputs.find((output) => output.file === undefined);
    // Spectral's formatters colour by the terminal; a report written to a file must be plain text.
    if (outputs.some((output) => output.file !== undefined)) process.env.FORCE_COLOR = '0';
    // --quiet: errors only, as ESLint's --quiet (the exit code still counts every result).
    const shown = flags.quiet ? report.results.filter((result) => result.severity === 0) : report.results;
    for (const { format, file } of outputs) {
      // --quiet silences the human formats only: a machine format always writes a valid (maybe empty) document.
      const quietAndClean = flags.quiet && shown.length === 0 && (format === 'stylish' || format === 'text');
      const text = quietAndClean
        ? ''
        : await formatResults(shown, format, {
            cwd,
            failSeverity,
            rules,
            tool: { version: this.config.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' },
            summary: report.summary,
            hints: flags.quiet ? [] : report.hints,
            ignored: report.ignored,
          });
      if (file !== undefined) writeReport(cwd, file, text);
      else if (text.trim() !== '') await this.print(text.replace(/\n+$/, ''));
    }
    // json and junit keep their documented shapes: hints go to stderr, where a CI log still shows them.
    if (outputs.some(({ format }) => format === 'json' || format === 'junit') && !flags.quiet) {
      for (const hint of report.hints) process.stderr.write(`mtls-fix: hint: ${hint.message}\n`);
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

const INPUT_RULE_DESCRIPTION = {
  id: INPUT_RULE,
  name: 'InputNotLinted',
  description:
    'The file could not be linted (unreadable, not UTF-8, invalid YAML/JSON, not OpenAPI, or broken structure); nothing in it was checked.',
  severity: 'error' as const,
};

/** `specs/a.yaml` under the working folder, else the absolute path. */
function displayName(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}
