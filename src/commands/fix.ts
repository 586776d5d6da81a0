import { checkWwwAuthenticateFlag } from '../cli/www-authenticate.js';
import { existsSync } from 'node:fs';
import { formatSummary } from '../lint/checks.js';
import { hintTexts } from '../lint/hint-digest.js';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { stringify } from 'yaml';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags } from '../cli/config-flags.js';
import { uncheckedFailsCheck } from '../config/schema.js';
import { MtlsFixError } from '../errors.js';
import { resolveSpecInputs } from '../lint/files.js';
import { fragmentRootsOf } from '../lint/fragment-roots.js';
import { fixExitCode, fixReportJson, formatFixReport } from '../fix/format.js';
import { fix } from '../fix/index.js';
import type { ConflictMode, FixMode, OverlayDocument } from '../fix/types.js';
import { isOwnOverlay } from '../fix/overlay.js';
import { assertCleanWorkTrees } from '../migrate/git.js';
import { writeOutputFiles } from '../util/output-file.js';

/** `mtls-fix fix`: parse flags, call the library (src/fix), print, exit code. */
export default class Fix extends BaseCommand {
  static override args = {
    files: Args.string({
      description: 'OpenAPI documents or globs (default: config `spec`, else ./openapi.*).',
      // Hooks and CI loops pipe stdin: it is never a file argument.
      ignoreStdin: true,
    }),
  };

