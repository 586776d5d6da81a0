import ts from '../../typescript.cjs';
import { nonHttpCarrier, nonHttpReason } from './non-http.js';
import {
  bodyCarrier,
  bodyCarrierReason,
  returnedToHandlerReason,
  returningFunction,
} from './returned-errors.js';
import { isMockChain } from '../mock-chains.js';
import { scopeOf } from '../scope.js';
import type { Edit, ImportNeed, NotAnEmitKind, Site } from '../types.js';
import type { FileImports } from './file-imports.js';
import { shorten } from './syntax.js';
import type { SiteInput } from './types.js';
import { linesOfText } from '../../util/lines.js';

/**
 * Libraries that only mock other services: a file importing one is a mock of another service, wherever it
 * lives (msw's `src/mocks/handlers.ts` is not a test file), and none of its 403s is ours.
 */
const MOCK_FILE_MODULES = [
  'msw',
  '@mswjs/data',
  '@mswjs/interceptors',
  'nock',
  'fetch-mock',
  'fetch-mock-jest',
  'jest-fetch-mock',
  'vitest-fetch-mock',
  'miragejs',
  'axios-mock-adapter',
  'mockttp',
  'pretender',
];

/** What the site registry needs to know about the file besides its text. */
export interface SiteRegistryOptions {
  /** The file is a test file under `--include-tests`: mocks inside it are marked, not the whole file. */
  testFile: boolean;
  /** The import edit that goes with a value edit (an imported constant renamed), if any. */
  importFor(edit: Edit): ImportNeed[];
  /** The agreed status, for the reasons the registry writes itself. */
  target?: number;
  /**
   * The route handler of the run that returns the result of a call of `name` (`owner` the method's class, when it
   * is one): ImportLink `handlerReturning`, `where` as `file:line`. Optional: none, and such an error is a helper's.
   */
  handlerReturning?(name: string, owner?: string): { handler: string; where: string } | undefined;
}

/**
 * The site registry of one file: every site framework modules report (once per location), and the ranges
 * classified as not an emit for the census. Mock files and mocks in test files are marked, never sites.
 */
export class SiteRegistry {
  readonly sites: Site[] = [];
  /** Ranges a module has classified as not an emit (census), with the kind. */
  readonly notAnEmitRanges: { start: number; end: number; kind: NotAnEmitKind; via?: string }[] = [];
  private readonly siteKeys = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly sourceFile: ts.SourceFile,
    private readonly imports: FileImports,
    private readonly options: SiteRegistryOptions,
  ) {}

  /** The file imports a mocking library (msw, nock, fetch-mock, miragejs...): it mocks another service. */
  get mockFile(): boolean {
    // Test files also assert on our own server's answers: there only the mock calls themselves are skipped.
    return !this.options.testFile && this.imports.importsModule(...MOCK_FILE_MODULES);
  }

  /**
   * Takes sites back (a documentation rewrite whose route turned out to answer no 403 this run read,
   * doc-routes-settle.ts): removed from `sites`, their locations free again for the census.
   */
  removeSites(dropped: ReadonlySet<Site>): void {
    for (const site of dropped) this.siteKeys.delete(`${site.start}:${site.end}`);
    const kept = this.sites.filter((site) => !dropped.has(site));
    this.sites.splice(0, this.sites.length, ...kept);
  }

  /** Records a site, once per location (`at`, else `node`, else `range`); the first report of a location wins. */
  addSite(input: SiteInput): void {
    const at = input.at ?? input.node;
    const start = input.range?.start ?? at.getStart(this.sourceFile);
    const end = input.range?.end ?? at.getEnd();
    const key = `${start}:${end}`;
    if (this.siteKeys.has(key)) return;
    if (this.mockFile) {
      // Every 403 here answers for another service: marked once for the whole file.
      if (!this.notAnEmitRanges.some((r) => r.kind === 'mock' && r.start === 0))
        this.notAnEmitRanges.push({ start: 0, end: this.text.length, kind: 'mock' });
      return;
    }
    if (this.options.testFile && this.insideMock(input.node)) {
      this.notAnEmit(input.node, 'mock');
      return;
    }
    this.siteKeys.add(key);
    const formStart = input.range?.start ?? input.node.getStart(this.sourceFile);
    const formEnd = input.range?.end ?? input.node.getEnd();
    const formText = this.text.slice(formStart, formEnd);
    const edits = dedupeEdits(input.edits ?? []);
    // A rewrite inside a socket.io handler or a Meteor error (`ack(createError(403))`): no HTTP response carries
    // it, whichever module matched its form; named instead (non-http.ts).
    const carrier =
      input.manual === true || this.options.testFile ? undefined : nonHttpCarrier(this.imports, input.node);
    if (carrier)
      input = {
        ...input,
        manual: true,
        reason: nonHttpReason(carrier, shorten(formText), this.options.target),
      };
    // `return new ForbiddenException()` from a route handler, `ctx.body = createError(403)`: a 2xx body, no 403.
    const body =
      input.manual === true || this.options.testFile ? undefined : bodyCarrier(this.imports, input.node);
    if (body)
      input = {
        ...input,
        manual: true,
        reason: bodyCarrierReason(body, shorten(formText), this.options.target),
      };
    // `deny() { return new ForbiddenException() }` whose result a route handler returns (`return this.users.deny()`).
    const returner =
      input.manual === true || this.options.testFile || !this.options.handlerReturning
        ? undefined
        : returningFunction(this.imports, input.node);
    const handler = returner && this.options.handlerReturning?.(returner.name, returner.owner);
    if (returner && handler)
      input = {
        ...input,
        manual: true,
        reason: returnedToHandlerReason(shorten(formText), returner, handler, this.options.target),
      };
    const manual = input.manual === true;
    const linked = edits.flatMap((e) => this.options.importFor(e));
    this.sites.push({
      file: this.file,
      start,
      end,
      span: {
        start: Math.min(start, formStart, ...edits.map((e) => e.start), input.cover?.start ?? start),
        end: Math.max(end, formEnd, ...edits.map((e) => e.end), input.cover?.end ?? end),
      },
      framework: input.framework,
      form: shorten(formText),
      kind: manual ? 'manual' : 'rewrite',
      edits: manual ? [] : edits,
      imports: manual ? [] : [...(input.imports ?? []), ...linked],
      replacement: manual ? null : replacementOf(this.text, formStart, formEnd, edits),
      reason: input.reason ?? null,
      scope: scopeOf(input.node, this.sourceFile),
      operation: null,
      ...(input.remapLayers?.length && manual ? { remapLayers: input.remapLayers } : {}),
      ...(input.replacedUses ? { replacedUses: input.replacedUses } : {}),
      ...(input.nestException ? { nestException: { ...input.nestException } } : {}),
      ...(input.catchNote ? { catchNote: true as const } : {}),
    });
  }

  /**
   * Marks every 403 occurrence inside `node` as not an emit of this server (census): a validator's
   * `.forbidden()`, a mock of another service, a client reading an answer. Sites win over these marks.
   * `via`: for kind `reference`, the definition the occurrences are accounted at (`src/base.ts:3 (form)`).
   */
  notAnEmit(node: ts.Node, kind: NotAnEmitKind, via?: string): void {
    const start = node.getStart(this.sourceFile);
    this.notAnEmitRanges.push({ start, end: node.getEnd(), kind, ...(via ? { via } : {}) });
  }

  /**
   * Mocks of other services (nock, msw, fetch-mock, axios-mock-adapter, a mock held in a local) answer 403 on
   * purpose: never a target.
   */
  private insideMock(node: ts.Node): boolean {
    for (let current = node.parent; current; current = current.parent)
      if (
        (ts.isCallExpression(current) || ts.isNewExpression(current)) &&
        isMockChain(current, (name) => this.imports.importOf(name))
      )
        return true;
    return false;
  }
}

