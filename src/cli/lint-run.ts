import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ConfigOverrides } from '../config/resolve.js';
import type { FailSeverity, LintFormat } from '../config/schema.js';
import { MtlsFixError } from '../errors.js';
import { formatResults } from '../lint/format/index.js';
import { formatIgnored } from '../lint/format/ignored.js';
import { hintTexts } from '../lint/hint-digest.js';
import { resolveSpecInputs } from '../lint/files.js';
import { INPUT_RULE, lint } from '../lint/run.js';
import { SEVERITY_NUMBERS } from '../lint/types.js';
import { RULES } from '../findings/meta.js';
import { UNCHECKED_RULE } from '../findings/unchecked.js';
import { CONFIG_RULE, formatSummary } from '../lint/checks.js';
import { configFromFlags, type DetectionFlagValues } from './config-from-flags.js';
import { isOwnLintReport } from '../lint/format/own-report.js';
import { writeOutputFiles, type OutputFile } from '../util/output-file.js';

/** The config/typo warnings (src/lint/checks.ts) in SARIF's rule list; they are not Spectral ruleset rules. */
const CONFIG_RULE_DESCRIPTION = {
  id: CONFIG_RULE,
  name: 'ConfigurationSelectsNothing',
  description:
    'A setting or scheme type that selects nothing: a scheme typed mutualTls/mtls, an undefined scheme name, ' +
    'an mtls.servers regex that matches no server.',
  severity: 'warn' as const,
};

