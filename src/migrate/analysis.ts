import ts from '../typescript.cjs';
import { lineAt } from '../util/lines.js';
import { CallSites } from './analysis/call-sites.js';
import { paramCannotHoldStatus } from './analysis/status-param-types.js';
import { Companions } from './analysis/companions.js';
import { Constants } from './analysis/constants.js';
import { StatusEvaluator } from './analysis/evaluation.js';
import { FileImports } from './analysis/file-imports.js';
import { Receivers } from './analysis/receivers.js';
import { SiteRegistry } from './analysis/sites.js';
import { replaceNode, shorten, skipOuter } from './analysis/syntax.js';
import { nameReadReason } from './analysis/name-reads.js';
import { resultRead, type ResultRead } from './analysis/result-reads.js';
import type {
  AnalysisOptions,
  CandidateCall,
  Evaluation,
  HelperParam,
  ImportedConstant,
  LocalConstant,
  Receiver,
  SiteInput,
} from './analysis/types.js';
import type { ImportBinding, ImportMap } from './imports.js';
import type { Edit, NotAnEmitKind, Site } from './types.js';
import { relaysAnError } from './status-relays.js';
import { errorRelayReason, errorStatusRelay } from './analysis/error-relays.js';

export { STATUS_KEYS } from './analysis/call-sites.js';
export {
  expressionRoot,
  literalNumber,
  numericValue,
  propertySlot,
  sameCase,
  shorten,
  skipOuter,
} from './analysis/syntax.js';
export type {
  AnalysisOptions,
  CandidateCall,
  DeclarationSite,
  Evaluation,
  HelperParam,
  ImportedConstant,
  ImportLink,
  Receiver,
  ReceiverKind,
  SiteInput,
  TableEntry,
} from './analysis/types.js';

/**
 * One file's analysis: the parsed tree, its imports, and the sites the framework modules found in it.
 * Read-only over the tree; every change is an `Edit` on the original text.
 *
 * This class is the one interface framework modules call; each concern lives in its own module under
 * `src/migrate/analysis/` (imports, receivers, status evaluation, declarations and constants, companions,
 * helpers and call sites, the site registry) and is reached through the methods below.
 */
export class FileAnalysis {
  readonly imports: ImportMap;
  readonly sites: Site[];
  readonly helpers: HelperParam[];
  readonly candidateCalls: CandidateCall[];
  /** Ids of the framework modules that ran on this file. */
  frameworks: string[] = [];
  /** Ranges a module has classified as not an emit (census), with the kind. */
  readonly notAnEmitRanges: { start: number; end: number; kind: NotAnEmitKind; via?: string }[];
  /**
   * Every variable declaration of the tree, in source order (a pre-order walk), gathered by the analysis walk
   * (transform.ts `analyzeSource`) for the error-code maps (code-maps.ts), which then need no walk of their own.
   */
  readonly variableDeclarations: ts.VariableDeclaration[] = [];
  /**
   * Every expression of the tree a constant fold may read (census-occurrences.ts `isFoldable`: binary, template,
   * prefix unary, a call of a name or member), in pre-order, gathered by the analysis walk (transform.ts
   * `analyzeSource`) for the census' folded occurrences, which then need no walk of their own. Undefined for an
   * analysis made without that walk.
   */
  foldables?: ts.Expression[];
  /** Dynamic status slots that send a call's result status (analysis/result-reads.ts), with their sites. */
  readonly resultReads: (ResultRead & { site: Site })[] = [];
  /**
   * Names of this file's top-level functions that return a 403 result as 200 data (a server action's
   * `{ status: 403 }`, results.ts): a file that calls one may send that status itself, so the engine's phase 2
   * parses the files naming them (result-producers.ts then reads the call).
   */
  readonly dataProducers = new Set<string>();
  /**
   * Names of this file's top-level functions that return an upstream's Response (`return fetch(…)`, fetch-upstreams.ts)
   * without being a handler themselves: a handler of another file that returns what one returns passes the
   * upstream's 403 on, so the engine's phase 2 parses the files naming them (frameworks/fetch-pass-through.ts).
   */
  readonly upstreamProducers = new Set<string>();
  /**
   * Names of this file's classes that answer 403 on every throw by their parent (`class X extends
   * ForbiddenException`, a library's 403 class, or a project class reaching one: nestjs.ts, error-libraries.ts): a
   * file that extends one holds no 403 form of its own, so the engine's phase 2 parses the files naming them.
   */
  readonly forbiddenClasses = new Set<string>();

