import path from 'node:path';
import { findMtlsFixError, MtlsFixError } from '../errors.js';
import { addToSummary, emptySummary, hintsFor } from '../lint/checks.js';
import { fragmentHas403 } from '../lint/fragment-roots.js';
import {
  analysisFor,
  releaseAnalyses,
  toEffectiveOptions,
  type EffectiveRuleOptions,
} from '../findings/findings.js';
import { ignoreDecision } from '../findings/ignore.js';
import type { DocumentAnalysis } from '../openapi/analyze.js';
import {
  encodePointer,
  fileIdentity,
  isNotOpenApi,
  loadOpenApiDocument,
  operationName,
  type DocumentSet,
} from '../openapi/index.js';
import type { DataOp } from './ops.js';
import { OVERLAY_TITLE_PREFIX, overlayActions } from './overlay.js';
import { planDocument, type DocumentPlan } from './plan.js';
import { unifiedDiff, wholeFileDiff } from './patch.js';
import { inFileLineEnds } from './line-ends.js';
import { loneCrNoteFor } from '../util/diff-lines.js';
import { applyEdits, editsForOps, SpliceError, type TextEdit } from './text-edits.js';
import { SharedReaders } from './shared.js';
import { detectStyle } from './style.js';
import type { FixDocumentResult, FixedFile, FixLeft, FixOptions, FixReport, OverlayAction } from './types.js';
import { editsParseToIntended } from './verify.js';
import { commentsDropped, describeComment } from './lost-comments.js';
import { compareText } from '../util/compare.js';
import { writeFilesAtomic, WriteRefusedError } from '../util/write-atomic.js';
import { displayName } from '../openapi/display-name.js';
import { forbiddenInDescription } from '../openapi/responses.js';

/**
 * `mtls-fix fix`: for every mtls-no-403 finding, renames the operation's 403 key to the agreed status (or removes
 * it beside an existing one), byte for byte elsewhere, in the file where the key lives. Every edited file is
 * re-parsed and compared with the intended data before anything is written; a document is written whole or
 * not at all. Returns data; never prints.
 */
