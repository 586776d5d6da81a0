import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { ResolvedConfig } from '../config/resolve.js';
import { MtlsFixError } from '../errors.js';
import { DocumentSet, detectVersion } from '../openapi/index.js';
import { writeAtomic } from '../migrate/write.js';
import { buildOverlay, type OverlayDocument } from './overlay.js';
import { planSpecFix, type ConflictMode, type SpecChange } from './plan.js';
import { applyEdits } from './text-edits.js';
import { parsesToIntended } from './verify.js';

export interface FixSpecOptions {
  /** Documents (absolute, or relative to `cwd`). */
  files: string[];
  config: ResolvedConfig;
  cwd?: string;
  /** `write` edits the files; `dry-run` returns a diff; `overlay` returns an Overlay and touches nothing. */
  mode: 'write' | 'dry-run' | 'overlay';
  onConflict?: ConflictMode;
  /** For a 401 target: add `WWW-Authenticate: SCHEME` to new responses that lack it. */
  wwwAuthenticate?: string;
  renameComponents?: boolean;
  componentName?: string;
}

export interface FixSpecResult {
  changes: SpecChange[];
  /** Display paths of the files written (or that would be). */
  filesChanged: string[];
  /** Unified diff under `dry-run`. */
  diff: string;
  /** Under `overlay`: the Overlay document and keys it cannot reach (in files other than the root). */
  overlay?: OverlayDocument;
  unreachable: string[];
  /** Document-wide notes, e.g. component renames. */
  notes: string[];
}

/** `mtls-fix fix`: renames each mtls-no-403 response key to the agreed status, byte for byte elsewhere. */
export function fixSpecs(options: FixSpecOptions): FixSpecResult {
  const cwd = options.cwd ?? process.cwd();
  const result: FixSpecResult = { changes: [], filesChanged: [], diff: '', unreachable: [], notes: [] };
  const overlays: OverlayDocument[] = [];
  for (const file of options.files) {
    const absolute = path.resolve(cwd, file);
    const relative = path.relative(cwd, absolute);
    const set = DocumentSet.load(relative.startsWith('..') ? absolute : relative, {
      cwd,
      allowRemoteRefs: options.config.allowRemoteRefs,
    });
    detectVersion(set.root.data, set.displayPath(set.root));
    const plan = planSpecFix(set, options.config, {
      onConflict: options.onConflict ?? 'keep',
      wwwAuthenticate: options.wwwAuthenticate,
      renameComponents: options.renameComponents,
      componentName: options.componentName,
    });
    result.notes.push(...plan.notes);
    result.changes.push(...plan.changes);
    if (options.mode === 'overlay') {
      const { overlay, unreachable } = buildOverlay(
        plan,
        `mtls-fix: answer ${options.config.status} instead of 403`,
      );
      overlays.push(overlay);
      result.unreachable.push(...unreachable);
      continue;
    }
    // Verify every file before writing any, so a refused file never leaves the document half fixed.
    const edited = plan.files.map((filePlan) => {
      const text = applyEdits(filePlan.file.text, filePlan.edits);
      if (!parsesToIntended(filePlan.file, text, filePlan.operations)) {
        throw new MtlsFixError(
          'EWRITE',
          'the edited document would not parse back to the intended data; nothing was written.',
          'Rename the 403 keys by hand and report this file.',
          { file: set.displayPath(filePlan.file) },
        );
      }
      return { filePlan, text };
    });
    for (const { filePlan, text } of edited) {
      const display = set.displayPath(filePlan.file);
      result.filesChanged.push(display);
      if (options.mode === 'dry-run') {
        result.diff += createTwoFilesPatch(
          `a/${display}`,
          `b/${display}`,
          filePlan.file.text,
          text,
          undefined,
          undefined,
          {
            context: 3,
          },
        );
      } else {
        writeAtomic(filePlan.file.path, (filePlan.file.bom ? '\uFEFF' : '') + text);
      }
    }
  }
  if (options.mode === 'overlay') {
    result.overlay = {
      overlay: '1.0.0',
      info: { title: `mtls-fix: answer ${options.config.status} instead of 403`, version: '1.0.0' },
      actions: overlays.flatMap((overlay) => overlay.actions),
    };
  }
  return result;
}

export type { ConflictMode, SpecChange };