  private readonly fileImports: FileImports;
  private readonly constants: Constants;
  private readonly receivers: Receivers;
  private readonly evaluator: StatusEvaluator;
  private readonly companions: Companions;
  private readonly registry: SiteRegistry;
  private readonly callSites: CallSites;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly sourceFile: ts.SourceFile,
    readonly options: AnalysisOptions,
  ) {
    const link = options.link;
    this.fileImports = new FileImports(
      sourceFile,
      options.moduleAlias,
      link?.origin && ((binding) => link.origin?.(binding)),
    );
    this.imports = this.fileImports.map;
    this.constants = new Constants(this.fileImports, options.link);
    this.receivers = new Receivers(this.fileImports, options.link);
    this.evaluator = new StatusEvaluator(sourceFile, text, options.target, this.fileImports, this.constants);
    this.companions = new Companions(
      sourceFile,
      options.target,
      this.fileImports,
      this.constants,
      this.evaluator,
    );
    this.registry = new SiteRegistry(file, text, sourceFile, this.fileImports, {
      testFile: options.testFile,
      importFor: (edit) => this.evaluator.importFor(edit),
      target: options.target,
      handlerReturning: (name, owner) => {
        const found = options.link?.handlerReturning?.(name, owner);
        return (
          found && {
            handler: found.handler,
            where: `${options.link?.relative?.(found.file) ?? found.file}:${found.line}`,
          }
        );
      },
    });
    this.callSites = new CallSites(
      this.evaluator,
      this.registry,
      this.target,
      (name) => {
        const binding = this.importOf(name);
        const site = binding && binding.name !== '*' ? options.link?.declaration?.(binding) : undefined;
        return site && { ...site, file: options.link?.relative?.(site.file) ?? site.file };
      },
      (fn) => this.receivers.installedName(fn),
    );
    this.sites = this.registry.sites;
    this.notAnEmitRanges = this.registry.notAnEmitRanges;
    this.helpers = this.callSites.helpers;
    this.candidateCalls = this.callSites.candidateCalls;
  }

  /** The agreed status. */
  get target(): number {
    return this.options.target;
  }

  start(node: ts.Node): number {
    return node.getStart(this.sourceFile);
  }

  // Imports (analysis/file-imports.ts)

  /** The import a local name comes from (`node:` prefixes dropped). */
  importOf(name: string): ImportBinding | undefined {
    return this.fileImports.importOf(name);
  }

  /**
   * The package and name a local import comes from, through project modules that only re-export it
   * (analysis/file-imports.ts `packageOf`); the import as written otherwise.
   */
  packageOf(name: string): { module: string; name: string } | undefined {
    return this.fileImports.packageOf(name);
  }

  /** The package and name `name` of the project module `module` re-exports (ImportSource `originOf`). */
  originOf(module: string, name: string): { module: string; name: string } | undefined {
    return this.options.link?.origin?.({ module, name });
  }

  /** Whether the file imports any of these modules (or a subpath of them). */
  importsModule(...modules: string[]): boolean {
    return this.fileImports.importsModule(...modules);
  }

  /**
   * Whether `expression` is `Name` or `ns.Name` where Name comes from `module` (`ForbiddenException` from Nest),
   * also `ns['Name']` and `ns[K]` with a key the file fixes (analysis/file-imports.ts).
   */
  resolvesTo(expression: ts.Expression, modules: readonly string[], name: string): boolean {
    return this.fileImports.resolvesTo(expression, modules, name, (access) => this.constantKey(access));
  }

  // Receivers (analysis/receivers.ts)

  /** Classifies the receiver of a member access: `res` in `res.status`, `ctx.response` in `ctx.response.status`. */
  receiver(expression: ts.Expression): Receiver | undefined {
    return this.receivers.receiver(expression);
  }

  // Status evaluation (analysis/evaluation.ts)

  /** The edits that turn a 403-valued expression into the target; undefined when it is not 403. */
  forbiddenEdits(expression: ts.Expression): Edit[] | undefined {
    return this.evaluator.forbiddenEdits(expression);
  }

  /** Evaluator `forbiddenValueEdits`: also a 403 branch of a conditional, a fallback or a local constant. */
  forbiddenValueEdits(expression: ts.Expression): Edit[] | undefined {
    return this.evaluator.forbiddenValueEdits(expression);
  }

  /** Evaluator `statusValue`: the number a literal or a named status holds (`DENIED`, `StatusCodes.FORBIDDEN`). */
  statusValue(expression: ts.Expression): number | undefined {
    return this.evaluator.statusValue(expression);
  }

  /** Whether the expression is a number (literal, numeric constant, status library constant); `'403'` is not. */
  isNumeric(expression: ts.Expression): boolean {
    return this.evaluator.isNumeric(expression);
  }

  /** Whether the expression is a known status (literal or constant), 403 or not. */
  isKnownStatus(expression: ts.Expression): boolean {
    return this.evaluator.isKnownStatus(expression);
  }

  /** Evaluates a status slot: 403 (with edits), a known other status, a helper parameter, or dynamic. */
  evaluate(expression: ts.Expression): Evaluation {
    return this.evaluator.evaluate(expression);
  }

  /** A parameter (or a key of an options parameter) of the enclosing function. */
  parameterOf(expression: ts.Expression): Extract<Evaluation, { kind: 'param' }> | undefined {
    return this.evaluator.parameterOf(expression);
  }

  // Declarations and constants (analysis/constants.ts)

  /** `StatusCodes.X`, `HttpStatus.X`, `status.X`, `http2.constants.HTTP_STATUS_X`, Deno `Status.X`. */
  libraryConstant(
    node: ts.PropertyAccessExpression,
  ): { value: number; names: Record<number, string> } | undefined {
    return this.constants.libraryConstant(node);
  }

  /** A member of a project-local object or enum: `HTTP_STATUS.FORBIDDEN`. */
  localMember(node: ts.PropertyAccessExpression): LocalConstant | undefined {
    return this.constants.localMember(node);
  }

  /** `FORBIDDEN` where `const FORBIDDEN = 403` in this file (an enclosing scope). */
  localConstant(node: ts.Identifier): LocalConstant | undefined {
    return this.constants.localConstant(node);
  }

  /** `Codes.NO_ACCESS` where `Codes` is imported (an object, enum or namespace), through the cross-file link. */
  importedMember(node: ts.PropertyAccessExpression): ImportedConstant | undefined {
    return this.constants.importedMember(node);
  }

  /** The key `X.NAME`, `X['NAME']` or `X[K]` reads when this file fixes `K` (`const K = 'NAME'`; analysis/constant-keys.ts). */
  constantKey(node: ts.ElementAccessExpression): string | undefined {
    return this.constants.memberRead(node)?.name;
  }

  /** `NO_ACCESS` imported from a module that declares `export const NO_ACCESS = 403` (through re-exports too). */
  importedConstant(node: ts.Identifier): ImportedConstant | undefined {
    return this.constants.importedConstant(node);
  }

  // Edits and companions (analysis/syntax.ts, analysis/companions.ts)

  /** Replaces a node's text; a shorthand property's name (`{ status }`) keeps its key: `{ status: 401 }`. */
  replace(node: ts.Node, text: string): Edit {
    return replaceNode(this.sourceFile, node, text);
  }

  /** A reason-phrase edit for a string literal (`'Forbidden'` -> `'Unauthorized'`), keeping its quotes. */
  phraseEdit(node: ts.Node, phrase: string): Edit {
    return this.companions.phraseEdit(node, phrase);
  }

  /** Reason phrases, phrase bodies and status mirrors that go with the status at `form`. */
  companionEdits(form: ts.Node): Edit[] {
    return this.companions.companionEdits(form);
  }

  /** Companions inside one body expression alone (Companions `bodyEdits`). */
  bodyCompanionEdits(body: ts.Expression): Edit[] {
    return this.companions.bodyEdits(body);
  }

  /**
   * Companions in the bodies the method under a status decorator returns (Companions `returnedBodyEdits`). A
   * returned `let` also given a value that is no object literal (`body = load()`) is named there, once per value
   * (session 48: its 403 mirrors were "a result a caller sends later" or "a shape mtls-fix does not know").
   */
  returnedBodyEdits(decorator: ts.Decorator): Edit[] {
    const { edits, unread } = this.companions.returnedBodyEdits(decorator);
    const line = lineAt(this.sourceFile, decorator.getStart(this.sourceFile));
    const written = shorten(decorator.getText(this.sourceFile));
    for (const { name, value } of unread)
      this.addSite({
        node: value,
        framework: 'results',
        manual: true,
        reason: `'${name}' is the body the method returns under ${written} (line ${line}), and here it is given ${shorten(value.getText(this.sourceFile))}, which mtls-fix cannot read. The status changes to ${this.target} with the decorator, and so do the bodies written in the method; if this value carries a 403 mirror (statusCode: 403, 'Forbidden'), make it say ${this.target} where it is made, or mark it // mtls-fix-ignore: <why>.`,
      });
    return edits;
  }

  /** The text the response of a form spans: its expression and the neighbour statements on the same receiver. */
  companionCover(form: ts.Node): { start: number; end: number } {
    return this.companions.companionCover(form);
  }

  /** `ReasonPhrases.FORBIDDEN`, `getReasonPhrase(403)`, `getStatusText(403)`, `STATUS_CODES[403]`. */
  phraseCompanion(node: ts.Node): Edit[] {
    return this.companions.phraseCompanion(node);
  }

  /** Whether the code around a node already sets WWW-Authenticate. */
  setsChallenge(node: ts.Node): boolean {
    return this.companions.setsChallenge(node);
  }

  // Sites (analysis/sites.ts) and helpers (analysis/call-sites.ts)

  /**
   * A status slot: the argument or property a framework reads as the status. Rewrites 403, reports
   * helpers and dynamic statuses, ignores other known statuses.
   */
  statusSlot(
    expression: ts.Expression | undefined,
    form: ts.Node,
    framework: string,
    extra: (edits: Edit[]) => Partial<SiteInput> = () => ({}),
  ): void {
    if (!expression || ts.isSpreadElement(expression)) return;
    const evaluation = this.evaluator.evaluate(expression);
    switch (evaluation.kind) {
      case 'forbidden': {
        const more = extra(evaluation.edits);
        // A module's own edit wins over a generic companion on the same token (FeathersError's name slot).
        const edits = [...this.companions.companionEdits(form), ...evaluation.edits, ...(more.edits ?? [])];
        // --www-authenticate: a 401 that gets no header from its module says so.
        const scheme = this.target === 401 ? this.options.wwwAuthenticate : undefined;
        const reason =
          more.reason ??
          (scheme && !edits.some((e) => /WWW-Authenticate/i.test(e.text)) && !this.setsChallenge(form)
            ? `No local idiom for the WWW-Authenticate header here: add 'WWW-Authenticate: ${scheme}' to 401 responses centrally.`
            : null);
        this.addSite({
          node: form,
          framework,
          ...more,
          edits,
          reason,
          cover: this.companions.companionCover(form),
        });
        // `ctx.status = err.status || 403`: the fallback is rewritten; the other branch may still pass a 403 on.
        if (evaluation.passes && !this.options.testFile)
          this.addSite({
            node: evaluation.passes,
            framework,
            manual: true,
            reason: `Dynamic status beside the rewritten 403 (${shorten(evaluation.passes.getText(this.sourceFile))}): it may pass a 403 through (e.g. from an upstream or an error object). Map 403 to the agreed status where the value is produced, or add a central remap.`,
          });
        // `res.status(denied ? 403 : code)`: `code` is its callers' choice; those passing 403 are rewritten.
        if (evaluation.param)
          this.callSites.addHelper(evaluation.param.evaluation, evaluation.param.node, framework);
        return;
      }
      case 'param': {
        // `setErrorHandler((error, req, reply) => reply.status(error.statusCode))`: a callback handed to the
        // framework relays the error it handles; no project call chooses that status.
        const relay = errorStatusRelay(expression);
        if (
          relay &&
          (ts.isCallExpression(evaluation.fn.parent) || ts.isNewExpression(evaluation.fn.parent))
        ) {
          if (!this.options.testFile)
            this.addSite({
              node: form,
              framework,
              manual: true,
              reason: errorRelayReason(relay, this.target),
            });
          return;
        }
        this.callSites.addHelper(evaluation, form, framework);
        return;
      }
      case 'dynamic': {
        if (this.options.testFile) {
          // A test's own server sending a status it chooses (`res.status(Number(req.query.status))`): the test's
          // 403, which a rewritten product site on the same route must not carry. One relaying the error the
          // product hands it (`res.status(err.status || 500)`) sends the product's status (status-relays.ts).
          const start = form.getStart(this.sourceFile);
          if (!relaysAnError(this.sourceFile, start, form.end))
            this.notAnEmitRanges.push({ start, end: form.end, kind: 'test-fixture' });
          return;
        }
        const count = this.sites.length;
        const read = evaluation.why ? undefined : resultRead(expression);
        this.addSite({
          node: form,
          framework,
          manual: true,
          reason: evaluation.reason
            ? evaluation.reason
            : errorStatusRelay(expression)
              ? errorRelayReason(errorStatusRelay(expression) ?? '', this.target)
              : evaluation.why
                ? `Computed status: ${evaluation.why}. Where that key can be it on an mTLS route, answer ${this.target} instead (map it where the key is chosen), or add a central remap.`
                : 'Dynamic status: it may pass a 403 through (e.g. from an upstream or an error object). Map 403 to the agreed status where the value is produced, or add a central remap.',
        });
        // The status of a call's result: the engine reads the called function later (result-producers.ts).
        if (read && this.sites.length > count) this.resultReads.push({ ...read, site: this.sites[count] });
        return;
      }
      case 'static':
        // `res.status(StatusCodes[403])`, `ctx.status = httpStatus['403']`: 403's name or reason phrase in the
        // status slot, no number: named, never rewritten (the code sends no 403 there, and no 401 either).
        if (!this.options.testFile && this.evaluator.forbiddenNameRead(expression))
          this.addSite({
            node: form,
            framework,
            manual: true,
            reason: nameReadReason(shorten(skipOuter(expression).getText(this.sourceFile)), this.target),
          });
        return;
    }
  }

  /** Whether `expression` reads the text a status table holds for 403 (`StatusCodes[403]`, `httpStatus['403']`). */
  isForbiddenNameRead(expression: ts.Expression): boolean {
    return this.evaluator.forbiddenNameRead(expression);
  }

  /**
   * A parameter that becomes the status (e.g. an error class's constructor parameter): reported, callers
   * rewritten. Returns false when it was already known.
   */
  helperParam(
    evaluation: Extract<Evaluation, { kind: 'param' }>,
    form: ts.Node,
    framework: string,
    report?: string,
  ): boolean {
    // `errorCode: ApiErrorCode` (an enum of strings), `admin: boolean`: no status flows through it.
    const scope = {
      sourceFile: this.sourceFile,
      importOf: (name: string) => this.importOf(name),
      declaration: this.options.link?.declaration
        ? (b: ImportBinding) => this.options.link?.declaration?.(b)
        : undefined,
    };
    if (paramCannotHoldStatus(evaluation.fn, evaluation.index, evaluation.property, scope)) return false;
    return this.callSites.addHelper(evaluation, form, framework, report);
  }

  /** Records a plain call passing a 403 (or forwarding a parameter), to be matched with helpers later. */
  candidateCall(call: ts.CallExpression | ts.NewExpression): void {
    this.callSites.candidateCall(call);
  }

  /** The file imports a mocking library (msw, nock, fetch-mock, miragejs...): it mocks another service. */
  get mockFile(): boolean {
    return this.registry.mockFile;
  }

  /** Records a site, once per location. */
  addSite(input: SiteInput): void {
    this.registry.addSite(input);
  }

  /** Takes sites back: removed from `sites`, their locations free for another site (the census's). */
  removeSites(dropped: ReadonlySet<Site>): void {
    this.registry.removeSites(dropped);
  }

  /**
   * Marks every 403 occurrence inside `node` as not an emit of this server (census), with the kind; `via` for a
   * `reference`: the definition they are accounted at.
   */
  notAnEmit(node: ts.Node, kind: NotAnEmitKind, via?: string): void {
    this.registry.notAnEmit(node, kind, via);
  }
}