export function fix(options: FixOptions): FixReport {
  const cwd = options.cwd ?? process.cwd();
  if (options.mode === 'overlay' && options.files.length !== 1) {
    throw new MtlsFixError(
      'EUSAGE',
      `--overlay describes one document, but ${options.files.length} were given.`,
      'Run fix --overlay once per document.',
    );
  }
  const report: FixReport = {
    status: options.config.status,
    mode: options.mode,
    documents: [],
    diff: '',
    errors: [],
    unread: [],
    skipped: [],
  };
  const actions: OverlayAction[] = [];
  // --dry-run/--check write nothing, so a file two documents of the run share (a path item, a shared
  // responses file) is read by the later one as the earlier one left it, exactly as a write run reads it.
  const staged = new Map<string, string>();
  /** File identity -> the first absolute path met for it (see nameOf). */
  const names = new Map<string, string>();
  // --dry-run: one diff per file, from its text before the run to its text after every document.
  const diffs = new Map<
    string,
    { before: string; after: string; edits: TextEdit[] | undefined; bom: boolean }
  >();
  // A fragment skipped as not OpenAPI (a hook passing the staged files) is fixed through the documents that
  // `$ref` it, which join the run (before session 28 `fix --skip-non-openapi paths/a.yaml` said "nothing to do").
  const skips = (absolute: string): boolean =>
    options.skipNonOpenApi === true || options.globbed?.has(absolute) === true;
  const runFiles = [...options.files];
  const inRun = new Set(runFiles.map((file) => path.resolve(cwd, file)));
  for (const file of options.files) {
    const absolute = path.resolve(cwd, file);
    if (!skips(absolute)) continue;
    for (const root of options.fragmentRoots?.get(absolute) ?? []) {
      if (inRun.has(root)) continue;
      inRun.add(root);
      runFiles.push(root);
    }
  }
  // Every document that may read this run's files: the run's own and config `spec` (DESIGN §4 Config).
  const readers = new SharedReaders(
    [
      ...runFiles,
      ...(options.sharedWith ?? options.config.spec.filter((entry) => !/[*?[\]{}]/.test(entry))),
    ].map((file) => path.resolve(cwd, file)),
    { cwd, config: options.config },
  );
  for (const file of runFiles) {
    const absolute = path.resolve(cwd, file);
    try {
      fixDocument(displayName(cwd, absolute));
    } catch (error) {
      const inputError = findMtlsFixError(error);
      if (!inputError) throw error;
      if (isNotOpenApi(inputError) && skips(absolute)) {
        const roots = options.fragmentRoots?.get(absolute);
        if (roots !== undefined && roots.length === 0 && fragmentHas403(absolute)) {
          report.errors.push(
            new MtlsFixError(
              'EREF',
              `${inputError.message.replace(/\.$/, '')}, and no OpenAPI document of the repository $refs it, yet it documents a 403: not checked.`,
              'Fix the document that uses it (or name it in `spec`), so the 403 is checked.',
              { file: displayPath(cwd, absolute) },
            ),
          );
          continue;
        }
        const through = (roots ?? []).map((root) => displayPath(cwd, root)).join(', ');
        report.skipped.push({
          file: displayPath(cwd, absolute),
          reason: through ? `${inputError.message} Fixed through ${through}.` : inputError.message,
        });
        continue;
      }
      report.errors.push(inputError);
    }
  }
  for (const [file, { before, after, edits, bom }] of diffs) {
    // Headers relative to the working folder (never `a//abs/path`), so `git apply` takes the diff; a BOM is
    // part of the first line on disk, so it is part of the diff's first line too.
    const name = path.relative(cwd, file).split(path.sep).join('/');
    const mark = bom ? '\uFEFF' : '';
    // Lone-CR line ends are shown as line breaks: said once before the file's diff, which git apply cannot take.
    report.diff += loneCrNoteFor(name, 'mtls-fix fix', before, after);
    const shifted = bom
      ? edits?.map((edit) => ({ ...edit, start: edit.start + 1, end: edit.end + 1 }))
      : edits;
    report.diff += shifted
      ? unifiedDiff(`a/${name}`, `b/${name}`, mark + before, mark + after, shifted)
      : wholeFileDiff(`a/${name}`, `b/${name}`, mark + before, mark + after);
  }
  if (options.mode === 'overlay') {
    report.overlay = {
      overlay: '1.0.0',
      info: {
        title: `${OVERLAY_TITLE_PREFIX}answer ${options.config.status} instead of 403 on mTLS-secured operations`,
        version: '1.0.0',
      },
      actions,
    };
  }
  return report;

  /** The first path this run met for the file at `file` (absolute), by {@link fileIdentity}. */
  function nameOf(file: string): string {
    const identity = fileIdentity(file);
    const known = names.get(identity);
    if (known !== undefined) return known;
    names.set(identity, file);
    return file;
  }

  /** Plans, verifies and (under `write`) writes one document; throws MtlsFixError for bad input. */
  function fixDocument(name: string): void {
    // The model (tens of bytes per byte of YAML) is unreachable once planDocumentEdits returns: only the
    // texts are alive while the file is written and the diff is built.
    const { document, edited } = planDocumentEdits(name);
    report.documents.push(document);
    if (edited.length === 0) return;
    document.files = edited.map(({ file: display, before, after }) => ({ file: display, before, after }));
    for (const fixed of edited) {
      // One file under two names (a symlinked folder, a hard link) is staged and diffed under the first name met.
      const key = nameOf(fixed.path);
      if (options.mode === 'dry-run' || options.mode === 'check') {
        staged.set(key, (fixed.bom ? '\uFEFF' : '') + fixed.after);
      }
      // Only --dry-run prints the diff: built from the edits, hunk by hunk, unless an earlier document of the
      // run edited the file too (then the edits are relative to its text, and the whole file is compared).
      if (options.mode === 'dry-run') {
        const earlier = diffs.get(key);
        if (earlier) Object.assign(earlier, { after: fixed.after, edits: undefined });
        else
          diffs.set(key, {
            before: fixed.before,
            after: fixed.after,
            edits: fixed.edits,
            bom: fixed.bom,
          });
      }
    }
    if (options.mode === 'write') {
      try {
        writeFilesAtomic(
          edited.map(({ path: file, bom, after, before, file: display }) => ({
            path: file,
            text: (bom ? '\uFEFF' : '') + after,
            display,
            original: (bom ? '\uFEFF' : '') + before,
          })),
        );
      } catch (error) {
        if (!(error instanceof WriteRefusedError)) throw error;
        notWritten(document, error.toLine());
        throw error;
      }
    }
  }

  /**
   * Adds what was checked and whether the document speaks of mTLS to the report (the analysis is cached: no
   * second pass), then lets the analysis go: editing reads the plan, the text and the data, not it.
   */
  function summarize(set: DocumentSet): FixLeft[] {
    const effective = toEffectiveOptions(options.config);
    const analysis = analysisFor(set, effective);
    // Hints first: a document whose hints cannot be read is an input error, not counted as checked.
    const hints = hintsFor(analysis, cwd, effective);
    addToSummary((report.summary ??= emptySummary()), analysis);
    if (hints.length > 0) (report.hints ??= []).push(...hints);
    report.unread.push(...analysis.unreadResponses);
    const left = effective.rules['mtls-4xx-range'] === 'off' ? [] : leftRanges(set, analysis, effective);
    releaseAnalyses(set);
    return left;
  }

  /**
   * A document with a path item or operation that cannot be read is left as it is: which operations read a
   * shared 403 cannot be told, so no edit is safe. Each unreadable place is named (report.unread, exit 2) and
   * the document is this run's error, saying that nothing in it was changed.
   * Throws MtlsFixError (the first unreadable place's code) when there is one.
   */
  function refuseUnread(set: DocumentSet): void {
    const analysis = analysisFor(set, toEffectiveOptions(options.config));
    const count = analysis.operationsUnread;
    if (count === 0) return;
    report.unread.push(...analysis.unreadOperations, ...analysis.unreadResponses);
    releaseAnalyses(set);
    throw new MtlsFixError(
      analysis.unreadOperations[0]?.code ?? 'ESHAPE',
      `${count} path item${count === 1 ? '' : 's'} or operation${count === 1 ? '' : 's'} cannot be read (named below), so nothing in this document was changed.`,
      'Fix them and run again.',
      { file: set.displayPath(set.root) },
    );
  }

  /** Loads and plans one document and, outside overlay mode, computes and verifies its edited texts. */
  function planDocumentEdits(name: string): { document: FixDocumentResult; edited: EditedFile[] } {
    const { set, version } = loadOpenApiDocument(name, {
      cwd,
      allowRemoteRefs: options.config.allowRemoteRefs,
      texts: staged,
    });
    refuseUnread(set);
    const plan = planDocument(set, options.config, version.kind === 'swagger2', {
      onConflict: options.onConflict ?? 'keep',
      renameComponents: options.renameComponents,
      wwwAuthenticate: options.wwwAuthenticate,
      rootOnly: options.mode === 'overlay',
      sharedReaders: (files) => readers.readersOf(set.root.path, files),
    });
    const left = summarize(set);
    const document: FixDocumentResult = {
      document: set.displayPath(set.root),
      changes: plan.changes,
      suppressed: plan.suppressed,
      left,
      components: plan.components,
      files: [],
    };
    if (options.mode === 'overlay') {
      actions.push(...overlayActions(set.root.data, plan.ops.get(set.root) ?? []));
      return { document, edited: [] };
    }
    const edited = editDocument(set, plan);
    if (typeof edited === 'string') {
      refuse(document, edited);
      return { document, edited: [] };
    }
    return { document, edited };
  }
}