function dedupeEdits(edits: Edit[]): Edit[] {
  const seen = new Map<string, Edit>();
  for (const edit of edits) seen.set(`${edit.start}:${edit.end}`, edit);
  return [...seen.values()].sort((a, b) => a.start - b.start);
}

/** Applies edits that fall inside `text` (which starts at `offset` in the file). */
function applyWithin(text: string, offset: number, edits: readonly Edit[]): string {
  let result = text;
  const inside = edits
    .filter((e) => e.start >= offset && e.end <= offset + text.length)
    .sort((a, b) => b.start - a.start);
  for (const e of inside) result = result.slice(0, e.start - offset) + e.text + result.slice(e.end - offset);
  return result;
}

/**
 * What a rewrite changes, for the report's `replacement`: the form after its own edits, then each other line
 * an edit of the site changes (`line 3: const DENIED = 401;`), 1-based, after its edits. A site whose status
 * is rewritten where it is declared (`const code = 403; ... res.status(code)`) leaves its form as it was: its
 * replacement is the declaration's line alone, never the unchanged form.
 */
export function replacementOf(
  text: string,
  formStart: number,
  formEnd: number,
  edits: readonly Edit[],
): string {
  const formText = text.slice(formStart, formEnd);
  const form = shorten(applyWithin(formText, formStart, edits));
  const outside = edits.filter((e) => e.start < formStart || e.end > formEnd);
  if (!outside.length) return form;
  // The lines the outside edits touch, each shown once with every edit on it applied.
  const lines = new Map<number, { start: number; end: number }>();
  const table = linesOfText(text);
  for (const edit of outside) {
    const line = table.line(edit.start);
    const start = table.startOf(line - 1);
    const last = table.line(edit.end) - 1;
    const end = table.startOf(last) + table.textOf(last).length;
    const known = lines.get(line);
    lines.set(line, { start: Math.min(start, known?.start ?? start), end: Math.max(end, known?.end ?? end) });
  }
  const shown = [...lines]
    .sort(([a], [b]) => a - b)
    .map(
      ([line, range]) =>
        `line ${line}: ${shorten(applyWithin(text.slice(range.start, range.end), range.start, edits))}`,
    );
  const changed = shorten(formText) !== form;
  return [...(changed ? [form] : []), ...shown].join(' + ');
}
