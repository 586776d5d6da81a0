import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FailSeverity, LintFormat } from '../config/schema.js';
import { MtlsFixError } from '../errors.js';
import { formatResults } from '../lint/format/index.js';
import { resolveSpecInputs } from '../lint/files.js';
import { INPUT_RULE, lint } from '../lint/run.js';
import { SEVERITY_NUMBERS } from '../lint/types.js';
import { RULES } from '../findings/meta.js';
import { CONFIG_RULE } from '../lint/checks.js';
import { configFromFlags, type DetectionFlagValues } from './config-from-flags.js';

/** The config/typo warnings (src/lint/checks.ts) in SARIF's rule list; they are not Spectral ruleset rules. */
const CONFIG_RULE_DESCRIPTION = {
  id: CONFIG_RULE,
  description:
    'A setting or scheme type that selects nothing: a scheme typed mutualTls/mtls, an undefined scheme name, ' +
    'an mtls.servers regex that matches no server.',
  severity: 'warn' as const,
};

/** `mtls-fix lint`'s flags as parsed (by oclif, or by the lean path in src/cli/lean.ts). */
export interface LintFlags extends DetectionFlagValues {
  'fail-severity'?: string;
  format?: string;
  output?: string;
  quiet?: boolean;
  'skip-non-openapi'?: boolean;
}

/** What the command needs from the CLI around it. */
export interface LintCli {
  /** mtls-fix's version, for SARIF's tool. */
  version: string;
  /** --debug (or MTLS_FIX_DEBUG): input errors carry their stack. */
  debug: boolean;
  /** Writes to stdout and waits until it is handed off. */
  print(text: string): Promise<void>;
}

/**
 * `mtls-fix lint` after its arguments are parsed: lints, prints the report and returns the exit code
 * (0 clean, 1 results at --fail-severity or worse, 2 an input could not be linted). Lives outside the oclif
 * command so the lean start-up path (src/cli/lean.ts) runs the very same code without loading oclif.
 * Throws MtlsFixError for usage and write errors.
 */
export async function runLint(argv: readonly string[], flags: LintFlags, cli: LintCli): Promise<0 | 1 | 2> {
  const cwd = process.cwd();
  const config = await configFromFlags(flags, cwd);
  const inputs = await resolveSpecInputs([...argv], config.spec, cwd);
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
      `mtls-fix: ${error.toLine()}\n${cli.debug && error.stack ? `${error.stack}\n` : ''}`,
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
        tool: { version: cli.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' },
        summary: report.summary,
        hints: flags.quiet ? [] : report.hints,
      });
  // json and junit keep their documented shapes: hints go to stderr, where a CI log still shows them.
  if ((format === 'json' || format === 'junit') && !flags.quiet) {
    for (const hint of report.hints) process.stderr.write(`mtls-fix: hint: ${hint.message}\n`);
  }
  if (flags.output) {
    try {
      writeFileSync(path.resolve(cwd, flags.output), text.endsWith('\n') || text === '' ? text : `${text}\n`);
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
    await cli.print(text.replace(/\n+$/, ''));
  }

  const threshold = SEVERITY_NUMBERS[failSeverity];
  // An input that could not be linted is exit 2 (after every file was linted and the report written).
  return report.inputErrors.length > 0
    ? 2
    : report.results.some((result) => result.severity <= threshold)
      ? 1
      : 0;
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