/**
 * The `4XX` / `default` responses `fix` leaves as they are (a range is not one status) on mTLS-secured
 * operations, as lint's `mtls-4xx-range` reads them once the operation's 403s are gone (this run removes them):
 * its `4XX` ranges, else its `default`. Suppressed ones (config `ignore`, `x-mtls-fix-ignore`) are not listed.
 * One per key as written (operations sharing a key are listed together), in file and line order.
 */
function leftRanges(set: DocumentSet, analysis: DocumentAnalysis, options: EffectiveRuleOptions): FixLeft[] {
  const byKey = new Map<string, FixLeft>();
  for (const { operation, mtls, clientErrorRangeEntries, defaultEntry } of analysis.operations) {
    if (!mtls) continue;
    const entries =
      clientErrorRangeEntries.length > 0 ? clientErrorRangeEntries : defaultEntry ? [defaultEntry] : [];
    for (const entry of entries) {
      const decision = ignoreDecision(
        'mtls-4xx-range',
        operation,
        entry.location,
        entry.response,
        options.ignore,
      );
      if (decision && 'suppression' in decision) continue;
      const { file, path: keyPath } = entry.location;
      const pointer = encodePointer(keyPath);
      const id = `${file.path}\0${pointer}`;
      const name = operationName(operation);
      const known = byKey.get(id);
      if (known) {
        if (!known.operations.includes(name)) known.operations.push(name);
        continue;
      }
      const range = file.rangeOf(keyPath, true);
      const described = forbiddenInDescription(entry.response);
      byKey.set(id, {
        operations: [name],
        file: set.displayPath(file),
        line: range ? range.start.line + 1 : 1,
        pointer,
        code: entry.code,
        ...(described ? { described } : {}),
      });
    }
  }
  return [...byKey.values()].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
}

