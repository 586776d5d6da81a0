import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import jsYaml from 'js-yaml';
import { BaseCommand } from '../cli/base-command.js';
import { configFromFlags, detectionFlags } from '../cli/config-flags.js';
import { MtlsFixError } from '../errors.js';
import { resolveSpecFiles } from '../lint/files.js';
import { fixSpecs, type FixSpecResult, type SpecChange } from '../spec-fix/index.js';

export default class Fix extends BaseCommand {
  static override args = {
    files: Args.string({
      description: 'OpenAPI documents or globs (default: config `spec`, else ./openapi.*).',
    }),
  };

  static override description =
    'Renames the 403 response of every mTLS-secured operation (what `mtls-fix lint` reports as mtls-no-403) to the ' +
    'agreed status, in place: only the key changes, every other byte of the file stays. When the operation already ' +
    'documents the agreed status, the 403 entry is removed and what it held that the kept one lacks is listed.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> openapi.yaml --dry-run',
    '<%= config.bin %> <%= command.id %> openapi.yaml --status 404',
    '<%= config.bin %> <%= command.id %> openapi.yaml --overlay mtls-fix.overlay.yaml',
  ];

  static override flags = {
    ...detectionFlags,
    'dry-run': Flags.boolean({ description: 'Print a unified diff; write nothing.', exclusive: ['overlay'] }),
    'on-conflict': Flags.string({
      description:
        'When the operation already documents the agreed status: keep it and remove the 403 (default), merge the ' +
        "403's description, content, headers and examples into it, or report and leave both (exit 1).",
      options: ['keep', 'merge', 'report'],
      default: 'keep',
    }),
    overlay: Flags.string({
      description: 'Write an OpenAPI Overlay 1.0 with the same effect instead of editing.',
    }),
  };

  static override strict = false;

  static override summary =
    'Rename documented 403 responses of mTLS-secured operations to the agreed status.';

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Fix);
    const cwd = process.cwd();
    const config = await configFromFlags(flags, cwd);
    const files = await resolveSpecFiles(argv as string[], config.spec, cwd);
    const mode = flags.overlay ? 'overlay' : flags['dry-run'] ? 'dry-run' : 'write';
    const result = fixSpecs({
      files,
      config,
      cwd,
      mode,
      onConflict: flags['on-conflict'] as 'keep' | 'merge' | 'report',
    });

    if (flags.overlay && result.overlay) {
      const target = path.resolve(cwd, flags.overlay);
      const text = /\.json$/i.test(target)
        ? `${JSON.stringify(result.overlay, null, 2)}\n`
        : jsYaml.dump(result.overlay, { lineWidth: -1, noRefs: true });
      try {
        writeFileSync(target, text);
      } catch (error) {
        throw new MtlsFixError(
          'EWRITE',
          `cannot write overlay: ${(error as Error).message}.`,
          'Check --overlay.',
          {
            file: flags.overlay,
          },
        );
      }
    }
    if (mode === 'dry-run' && result.diff) await this.print(result.diff);
    await this.print(summary(result, mode, flags.overlay));
    this.setExitCode(result.changes.some((change) => change.action === 'conflict') ? 1 : 0);
  }
}

const VERBS: Record<SpecChange['action'], string> = {
  renamed: 'renamed',
  removed: 'removed (the agreed status is already documented)',
  merged: 'merged into the documented agreed status',
  conflict: 'left as is: the agreed status is already documented (--on-conflict report)',
  skipped: 'skipped',
};

function summary(result: FixSpecResult, mode: 'write' | 'dry-run' | 'overlay', overlay?: string): string {
  if (result.changes.length === 0)
    return 'mtls-fix fix: no 403 response on an mTLS-secured operation; nothing to do.';
  const lines = result.changes.map((change) => {
    const what = `${change.file}:${change.line}  ${change.from} -> ${change.to}  ${VERBS[change.action]}`;
    const details = [
      `    ${change.operations.join(', ')}`,
      ...(change.reason ? [`    ${change.reason}`] : []),
      ...change.notes.map((note) => `    ${note}`),
      ...(change.lost.length
        ? [`    the removed 403 held what the kept ${change.to} lacks: ${change.lost.join('; ')}`]
        : []),
    ];
    return [what, ...details].join('\n');
  });
  const count = (action: SpecChange['action']): number =>
    result.changes.filter((c) => c.action === action).length;
  const merged = count('merged') ? `${count('merged')} merged, ` : '';
  const verb =
    mode === 'write' ? 'changed' : mode === 'dry-run' ? 'would change' : 'unchanged (overlay written)';
  const tail =
    mode === 'overlay'
      ? `overlay: ${overlay ?? ''}${result.unreachable.length ? `; not expressible in an overlay on the root document: ${result.unreachable.join(', ')}` : ''}`
      : `${result.filesChanged.length} file(s) ${verb}`;
  return [
    ...lines,
    ...result.notes,
    '',
    `${count('renamed')} renamed, ${count('removed')} removed, ${merged}${count('conflict')} conflicts, ${count('skipped')} skipped; ${tail}.`,
  ].join('\n');
}