  static override description =
    'For every 403 response that `mtls-fix lint` reports on an mTLS-secured operation (mtls-no-403), renames the ' +
    'key to the agreed status in the file where it is written; every other byte stays. When the operation ' +
    'already documents the agreed status, the 403 entry is removed (and what it held that the kept one lacks is ' +
    'listed), merged (--on-conflict merge) or left (--on-conflict report, exit 1). A $ref stays a $ref. ' +
    '4XX, webhooks and callbacks are never changed. --overlay writes an OpenAPI Overlay 1.0 instead.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> openapi.yaml',
    '<%= config.bin %> <%= command.id %> openapi.yaml --dry-run',
    '<%= config.bin %> <%= command.id %> openapi.yaml --on-conflict merge --www-authenticate Bearer',
    '<%= config.bin %> <%= command.id %> openapi.yaml --rename-components',
    '<%= config.bin %> <%= command.id %> openapi.yaml --overlay mtls-fix.overlay.yaml',
  ];

  static override flags = {
    ...detectionFlags,
    'dry-run': Flags.boolean({
      description: 'Print a unified diff of what would change; write nothing.',
      exclusive: ['overlay', 'check'],
    }),
    check: Flags.boolean({
      description:
        'Write nothing; exit 1 if anything would change, or if a document declares no mTLS so none of its 403s was checked (a CI gate).',
      exclusive: ['overlay', 'dry-run'],
    }),
    overlay: Flags.string({
      description:
        'Write an OpenAPI Overlay 1.0 with the same effect to this file instead of editing the document.',
      exclusive: ['dry-run', 'check'],
    }),
    'on-conflict': Flags.string({
      description:
        'When the operation already documents the agreed status: keep it and remove the 403 (listing what the 403 ' +
        'held that it lacks), merge the 403 into it, or report and leave both (exit 1).',
      options: ['keep', 'merge', 'report'],
      default: 'keep',
    }),
    'rename-components': Flags.string({
      description:
        'Rename a 403 response component (Forbidden -> Unauthorized) and every $ref to it, when every user of it is ' +
        'migrated. Optional value: the new name (--rename-components=NAME).',
    }),
    'www-authenticate': Flags.string({
      description:
        'Status 401 only: add a WWW-Authenticate header object (RFC 9110 §15.5.2) with this scheme, e.g. ' +
        'Bearer, to each new 401 that has none.',
    }),
    json: Flags.boolean({ description: 'Print the report as JSON.' }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Print errors only (the exit code still says what happened).',
    }),
    force: Flags.boolean({
      description:
        'Write even when the git work tree of a document has uncommitted changes (or a document is in none while ' +
        'the working folder is in one); with --overlay, replace the file even when it is not an Overlay mtls-fix ' +
        'wrote for this document.',
    }),
    'skip-non-openapi': Flags.boolean({
      description:
        'Skip files that are not OpenAPI documents at all, even when named (for hooks that pass every file), without a note.',
    }),
  };

  static override strict = false;

  static override summary =
    'Rename the 403 responses of mTLS-secured operations to the agreed status, in place.';

  async run(): Promise<void> {
    const cwd = process.cwd();
    const { argv, flags } = await this.parse(Fix, optionalValue(this.argv, '--rename-components', cwd));
    const config = await configFromFlags(flags, cwd);
    checkWwwAuthenticateFlag(flags['www-authenticate'], config.status);
    const { files, globbed } = await resolveSpecInputs(argv as string[], config.spec, cwd);
    if (flags.overlay && files.includes(path.resolve(cwd, flags.overlay))) {
      throw new MtlsFixError(
        'EUSAGE',
        `--overlay ${flags.overlay} is the document itself.`,
        'Name another file, e.g. mtls-fix.overlay.yaml.',
      );
    }
    const mode: FixMode = flags.overlay
      ? 'overlay'
      : flags['dry-run']
        ? 'dry-run'
        : flags.check
          ? 'check'
          : 'write';
    // Each document's own work tree must be clean, as for migrate: the fix is then one reviewable diff, never
    // mixed into uncommitted work (breaker31 #04). Files a document $refs in another folder are not asked here.
    if (mode === 'write' && !flags.force) await assertCleanWorkTrees(cwd, files);
    const rename = flags['rename-components'];
    const sharedWith = await configSpecDocuments(config.spec, cwd);
    // Fragments a hook passes (--skip-non-openapi, or found by a glob) are fixed through the documents that $ref them.
    const fragmentRoots =
      flags['skip-non-openapi'] || globbed.size > 0 ? await fragmentRootsOf(files, cwd) : undefined;
    const report = fix({
      files,
      config,
      cwd,
      mode,
      onConflict: flags['on-conflict'] as ConflictMode,
      renameComponents: rename === undefined ? false : rename === '' ? true : rename,
      wwwAuthenticate: flags['www-authenticate'],
      globbed,
      skipNonOpenApi: flags['skip-non-openapi'],
      sharedWith,
      fragmentRoots,
    });
    if (!flags['skip-non-openapi'] && !flags.quiet) {
      for (const { file, reason } of report.skipped)
        process.stderr.write(`mtls-fix: ${file}: skipped: ${reason}\n`);
    }
    if (flags.overlay && report.overlay && report.overlay.actions.length === 0) {
      // Overlay 1.0 requires at least one action: write none, and say why.
      const elsewhere = report.documents
        .flatMap((document) => document.changes)
        .filter((c) => c.action === 'skipped');
      if (elsewhere.length > 0) {
        throw new MtlsFixError(
          'EUSAGE',
          `an Overlay cannot express the ${elsewhere.length} 403 key${elsewhere.length === 1 ? '' : 's'} outside the root document (${[...new Set(elsewhere.map((c) => c.file))].join(', ')}); no overlay written.`,
          'Run fix without --overlay.',
        );
      }
    } else if (flags.overlay && report.overlay) {
      const target = path.resolve(cwd, flags.overlay);
      const overlay: OverlayDocument = {
        ...report.overlay,
        extends: path.relative(path.dirname(target), files[0]).split(path.sep).join('/'),
      };
      const text = /\.json$/i.test(target)
        ? `${JSON.stringify(overlay, null, 2)}\n`
        : stringify(overlay, { lineWidth: 0, aliasDuplicateObjects: false });
      // An existing file is replaced only when it is an Overlay mtls-fix wrote for this document (or --force): a
      // hand-written Overlay or another OpenAPI document named by mistake is a user's work (breaker31 #08).
      writeOutputFiles([
        {
          path: target,
          text,
          display: flags.overlay,
          kind: `an Overlay of ${overlay.extends}`,
          option: '--overlay',
          ours: (existing) => isOwnOverlay(existing, overlay.extends as string),
          force: flags.force,
        },
      ]);
    }
    // --check is a gate: a document that declares no mTLS while operations of it document a 403 (none of which
    // was checked) fails it, as under `lint --quiet`, unless config `rules` sets mtls-unchecked below error
    // (x-mtls: false at a root gives no such hint).
    const uncheckedFails =
      mode === 'check' && uncheckedFailsCheck(config.raw.rules)
        ? (report.hints ?? []).filter((hint) => (hint.noMtls?.forbidden ?? 0) > 0)
        : [];
    // No document could be read (every input an error): the one-line errors alone, exit 2; before session 28 a
    // summary line came first, above the errors. A document read but left unchanged because parts of it cannot be
    // read (`unread`) keeps its summary, which says how many parts.
    const nothingRead =
      report.documents.length === 0 && report.errors.length > 0 && report.unread.length === 0;
    if (flags.json) {
      await this.print(fixReportJson(report));
    } else if (!flags.quiet && !nothingRead) {
      if (mode === 'dry-run' && report.diff) await this.print(report.diff.replace(/\n$/, ''));
      await this.print(formatFixReport(report, flags.overlay));
      // Never silent: what was checked, and the hints (issue 10).
      if (report.summary) await this.print(`mtls-fix: checked ${formatSummary(report.summary)}`);
      const hints = (report.hints ?? []).filter((hint) => !uncheckedFails.includes(hint));
      for (const text of hintTexts(hints)) await this.print(`hint: ${text}`);
    }
    // On stderr in every mode (--json stays one document, --quiet still says why it failed).
    for (const text of hintTexts(uncheckedFails)) process.stderr.write(`mtls-fix: --check fails: ${text}\n`);
    // Documents that could not be fixed: one line each, after the others were fixed; exit 2.
    for (const error of [...report.errors, ...report.unread])
      process.stderr.write(`mtls-fix: ${error.toLine()}\n`);
    this.setExitCode(
      report.errors.length > 0 || report.unread.length > 0
        ? 2
        : uncheckedFails.length > 0
          ? 1
          : fixExitCode(report),
    );
  }
}

/**
 * oclif has no flags with an optional value, so a bare `--rename-components` becomes `--rename-components=`
 * unless the next word is a component name (not a flag, not an existing file, not a glob).
 */
export function optionalValue(argv: readonly string[], flag: string, cwd: string): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index];
    const next = argv[index + 1];
    const isName =
      next !== undefined &&
      /^[A-Za-z0-9._-]+$/.test(next) &&
      !next.startsWith('-') &&
      !existsSync(path.resolve(cwd, next));
    if (word === flag && !isName) result.push(`${flag}=`);
    else result.push(word);
  }
  return result;
}

/**
 * The documents config `spec` lists, globs expanded: their operations may read the files a fix changes. A glob
 * that matches nothing lists nothing here (lint reports it when `spec` is what it lints).
 */
async function configSpecDocuments(spec: readonly string[], cwd: string): Promise<string[]> {
  const documents: string[] = [];
  for (const entry of spec) {
    try {
      documents.push(...(await resolveSpecInputs([entry], [], cwd)).files);
    } catch (error) {
      if (!(error instanceof MtlsFixError)) throw error;
    }
  }
  return documents;
}