/** The document was not written: every change it planned is reported as skipped, with the reason. */
function notWritten(document: FixDocumentResult, why: string): void {
  for (const change of document.changes) {
    if (change.action === 'conflict' || change.action === 'skipped') continue;
    change.action = 'skipped';
    change.reason = `not written: ${why}`;
  }
  for (const component of document.components) {
    if (component.action === 'renamed')
      Object.assign(component, { action: 'skipped', reason: `not written: ${why}`, refs: 0 });
  }
  document.files = [];
}

function displayPath(cwd: string, absolute: string): string {
  return displayName(cwd, absolute);
}

/** The edited text of every file the plan touches, verified; or why the document cannot be edited safely. */
function editDocument(set: DocumentSet, plan: DocumentPlan): EditedFile[] | string {
  const files: EditedFile[] = [];
  for (const [file, ops] of plan.ops) {
    const display = set.displayPath(file);
    const tree = plan.trees.get(file);
    if (!tree) return `${display} does not parse exactly enough to edit in place`;
    let after: string;
    let edits: TextEdit[];
    try {
      edits = editsForOps(tree, ops, detectStyle(file.text, file.syntax));
      after = applyEdits(file.text, edits);
    } catch (error) {
      if (error instanceof SpliceError) return `${display}: ${error.message}`;
      throw error;
    }
    if (!editsParseToIntended(file, tree, ops, edits, after))
      return `the edited ${display} would not parse back to the intended data`;
    // A comment written inside a removed 403 (or a value a merge replaces) goes with it: never in silence.
    const dropped = file.syntax === 'json' ? [] : commentsDropped(file.text, edits);
    for (const { edit, comment } of dropped) {
      const owner = edit.source ? plan.owners.get(edit.source) : undefined;
      if (!owner) return `${display}: the edit would drop the comment at line ${comment.line}`;
      const item = describeComment(comment);
      if (!owner.lost.includes(item)) owner.lost.push(item);
    }
    if (after !== file.text) {
      // Lone CRs (old Mac line ends) were read as LFs at the same offsets (source.ts): the edits go into the
      // file's own text, so each line end stays as it was; a line an edit writes again keeps its own end, and
      // an added line ends as most of the file's lines do (line-ends.ts).
      const before = file.original ?? file.text;
      const written = inFileLineEnds(before, edits);
      files.push({
        file: display,
        before,
        after:
          written.every((edit, index) => edit === edits[index]) && file.original === undefined
            ? after
            : applyEdits(before, written),
        path: file.path,
        bom: file.bom,
        edits: written,
      });
    }
  }
  return files;
}

/** An edited file with what writing it and its diff need, and nothing of the model. */
type EditedFile = FixedFile & { path: string; bom: boolean; edits: TextEdit[] };

/** Nothing in the document changes: every planned change becomes a skip that says why. */
function refuse(document: FixDocumentResult, why: string): void {
  const reason = `${why}; nothing in this document was changed (please report it)`;
  for (const change of document.changes) {
    if (change.action === 'conflict' || change.action === 'skipped') continue;
    change.action = 'skipped';
    change.reason = reason;
    change.added = [];
    delete change.body;
  }
  for (const component of document.components) {
    if (component.action === 'renamed') Object.assign(component, { action: 'skipped', reason, refs: 0 });
  }
}

export type { DataOp };
export type {
  ComponentChange,
  ConflictMode,
  FixAction,
  FixChange,
  FixDocumentResult,
  FixedFile,
  FixMode,
  FixOptions,
  FixReport,
  OverlayAction,
  OverlayDocument,
} from './types.js';