/** `mtls-fix lint`'s flags as parsed (by oclif, or by the lean path in src/cli/lean.ts). */
export interface LintFlags extends DetectionFlagValues {
  'fail-severity'?: string;
  /** Repeatable: the n-th --output is the n-th format's file. */
  format?: string[];
  /** Repeatable; `-` is stdout. */
  output?: string[];
  explain?: boolean;
  quiet?: boolean;
  'skip-non-openapi'?: boolean;
  /** A document that declares no mTLS (mtls-unchecked) fails the run unless config `rules` sets the rule. */
  'fail-unchecked'?: boolean;
  /** Replace an --output file that is not a report mtls-fix wrote. */
  force?: boolean;
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
  // --config names one file for every document; otherwise each finds its own, upward from its folder.
  const report = await lint({
    files: inputs.files,
    ...(flags.config ? { config } : { overrides: overridesFromFlags(flags) }),
    cwd,
    globbed: inputs.globbed,
    skipNonOpenApi: flags['skip-non-openapi'],
    // --quiet is what hooks run: its exit 0 must not stand for a document no 403 of which was checked.
    gate: Boolean(flags.quiet || flags['fail-unchecked']),
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
  const outputs = pairOutputs(
    flags.format?.length ? (flags.format as LintFormat[]) : [config.raw.lint?.format ?? 'stylish'],
    flags.output ?? [],
  );
  const ruleList = [...Object.entries(RULES).map(([id, rule]) => ({ id, ...rule })), INPUT_RULE_DESCRIPTION];
  // mtls-config is listed only when a run has one (it is not a ruleset rule).
  const rules = report.results.some((result) => result.code === CONFIG_RULE)
    ? [...ruleList, CONFIG_RULE_DESCRIPTION]
    : ruleList;
  const toStdout = outputs.find((output) => output.file === undefined);
  // Spectral's formatters colour by the terminal; a report written to a file must be plain text.
  if (outputs.some((output) => output.file !== undefined)) process.env.FORCE_COLOR = '0';
  // --quiet: errors only, as ESLint's --quiet (the exit code still counts every result).
  const shown = flags.quiet ? report.results.filter((result) => result.severity === 0) : report.results;
  // --quiet shows no hints, but the documents an mtls-unchecked error stands for keep theirs: a human report with
  // many of them prints the hints' digest in their place (src/lint/format/index.ts).
  const failingUnchecked = new Set(
    shown.filter((result) => result.code === UNCHECKED_RULE).map((result) => result.source),
  );
  const quietHints = report.hints.filter((hint) => hint.noMtls && failingUnchecked.has(hint.noMtls.document));
  const reports: OutputFile[] = [];
  let printed: string | undefined;
  for (const { format, file } of outputs) {
    // --quiet silences the human formats only: a machine format always writes a valid (maybe empty) document.
    const quietAndClean =
      flags.quiet &&
      shown.length === 0 &&
      (format === 'stylish' || format === 'text' || format === 'github-actions');
    const text = quietAndClean
      ? ''
      : await formatResults(shown, format, {
          cwd,
          failSeverity,
          rules,
          tool: { version: cli.version, informationUri: 'https://github.com/mtls-fix/mtls-fix' },
          // --quiet: the findings alone (github-actions would add the summary line).
          summary: flags.quiet && format === 'github-actions' ? undefined : report.summary,
          hints: flags.quiet ? quietHints : report.hints,
          explain: flags.explain,
          ignored: report.ignored,
        });
    if (file !== undefined) reports.push(reportFile(cwd, file, text, flags.force));
    else printed = text;
  }
  // Every report file is checked before any is written: one that is not a report mtls-fix wrote (an OpenAPI
  // document named by mistake, a hand-written file) is never replaced without --force (breaker31 #08).
  writeReports(cwd, reports);
  if (printed !== undefined && printed.trim() !== '') await cli.print(printed.replace(/\n+$/, ''));
  // json and junit keep their documented shapes: hints go to stderr, where a CI log still shows them.
  if (outputs.some(({ format }) => format === 'json' || format === 'junit') && !flags.quiet) {
    // A document with no mTLS-secured operation is its mtls-unchecked result in json; junit lists only results at
    // or above the fail severity (as Spectral's does), so below it the hint says it on stderr.
    const uncheckedShown = outputs.every(
      ({ format }) => format === 'json' || SEVERITY_NUMBERS[failSeverity] >= SEVERITY_NUMBERS.info,
    );
    for (const text of hintTexts(
      uncheckedShown ? report.hints.filter((hint) => !hint.noMtls) : report.hints,
      flags.explain,
    ))
      process.stderr.write(`mtls-fix: hint: ${text}\n`);
  }
  // Never silent: when no human report reaches stdout (json, junit or sarif there, or every report written to a
  // file), what was checked is one line on stderr after the hints, so `[]` never reads as clean without saying what was read.
  const humanOnStdout =
    toStdout !== undefined &&
    (toStdout.format === 'stylish' || toStdout.format === 'text' || toStdout.format === 'github-actions');
  if (!humanOnStdout && !flags.quiet)
    process.stderr.write(`mtls-fix: checked ${formatSummary(report.summary)}\n`);
  // Suppressed findings are never silently gone: counted (and with --explain listed) beside a human
  // report on stdout, else on stderr so machine output stays valid.
  const ignoredText = formatIgnored(report.ignored, flags.explain ?? false, cwd);
  if (ignoredText) {
    const human = toStdout && (toStdout.format === 'stylish' || toStdout.format === 'text');
    if (human) await cli.print(ignoredText);
    else process.stderr.write(`${ignoredText}\n`);
  }

  const threshold = SEVERITY_NUMBERS[failSeverity];
  // An input that could not be linted is exit 2 (after every file was linted and the report written).
  return report.inputErrors.length > 0
    ? 2
    : report.results.some((result) => result.severity <= threshold)
      ? 1
      : 0;
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
 * Throws MtlsFixError (EUSAGE) for more outputs than formats or two formats on stdout.
 */
export function pairOutputs(
  formats: readonly LintFormat[],
  outputs: readonly string[],
): { format: LintFormat; file: string | undefined }[] {
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

/** A report file for {@link writeReports}: replaced only when it is a report mtls-fix wrote, or `force`. */
function reportFile(cwd: string, file: string, text: string, force: boolean | undefined): OutputFile {
  return {
    path: path.resolve(cwd, file),
    display: file,
    text: text.endsWith('\n') || text === '' ? text : `${text}\n`,
    kind: 'a lint report',
    option: '--output',
    ours: isOwnLintReport,
    force,
  };
}

/** Writes the report files (util/output-file.ts), creating their folders. */
function writeReports(cwd: string, reports: readonly OutputFile[]): void {
  if (!reports.length) return;
  for (const report of reports) {
    try {
      // CI writes reports into folders that may not exist yet (`-o reports/mtls.sarif`).
      mkdirSync(path.dirname(report.path), { recursive: true });
    } catch (error) {
      throw new MtlsFixError(
        'EWRITE',
        `cannot write report: ${(error as Error).message}.`,
        'Check --output.',
        {
          file: report.display,
        },
      );
    }
  }
  writeOutputFiles(reports);
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
