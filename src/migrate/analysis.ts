import { ts } from 'ts-morph';
import { importNeed } from './import-edits.js';
import { collectImports, normalizeModule, type ImportBinding, type ImportMap } from './imports.js';
import { enclosingFunction, ROUTE_METHODS, scopeOf, type FunctionLike } from './scope.js';
import { CONSTANT_NAMES, DENO_STATUS_NAMES, reasonPhrase } from './status-names.js';
import type { Edit, ImportNeed, NotAnEmitKind, Site } from './types.js';

export interface AnalysisOptions {
  /** The agreed status. */
  target: number;
  /** The file is a test file and `--include-tests` is on: assertion forms apply. */
  testFile: boolean;
  /** 401 challenge scheme for `--www-authenticate`. */
  wwwAuthenticate?: string;
  /** Values of imported names, read from the modules that declare them (cross-file phase); none: imports are opaque. */
  link?: ImportLink;
}

/** The value behind an imported name, from the module that declares it (`export const NO_ACCESS = 403`). */
export interface ImportedConstant {
  value: number;
  /** value -> another name the importer can use for it (`UNAUTHORIZED` for 401), for renaming at the use site. */
  siblings: Map<number, string>;
  /** Absolute path of the declaring file. */
  file: string;
}

/** Reads imported values across files: an identifier's import (`NO_ACCESS`), or a member of one (`Codes.X`). */
export interface ImportLink {
  constant(binding: ImportBinding): ImportedConstant | undefined;
  member(binding: ImportBinding, member: string): ImportedConstant | undefined;
  /** A class imported under `binding` that fixes its status (`super(403, m)`): the status and where it is declared. */
  classStatus(
    binding: ImportBinding,
    member?: string,
  ): { value: number; file: string; line: number } | undefined;
}

/** What an expression in a status slot is worth. */
export type Evaluation =
  /** 403 (or a branch that is 403): the edits make it the target. */
  | { kind: 'forbidden'; edits: Edit[] }
  /** A known status other than 403. */
  | { kind: 'static' }
  /**
   * The parameter of the enclosing function: a helper whose status comes from its callers. `property`: the
   * status is one key of an options-object parameter (`({ status }) => …`, `opts.status`).
   */
  | { kind: 'param'; fn: FunctionLike; index: number; name: string; property?: string }
  | { kind: 'dynamic' };

/** What a receiver (`res`, `reply`, `ctx`, `c`, `h`) is, from its parameter type or, failing that, its name. */
export type ReceiverKind = 'response' | 'reply' | 'koa' | 'hono' | 'hapi' | 'elysia' | 'stream';

export interface Receiver {
  kind: ReceiverKind;
  /** The root identifier (`res` in `res.set(x).status(403)`). */
  root: string;
  /** Property names between the root and the member (`['response']` in `ctx.response.status`). */
  path: string[];
  /** The module the parameter type came from, when it was typed. */
  typeModule?: string;
}

/** A function parameter that flows into a status slot: call sites that pass 403 there can be rewritten. */
export interface HelperParam {
  fn: FunctionLike;
  index: number;
  name: string;
  framework: string;
  /** The key of an options-object parameter that holds the status (`new AppError({ status: 403 })`). */
  property?: string;
  /** Exported name, when the helper is exported (for call sites in other files). */
  exportName?: string;
  /** Set for helpers whose status reaches a response only through a caller (a result object): call sites passing 403 are reported with this reason, not rewritten. */
  report?: string;
}

/** A call to a plain function (or `new Class(…)`) passing a literal 403: resolved against helpers once every file is analysed. */
export interface CandidateCall {
  call: ts.CallExpression | ts.NewExpression;
  index: number;
  /** `Name`, or `ns.Name` for a member of a namespace import. */
  callee: string;
  /** The options-object key holding the 403 (`{ status: 403 }`), when the argument is an object literal. */
  property?: string;
  /** The 403 value itself (the argument, or the property's value). */
  value: ts.Expression;
  /** Set when the argument is a parameter of the enclosing function: the caller forwards its own caller's status. */
  forward?: Extract<Evaluation, { kind: 'param' }>;
}

export interface SiteInput {
  /** The whole form (`res.status(403)`), used for location, form text and replacement text. */
  node: ts.Node;
  framework: string;
  edits?: Edit[];
  imports?: ImportNeed[];
  reason?: string | null;
  manual?: boolean;
  /** Location override (e.g. the 403 token rather than the whole chain). */
  at?: ts.Node;
  /** Extra text the site owns for the census (a JSDoc block above the node, say). */
  cover?: { start: number; end: number };
  /** Location and form taken from this text range instead of a node (a line inside a comment). */
  range?: { start: number; end: number };
}

const TYPED_RECEIVERS: Record<string, ReceiverKind> = {
  express: 'response',
  'express-serve-static-core': 'response',
  http: 'response',
  https: 'response',
  http2: 'response',
  next: 'response',
  restify: 'response',
  connect: 'response',
  '@google-cloud/functions-framework': 'response',
  'firebase-functions': 'response',
  'firebase-functions/v2/https': 'response',
  'firebase-functions/https': 'response',
  fastify: 'reply',
  koa: 'koa',
  '@koa/router': 'koa',
  // Midway's and Egg's Context is Koa's.
  '@midwayjs/koa': 'koa',
  '@midwayjs/web': 'koa',
  egg: 'koa',
  'koa-router': 'koa',
  hono: 'hono',
  '@hono/zod-openapi': 'hono',
  '@hapi/hapi': 'hapi',
  hapi: 'hapi',
};

const NAMED_RECEIVERS: Record<string, ReceiverKind> = {
  res: 'response',
  response: 'response',
  resp: 'response',
  reply: 'reply',
  rep: 'reply',
  ctx: 'koa',
  context: 'koa',
  c: 'hono',
  h: 'hapi',
  set: 'elysia',
  stream: 'stream',
};

/** Libraries whose named constants we rename (`StatusCodes.FORBIDDEN` -> `StatusCodes.UNAUTHORIZED`). */
const CONSTANT_LIBRARIES: Record<string, (binding: ImportBinding) => boolean> = {
  'http-status-codes': (b) => b.name === 'StatusCodes' || b.name === 'default' || b.name === '*',
  '@nestjs/common': (b) => b.name === 'HttpStatus',
  '@nestjs/common/enums': (b) => b.name === 'HttpStatus',
  '@nestjs/common/enums/http-status.enum': (b) => b.name === 'HttpStatus',
  'http-status': (b) =>
    b.name === 'default' || b.name === 'status' || b.name === '*' || b.name === 'httpStatus',
  '@marblejs/core': (b) => b.name === 'HttpStatus',
  '@marblejs/http': (b) => b.name === 'HttpStatus',
};

/**
 * Where Deno std's PascalCase `Status` / `STATUS_CODE` come from: Oak (npm, JSR, deno.land/x), std (JSR,
 * deno.land/std), or the project's own `deps.ts` re-export, Deno's convention.
 */
const DENO_STATUS_MODULE =
  /^(?:jsr:|npm:)?@(?:oak\/oak|std\/http)(?:@[^/]*)?(?:\/|$)|^oak$|deno\.land\/(?:x\/oak|std)(?:@[^/]*)?\/|(?:^|\/)deps\.ts$/;

/** Keys that name an HTTP status in options objects and results. */
export const STATUS_KEYS = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'httpCode']);
const MIRROR_STATUS_KEYS = new Set(['statusCode', 'status', 'code', 'httpStatus', 'httpStatusCode']);
/** Keys whose value is an error code that may spell the status name (`code: 'FORBIDDEN'`). */
const CODE_KEYS = new Set([
  'code',
  'error',
  'errorCode',
  'error_code',
  'type',
  'reason',
  'status',
  'statusText',
  'statusMessage',
]);
/** Translation helpers: their string argument is a key, not text (`t('Forbidden')`). */
const TRANSLATION_CALLS = /^(t|i18n|__|_t|translate|gettext|formatMessage|intl)$/;
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
const MOCK_MODULES = new Set([
  'nock',
  'msw',
  'msw/node',
  'msw/browser',
  'fetch-mock',
  'jest-fetch-mock',
  'undici',
]);

/**
 * One file's analysis: the parsed tree, its imports, and the sites the framework modules found in it.
 * Read-only over the tree; every change is an `Edit` on the original text.
 */
export class FileAnalysis {
  readonly imports: ImportMap;
  readonly sites: Site[] = [];
  readonly helpers: HelperParam[] = [];
  readonly candidateCalls: CandidateCall[] = [];
  /** Import edits that go with a value edit (an imported constant renamed to its sibling), by edit. */
  private readonly editImports = new Map<Edit, ImportNeed>();
  /** Ids of the framework modules that ran on this file. */
  frameworks: string[] = [];
  /** Ranges a module has classified as not an emit (census), with the kind. */
  readonly notAnEmitRanges: { start: number; end: number; kind: NotAnEmitKind }[] = [];
  private readonly siteKeys = new Set<string>();
  private readonly helperKeys = new Set<string>();
  private readonly declarationIndex = new Map<
    ts.Node,
    Map<string, ts.VariableDeclaration | ts.EnumDeclaration>
  >();
  private readonly moduleChecks = new Map<string, boolean>();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly sourceFile: ts.SourceFile,
    readonly options: AnalysisOptions,
  ) {
    this.imports = collectImports(sourceFile);
  }

  get target(): number {
    return this.options.target;
  }

  /** The import a local name comes from (`node:` prefixes dropped). */
  importOf(name: string): ImportBinding | undefined {
    const binding = this.imports.get(name);
    return binding ? { ...binding, module: normalizeModule(binding.module) } : undefined;
  }

  /** Whether the file imports any of these modules (or a subpath of them). */
  importsModule(...modules: string[]): boolean {
    const key = modules.join('\0');
    let result = this.moduleChecks.get(key);
    if (result === undefined) {
      result = [...this.imports.values()].some((binding) => {
        const module = normalizeModule(binding.module);
        return modules.some((m) => module === m || module.startsWith(`${m}/`));
      });
      this.moduleChecks.set(key, result);
    }
    return result;
  }

  /** Whether `expression` is `Name` or `ns.Name` where Name comes from `module` (`ForbiddenException` from Nest). */
  resolvesTo(expression: ts.Expression, modules: readonly string[], name: string): boolean {
    if (ts.isIdentifier(expression)) {
      const binding = this.importOf(expression.text);
      return Boolean(binding && modules.includes(binding.module) && binding.name === name);
    }
    if (ts.isPropertyAccessExpression(expression) && expression.name.text === name) {
      const root = expression.expression;
      if (!ts.isIdentifier(root)) return false;
      const binding = this.importOf(root.text);
      return Boolean(
        binding && modules.includes(binding.module) && (binding.name === '*' || binding.name === 'default'),
      );
    }
    return false;
  }

  start(node: ts.Node): number {
    return node.getStart(this.sourceFile);
  }

  // ---------------------------------------------------------------------------------------------
  // Receivers

  /** Classifies the receiver of a member access: `res` in `res.status`, `ctx.response` in `ctx.response.status`. */
  receiver(expression: ts.Expression): Receiver | undefined {
    const path: string[] = [];
    let node: ts.Expression = expression;
    for (;;) {
      if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)) {
        node = node.expression;
      } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        // A chain: `res.set(...).status(403)` has receiver `res`.
        node = node.expression.expression;
        path.length = 0;
      } else if (ts.isPropertyAccessExpression(node)) {
        path.unshift(node.name.text);
        node = node.expression;
      } else {
        break;
      }
    }
    if (!ts.isIdentifier(node)) return undefined;
    const root = node.text;
    const parameter = findParameter(node, root);
    const typeName = parameter?.type ? typeReferenceName(parameter.type) : undefined;
    if (typeName) {
      const binding = this.importOf(typeName.split('.')[0]);
      if (binding) {
        const kind = TYPED_RECEIVERS[binding.module];
        // A type from some other module (`AxiosResponse`) means this is not a server response.
        return kind ? { kind, root, path, typeModule: binding.module } : undefined;
      }
      // The global `Response` is the Fetch API's, which has no status() method to call.
      if (typeName === 'Response' || typeName === 'Request') return undefined;
    }
    if (parameter && !parameter.type && !NAMED_RECEIVERS[root]) {
      const registered = this.registeredReceiver(parameter);
      if (registered) return { kind: registered, root, path };
    }
    const kind = NAMED_RECEIVERS[root];
    return kind ? { kind, root, path } : undefined;
  }

  /**
   * An untyped parameter of a function passed to a route registration (`app.get('/y', (q, s) => …)`,
   * `router.use((err, q, s, next) => …)`, hapi `handler: (request, h) => …`) is what that framework hands the
   * handler at that position, whatever its name. The framework comes from the file's imports.
   */
  private registeredReceiver(parameter: ts.ParameterDeclaration): ReceiverKind | undefined {
    const fn = parameter.parent;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
    const index = fn.parameters.indexOf(parameter);
    const call = fn.parent;
    if (ts.isPropertyAssignment(call) && ts.isIdentifier(call.name) && call.name.text === 'handler') {
      return this.importsModule('@hapi/hapi', 'hapi') && index === 1 ? 'hapi' : undefined;
    }
    if (
      !ts.isCallExpression(call) ||
      !call.arguments.includes(fn) ||
      !ts.isPropertyAccessExpression(call.expression)
    )
      return undefined;
    if (!ROUTE_METHODS.has(call.expression.name.text)) return undefined;
    const first = call.arguments[0];
    const routed =
      first === fn ||
      ts.isStringLiteral(first) ||
      ts.isNoSubstitutionTemplateLiteral(first) ||
      ts.isTemplateExpression(first) ||
      ts.isRegularExpressionLiteral(first) ||
      ts.isArrayLiteralExpression(first);
    if (!routed) return undefined;
    if (this.importsModule('koa', '@koa/router', 'koa-router')) return index === 0 ? 'koa' : undefined;
    if (this.importsModule('hono')) return index === 0 ? 'hono' : undefined;
    if (this.importsModule('fastify')) return index === 1 ? 'reply' : undefined;
    // Express, Connect, restify, Next.js-style: (req, res, next), error handlers (err, req, res, next).
    const responseIndex = fn.parameters.length === 4 ? 2 : 1;
    return index === responseIndex ? 'response' : undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  /**
   * The edits that turn a 403-valued expression into the target, or undefined when the expression is not 403:
   * literals (`403`, `0x193`, `'403'`), library constants, project constants (rewritten at the use site).
   */
  forbiddenEdits(expression: ts.Expression): Edit[] | undefined {
    const node = skipOuter(expression);
    const target = this.target;
    if (ts.isNumericLiteral(node)) {
      return numericValue(node) === 403 ? [this.replace(node, String(target))] : undefined;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (node.text !== '403') return undefined;
      const raw = node.getText(this.sourceFile);
      return [this.replace(node, `${raw[0]}${target}${raw[raw.length - 1]}`)];
    }
    if (ts.isPropertyAccessExpression(node)) return this.memberEdits(node);
    if (ts.isIdentifier(node)) return this.identifierEdits(node);
    return undefined;
  }

  /**
   * Whether the expression is a number: a numeric literal, a local numeric constant or enum member, or a
   * status library's constant. String literals (`'403'`) are not.
   */
  isNumeric(expression: ts.Expression): boolean {
    const node = skipOuter(expression);
    if (ts.isNumericLiteral(node)) return true;
    if (ts.isPropertyAccessExpression(node)) {
      const library = this.libraryConstant(node);
      if (library) return library.value >= 0;
      const member = this.localMember(node);
      return member !== undefined && this.memberIsNumber(node);
    }
    if (ts.isIdentifier(node)) {
      const binding = this.importOf(node.text);
      if (binding) return binding.module === 'http-status-codes' || binding.module === 'http2';
      const declaration = this.findDeclaration(node.text, node);
      return Boolean(
        declaration &&
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        ts.isNumericLiteral(skipOuter(declaration.initializer)),
      );
    }
    return false;
  }

  private memberIsNumber(node: ts.PropertyAccessExpression): boolean {
    if (!ts.isIdentifier(node.expression)) return false;
    const declaration = this.findDeclaration(node.expression.text, node);
    if (!declaration) return false;
    if (ts.isEnumDeclaration(declaration)) {
      const member = declaration.members.find(
        (m) => ts.isIdentifier(m.name) && m.name.text === node.name.text,
      );
      return Boolean(member?.initializer && ts.isNumericLiteral(skipOuter(member.initializer)));
    }
    const init = declaration.initializer && skipOuter(declaration.initializer);
    if (!init || !ts.isObjectLiteralExpression(init)) return false;
    const property = init.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) &&
        (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
        p.name.text === node.name.text,
    );
    return Boolean(property && ts.isNumericLiteral(skipOuter(property.initializer)));
  }

  /** Whether the expression is a known status (literal or constant), 403 or not. */
  isKnownStatus(expression: ts.Expression): boolean {
    const node = skipOuter(expression);
    if (ts.isNumericLiteral(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      return true;
    if (ts.isPropertyAccessExpression(node)) {
      return (
        this.libraryConstant(node) !== undefined ||
        this.localMember(node) !== undefined ||
        this.importedMember(node) !== undefined
      );
    }
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return true;
      return (
        this.localConstant(node) !== undefined ||
        this.importOf(node.text)?.module === 'http-status-codes' ||
        this.importedConstant(node) !== undefined
      );
    }
    return false;
  }

  /** Evaluates a status slot: 403 (with edits), a known other status, a helper parameter, or dynamic. */
  evaluate(expression: ts.Expression): Evaluation {
    const node = skipOuter(expression);
    const edits = this.forbiddenEdits(node);
    if (edits) return { kind: 'forbidden', edits };
    if (this.isKnownStatus(node)) return { kind: 'static' };
    if (ts.isConditionalExpression(node)) {
      // `isAdmin ? 200 : 403`: rewrite the 403 branch, whatever the other is.
      return combine([this.evaluate(node.whenTrue), this.evaluate(node.whenFalse)]);
    }
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    ) {
      // `err.status || 403`: the literal fallback is ours; the left side passes another status through.
      const right = this.evaluate(node.right);
      if (right.kind === 'forbidden') return right;
      // `code ?? 400`: the caller's status, with a default.
      const left = this.parameterOf(node.left);
      return left ?? { kind: 'dynamic' };
    }
    return this.parameterOf(node) ?? { kind: 'dynamic' };
  }

  /**
   * A parameter of the enclosing function: `status`, a destructured key (`({ status = 400 }) => …`), or a key of
   * an options parameter (`opts.status`).
   */
  parameterOf(expression: ts.Expression): Extract<Evaluation, { kind: 'param' }> | undefined {
    const node = skipOuter(expression);
    if (ts.isIdentifier(node)) {
      const fn = enclosingFunction(node);
      if (!fn) return undefined;
      for (const [index, parameter] of fn.parameters.entries()) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === node.text)
          return { kind: 'param', fn, index, name: node.text };
        if (ts.isObjectBindingPattern(parameter.name)) {
          for (const element of parameter.name.elements) {
            if (!ts.isIdentifier(element.name) || element.name.text !== node.text || element.dotDotDotToken)
              continue;
            const key = element.propertyName ?? element.name;
            if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
            return { kind: 'param', fn, index, name: node.text, property: key.text };
          }
        }
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const owner = this.parameterOf(node.expression);
      if (owner && owner.property === undefined) return { ...owner, property: node.name.text };
    }
    return undefined;
  }

  private memberEdits(node: ts.PropertyAccessExpression): Edit[] | undefined {
    const library = this.libraryConstant(node);
    if (library !== undefined) {
      if (library.value !== 403) return undefined;
      const name = library.names[this.target];
      return [name ? this.replace(node.name, name) : this.replace(node, String(this.target))];
    }
    const local = this.localMember(node) ?? this.importedMember(node);
    if (!local || local.value !== 403) return undefined;
    // Rename to a sibling member holding the target when the map has one; never edit the definition.
    const sibling = local.siblings.get(this.target);
    return [sibling ? this.replace(node.name, sibling) : this.replace(node, String(this.target))];
  }

  /** `Codes.NO_ACCESS`, `codes.NO_ACCESS` where `Codes`/`codes` is imported (an object, enum or namespace). */
  importedMember(node: ts.PropertyAccessExpression): ImportedConstant | undefined {
    const link = this.options.link;
    if (!link || !ts.isIdentifier(node.expression)) return undefined;
    const binding = this.imports.get(node.expression.text);
    if (!binding || this.findDeclaration(node.expression.text, node)) return undefined;
    return link.member(binding, node.name.text);
  }

  /** `NO_ACCESS` imported from a module that declares `export const NO_ACCESS = 403` (through re-exports too). */
  importedConstant(node: ts.Identifier): ImportedConstant | undefined {
    const link = this.options.link;
    if (!link) return undefined;
    const binding = this.imports.get(node.text);
    if (!binding || binding.name === '*' || this.findDeclaration(node.text, node)) return undefined;
    return link.constant(binding);
  }

  private identifierEdits(node: ts.Identifier): Edit[] | undefined {
    const binding = this.importOf(node.text);
    if (binding?.module === 'http-status-codes' && binding.name === 'FORBIDDEN') {
      return [this.replace(node, String(this.target))];
    }
    if (binding?.module === 'http2' && binding.name === 'HTTP_STATUS_FORBIDDEN') {
      return [this.replace(node, String(this.target))];
    }
    const local = this.localConstant(node);
    if (local) {
      if (local.value !== 403) return undefined;
      const sibling = local.siblings.get(this.target);
      return [this.replace(node, sibling ?? String(this.target))];
    }
    const imported = this.importedConstant(node);
    if (!imported || imported.value !== 403) return undefined;
    return [this.importedEdit(node, imported)];
  }

  /**
   * The use of an imported 403 constant becomes the module's sibling for the target (`UNAUTHORIZED`, with the
   * import renamed or added) when the name is free here, else the literal (the import dropped once unused).
   * The shared declaration is never edited: other routes may still mean 403.
   */
  private importedEdit(node: ts.Identifier, imported: ImportedConstant): Edit {
    const sibling = imported.siblings.get(this.target);
    const free = sibling !== undefined && !this.imports.has(sibling) && !this.findDeclaration(sibling, node);
    const need = free ? importNeed(this, node.text, sibling) : undefined;
    if (need && sibling) {
      const edit = this.replace(node, sibling);
      this.editImports.set(edit, need);
      return edit;
    }
    const edit = this.replace(node, String(this.target));
    const drop = importNeed(this, node.text, node.text);
    if (drop) this.editImports.set(edit, drop);
    return edit;
  }

  /**
   * `StatusCodes.X`, `HttpStatus.X` (Nest, Marble.js), `status.X`, `http2.constants.HTTP_STATUS_X`, Deno/Oak
   * `Status.X`: its value and the library's names.
   */
  libraryConstant(
    node: ts.PropertyAccessExpression,
  ): { value: number; names: Record<number, string> } | undefined {
    const member = node.name.text;
    const owner = node.expression;
    let library: string | undefined;
    if (ts.isIdentifier(owner)) {
      const binding = this.importOf(owner.text);
      if (
        binding &&
        (binding.name === 'Status' || binding.name === 'STATUS_CODE') &&
        DENO_STATUS_MODULE.test(binding.module)
      ) {
        return { value: valueOfName(DENO_STATUS_NAMES, member), names: DENO_STATUS_NAMES };
      }
      if (binding && CONSTANT_LIBRARIES[binding.module]?.(binding)) library = binding.module;
      if (binding?.module === 'http2' && binding.name === 'constants') library = 'http2';
    } else if (ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression)) {
      // `common.HttpStatus.FORBIDDEN`, `http2.constants.HTTP_STATUS_FORBIDDEN`
      const binding = this.importOf(owner.expression.text);
      const whole = binding?.name === '*' || binding?.name === 'default';
      if (whole && binding.module === '@nestjs/common' && owner.name.text === 'HttpStatus')
        library = binding.module;
      if (whole && binding.module === 'http-status-codes' && owner.name.text === 'StatusCodes')
        library = binding.module;
      if (whole && binding.module === 'http2' && owner.name.text === 'constants') library = 'http2';
    }
    if (!library) return undefined;
    if (library === 'http2') {
      if (!member.startsWith('HTTP_STATUS_')) return undefined;
      const names = prefixed(CONSTANT_NAMES, 'HTTP_STATUS_');
      return { value: valueOfName(names, member), names };
    }
    return { value: valueOfName(CONSTANT_NAMES, member), names: CONSTANT_NAMES };
  }

  /** A member of a project-local object or enum: `HTTP_STATUS.FORBIDDEN` where `const HTTP_STATUS = { FORBIDDEN: 403 }`. */
  localMember(node: ts.PropertyAccessExpression): LocalConstant | undefined {
    if (!ts.isIdentifier(node.expression)) return undefined;
    const declaration = this.findDeclaration(node.expression.text, node);
    if (!declaration) return undefined;
    let members: ReadonlyArray<{ name: string; value: number | undefined }> | undefined;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuter(declaration.initializer);
      if (ts.isObjectLiteralExpression(init)) {
        members = init.properties.flatMap((p) =>
          ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
            ? [{ name: p.name.text, value: literalNumber(p.initializer) }]
            : [],
        );
      }
    } else if (ts.isEnumDeclaration(declaration)) {
      members = declaration.members.flatMap((m) =>
        ts.isIdentifier(m.name)
          ? [{ name: m.name.text, value: m.initializer ? literalNumber(m.initializer) : undefined }]
          : [],
      );
    }
    const member = members?.find((m) => m.name === node.name.text);
    if (!members || !member || member.value === undefined) return undefined;
    return { value: member.value, siblings: siblingsOf(members) };
  }

  /** `FORBIDDEN` where `const FORBIDDEN = 403` in this file (an enclosing scope). */
  localConstant(node: ts.Identifier): LocalConstant | undefined {
    const declaration = this.findDeclaration(node.text, node);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const value = literalNumber(declaration.initializer);
    if (value === undefined) return undefined;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    // Siblings: other numeric consts declared in the same block (`const UNAUTHORIZED = 401`).
    const block = list.parent.parent;
    const members: { name: string; value: number | undefined }[] = [];
    block.forEachChild((statement) => {
      if (!ts.isVariableStatement(statement)) return;
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer)
          members.push({ name: d.name.text, value: literalNumber(d.initializer) });
      }
    });
    return { value, siblings: siblingsOf(members) };
  }

  /** The const/enum declaration of `name` visible from `from`, searching enclosing blocks up to the file. */
  private findDeclaration(
    name: string,
    from: ts.Node,
  ): ts.VariableDeclaration | ts.EnumDeclaration | undefined {
    for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
      // A parameter of that name (`status`, `{ status = 400 }`) shadows any outer constant.
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
      if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
      const found = this.declarationsIn(scope).get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Declarations of one block, indexed once (a file with thousands of statements stays linear). */
  private declarationsIn(
    scope: ts.Block | ts.SourceFile | ts.ModuleBlock,
  ): Map<string, ts.VariableDeclaration | ts.EnumDeclaration> {
    let index = this.declarationIndex.get(scope);
    if (index) return index;
    index = new Map();
    for (const statement of scope.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && !index.has(d.name.text)) index.set(d.name.text, d);
        }
      } else if (ts.isEnumDeclaration(statement) && !index.has(statement.name.text)) {
        index.set(statement.name.text, statement);
      }
    }
    this.declarationIndex.set(scope, index);
    return index;
  }

  // ---------------------------------------------------------------------------------------------
  // Sites

  /** Replaces a node's text; a shorthand property's name (`{ status }`) keeps its key: `{ status: 401 }`. */
  replace(node: ts.Node, text: string): Edit {
    const shorthand =
      ts.isIdentifier(node) && ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node;
    return {
      start: node.getStart(this.sourceFile),
      end: node.getEnd(),
      text: shorthand ? `${node.text}: ${text}` : text,
    };
  }

  /** A reason-phrase edit for a string literal (`'Forbidden'` -> `'Unauthorized'`), keeping its quotes. */
  phraseEdit(node: ts.Node, phrase: string): Edit {
    const raw = node.getText(this.sourceFile);
    return this.replace(node, `${raw[0]}${phrase}${raw[raw.length - 1]}`);
  }

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
    const evaluation = this.evaluate(expression);
    switch (evaluation.kind) {
      case 'forbidden': {
        const more = extra(evaluation.edits);
        // A module's own edit wins over a generic companion on the same token (FeathersError's name slot).
        const edits = [...this.companionEdits(form), ...evaluation.edits, ...(more.edits ?? [])];
        // --www-authenticate: a 401 that gets no header from its module says so.
        const scheme = this.target === 401 ? this.options.wwwAuthenticate : undefined;
        const reason =
          more.reason ??
          (scheme && !edits.some((e) => /WWW-Authenticate/i.test(e.text)) && !this.setsChallenge(form)
            ? `No local idiom for the WWW-Authenticate header here: add 'WWW-Authenticate: ${scheme}' to 401 responses centrally.`
            : null);
        this.addSite({ node: form, framework, ...more, edits, reason, cover: this.companionCover(form) });
        return;
      }
      case 'param':
        this.addHelper(evaluation, form, framework);
        return;
      case 'dynamic':
        if (this.options.testFile) return;
        this.addSite({
          node: form,
          framework,
          manual: true,
          reason:
            'Dynamic status: it may pass a 403 through (e.g. from an upstream or an error object). Map 403 to the agreed status where the value is produced, or add a central remap.',
        });
        return;
      case 'static':
        return;
    }
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
    return this.addHelper(evaluation, form, framework, report);
  }

  private addHelper(
    evaluation: Extract<Evaluation, { kind: 'param' }>,
    form: ts.Node,
    framework: string,
    report?: string,
  ): boolean {
    const key = `${evaluation.fn.pos}:${evaluation.index}:${evaluation.property ?? ''}`;
    if (this.helperKeys.has(key) || this.mockFile) return false;
    this.helperKeys.add(key);
    const base = {
      fn: evaluation.fn,
      index: evaluation.index,
      name: evaluation.name,
      framework,
      ...(evaluation.property === undefined ? {} : { property: evaluation.property }),
      ...(report === undefined ? {} : { report }),
    };
    const exportNames = exportNamesOf(evaluation.fn);
    // One entry per name importers may use (`X`, `default`, a whole `require()`).
    if (!exportNames.length) this.helpers.push(base);
    for (const exportName of exportNames) this.helpers.push({ ...base, exportName });
    // A result helper is reported where a 403 is passed to it, not for existing.
    if (report !== undefined) return true;
    this.addSite({
      node: form,
      framework,
      manual: true,
      reason: `Shared helper: the status comes from its caller (parameter '${evaluation.name}'). Call sites that pass a literal 403 are rewritten; check the other callers and any default value.`,
    });
    return true;
  }

  /**
   * Records a plain call (`f(…)`, `ns.f(…)`, `new X(…)`, `super(…)`) passing a 403 (as an argument or as a key
   * of an options object), or forwarding a parameter of its own function, to be matched with helpers later.
   */
  candidateCall(call: ts.CallExpression | ts.NewExpression): void {
    const callee = calleeName(call);
    if (!callee) return;
    call.arguments?.forEach((argument, index) => {
      if (this.forbiddenEdits(argument)) {
        this.candidateCalls.push({ call, index, callee, value: argument });
        return;
      }
      const object = skipOuter(argument);
      if (ts.isObjectLiteralExpression(object)) {
        for (const property of object.properties) {
          const slot = propertySlot(property);
          if (!slot) continue;
          if (this.forbiddenEdits(slot.value)) {
            this.candidateCalls.push({ call, index, callee, property: slot.key, value: slot.value });
            continue;
          }
          const forward = this.parameterOf(slot.value);
          if (forward)
            this.candidateCalls.push({ call, index, callee, property: slot.key, value: slot.value, forward });
        }
        return;
      }
      // Forwarding: `f(res, code)`, `super(code ?? 400, …)`, `f(opts.status)`; not `f(req.body)`.
      const forward = this.parameterOf(fallbackLeft(argument));
      if (forward && (forward.property === undefined || STATUS_KEYS.has(forward.property)))
        this.candidateCalls.push({ call, index, callee, value: argument, forward });
    });
  }

  /**
   * G6/G7 companions of a status: reason phrases (`statusText: 'Forbidden'`, `ReasonPhrases.FORBIDDEN`,
   * `STATUS_CODES[403]`, `httpStatus[httpStatus.FORBIDDEN]`, hapi `.message('Forbidden')`), bodies that say the
   * phrase (`'Forbidden'`, `{ message: 'Forbidden' }`, `{ code: 'FORBIDDEN' }`) and literal body mirrors
   * (`{ statusCode: 403 }`), in the same expression and in the statements next to it that act on the same
   * receiver (`res.writeHead(403); res.end('Forbidden')`, `ctx.status = 403; ctx.message = 'Forbidden'`).
   */
  companionEdits(form: ts.Node): Edit[] {
    const root = expressionRoot(form);
    const edits = this.companionsIn(root);
    for (const statement of this.neighbourStatements(root)) edits.push(...this.companionsIn(statement));
    return edits;
  }

  /** The text the response of a form spans: its expression and the neighbour statements on the same receiver. */
  companionCover(form: ts.Node): { start: number; end: number } {
    const root = expressionRoot(form);
    const parts = [root, ...this.neighbourStatements(root)];
    return {
      start: Math.min(...parts.map((p) => p.getStart(this.sourceFile))),
      end: Math.max(...parts.map((p) => p.getEnd())),
    };
  }

  /** Companion edits inside one expression or statement (not crossing into nested functions). */
  private companionsIn(root: ts.Node): Edit[] {
    const edits: Edit[] = [];
    const visit = (node: ts.Node): void => {
      if (isFunctionBoundary(node)) return;
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        // GraphQL `extensions.code` is a protocol code clients switch on, not a phrase.
        if (node.name.text === 'extensions') return;
        if (MIRROR_STATUS_KEYS.has(node.name.text))
          edits.push(...(this.forbiddenEdits(node.initializer) ?? []));
      }
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const edit = this.bodyPhraseEdit(node);
        if (edit) edits.push(edit);
      }
      edits.push(...this.phraseCompanion(node));
      node.forEachChild(visit);
    };
    visit(root);
    return edits;
  }

  /**
   * A string that says the reason phrase of the status (`'Forbidden'`, `'Forbidden.'`, `'403 Forbidden'`) or
   * its constant name as an error code (`code: 'FORBIDDEN'`): rewritten to the target's. Keys, import paths and
   * translation keys (`t('Forbidden')`) are left alone.
   */
  private bodyPhraseEdit(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): Edit | undefined {
    const parent = node.parent;
    if (ts.isPropertyAssignment(parent) && parent.name === node) return undefined;
    if (ts.isCallExpression(parent) && parent.arguments.includes(node) && isTranslation(parent.expression))
      return undefined;
    if (
      ts.isElementAccessExpression(parent) ||
      ts.isLiteralTypeNode(parent) ||
      ts.isImportDeclaration(parent)
    )
      return undefined;
    const text = node.text;
    const phrase = reasonPhrase(this.target);
    if (text === '403 Forbidden') return this.phraseEdit(node, `${this.target} ${phrase}`);
    const word = /^(forbidden)([.!]?)$/i.exec(text);
    if (!word) return undefined;
    // 'Forbidden' as written by RFC 9110 anywhere in the response; 'FORBIDDEN' / 'forbidden' as a code value.
    const key =
      ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))
        ? parent.name.text
        : '';
    if (word[1] !== 'Forbidden' && !CODE_KEYS.has(key)) return undefined;
    return this.phraseEdit(node, `${sameCase(word[1], phrase)}${word[2]}`);
    return undefined;
  }

  /**
   * Statements right before and after the one holding `root`, in the same block, that act on the same
   * receiver (`res`, `ctx`, `reply`, `err`): they describe the same response.
   */
  private neighbourStatements(root: ts.Node): ts.Statement[] {
    const statement =
      ts.isExpressionStatement(root.parent) || ts.isReturnStatement(root.parent) ? root.parent : undefined;
    const receiver = rootIdentifier(root);
    if (!statement || !receiver) return [];
    const block = statement.parent;
    if (
      !ts.isBlock(block) &&
      !ts.isSourceFile(block) &&
      !ts.isCaseClause(block) &&
      !ts.isDefaultClause(block)
    )
      return [];
    const statements = block.statements;
    const index = statements.indexOf(statement);
    const same = (s: ts.Statement): boolean => {
      const expression = ts.isExpressionStatement(s)
        ? s.expression
        : ts.isReturnStatement(s)
          ? s.expression
          : undefined;
      return Boolean(expression && rootIdentifier(expression) === receiver);
    };
    // A statement that sets a status or throws is another response (or its own site): the run stops there.
    const other = (s: ts.Statement): boolean =>
      /\.(status|code|sendStatus|writeHead|redirect|throw)\s*\(|\.(status|statusCode)\s*=[^=]|\bthrow\b/.test(
        s.getText(this.sourceFile),
      );
    const out: ts.Statement[] = [];
    for (let i = index - 1; i >= 0 && same(statements[i]) && !other(statements[i]); i--)
      out.push(statements[i]);
    for (let i = index + 1; i < statements.length && same(statements[i]) && !other(statements[i]); i++)
      out.push(statements[i]);
    return out;
  }

  /** `ReasonPhrases.FORBIDDEN`, `getReasonPhrase(403)`, `getStatusText(403)`, `STATUS_CODES[403]`. */
  phraseCompanion(node: ts.Node): Edit[] {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'FORBIDDEN' &&
      ts.isIdentifier(node.expression)
    ) {
      const binding = this.importOf(node.expression.text);
      if (binding?.module === 'http-status-codes' && binding.name === 'ReasonPhrases') {
        const name = CONSTANT_NAMES[this.target];
        return name ? [this.replace(node.name, name)] : [];
      }
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.arguments.length === 1) {
      const binding = this.importOf(node.expression.text);
      if (
        binding?.module === 'http-status-codes' &&
        ['getReasonPhrase', 'getStatusText'].includes(binding.name)
      ) {
        return this.forbiddenEdits(node.arguments[0]) ?? [];
      }
    }
    if (
      ts.isElementAccessExpression(node) &&
      ((ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'STATUS_CODES') ||
        (ts.isIdentifier(node.expression) && this.isStatusTable(node.expression.text)))
    ) {
      return this.lookupKeyEdits(node.argumentExpression);
    }
    return [];
  }

  /** `STATUS_CODES` imported from http, or the http-status default export (`httpStatus[403]` is its message). */
  private isStatusTable(name: string): boolean {
    const binding = this.importOf(name);
    if (!binding) return false;
    if (binding.module === 'http') return binding.name === 'STATUS_CODES';
    return binding.module === 'http-status' && CONSTANT_LIBRARIES['http-status'](binding);
  }

  /** The key of a message lookup: `403`, `httpStatus.FORBIDDEN`, `'403_MESSAGE'`, `` `${httpStatus.FORBIDDEN}_NAME` ``. */
  private lookupKeyEdits(key: ts.Expression): Edit[] {
    const direct = this.forbiddenEdits(key);
    if (direct) return direct;
    const node = skipOuter(key);
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      /^403_[A-Z_]+$/.test(node.text)
    ) {
      const start = node.getStart(this.sourceFile) + 1;
      return [{ start, end: start + 3, text: String(this.target) }];
    }
    if (ts.isTemplateExpression(node) && node.head.text === '') {
      return node.templateSpans.length === 1
        ? (this.forbiddenEdits(node.templateSpans[0].expression) ?? [])
        : [];
    }
    return [];
  }

  /**
   * Whether the code around a node already sets WWW-Authenticate (in its statement or another statement of
   * the same block): the challenge it chose is never overwritten, and needs no note.
   */
  setsChallenge(node: ts.Node): boolean {
    let current: ts.Node = node;
    while (
      current.parent &&
      !ts.isBlock(current.parent) &&
      !ts.isSourceFile(current.parent) &&
      !ts.isCaseClause(current.parent)
    )
      current = current.parent;
    const holder = current.parent;
    const scope = holder && !ts.isSourceFile(holder) ? holder : current;
    return /www-authenticate/i.test(scope.getText(this.sourceFile));
  }

  /** The file imports a mocking library (msw, nock, fetch-mock, miragejs...): it mocks another service. */
  get mockFile(): boolean {
    // Test files also assert on our own server's answers: there only the mock calls themselves are skipped.
    return !this.options.testFile && this.importsModule(...MOCK_FILE_MODULES);
  }

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
    const manual = input.manual === true;
    const linked = edits.flatMap((e) => {
      const need = this.editImports.get(e);
      return need ? [need] : [];
    });
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
      replacement: manual ? null : shorten(applyWithin(formText, formStart, edits)),
      reason: input.reason ?? null,
      scope: scopeOf(input.node, this.sourceFile),
      operation: null,
    });
  }

  /**
   * Marks every 403 occurrence inside `node` as not an emit of this server (census): a validator's
   * `.forbidden()`, a mock of another service, a client reading an answer. Sites win over these marks.
   */
  notAnEmit(node: ts.Node, kind: NotAnEmitKind): void {
    this.notAnEmitRanges.push({ start: node.getStart(this.sourceFile), end: node.getEnd(), kind });
  }

  /** Mocks of other services (nock, msw, fetch-mock) answer 403 on purpose: never a target. */
  private insideMock(node: ts.Node): boolean {
    for (let current = node.parent; current; current = current.parent) {
      if (!ts.isCallExpression(current) && !ts.isNewExpression(current)) continue;
      let root: ts.Expression = current.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
      if (!ts.isIdentifier(root)) continue;
      const binding = this.importOf(root.text);
      if (binding && MOCK_MODULES.has(binding.module)) return true;
      if (!binding && ['nock', 'fetchMock', 'mockFetch'].includes(root.text)) return true;
    }
    return false;
  }
}

interface LocalConstant {
  value: number;
  /** value -> member name, for renaming to a sibling that holds the target. */
  siblings: Map<number, string>;
}

/** `phrase` written in the letter case of `model`: `forbidden` -> `unauthorized`, `FORBIDDEN` -> `UNAUTHORIZED`. */
export function sameCase(model: string, phrase: string): string {
  if (model === model.toLowerCase()) return phrase.toLowerCase();
  if (model === model.toUpperCase()) return phrase.toUpperCase().replace(/ /g, '_');
  return phrase;
}

function siblingsOf(
  members: ReadonlyArray<{ name: string; value: number | undefined }>,
): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of members) if (m.value !== undefined && !map.has(m.value)) map.set(m.value, m.name);
  return map;
}

function combine(evaluations: Evaluation[]): Evaluation {
  const edits = evaluations.flatMap((e) => (e.kind === 'forbidden' ? e.edits : []));
  if (edits.length) return { kind: 'forbidden', edits };
  return (
    evaluations.find((e) => e.kind === 'param') ??
    evaluations.find((e) => e.kind === 'dynamic') ?? { kind: 'static' }
  );
}

/** Numeric value of a literal, by value not text: `0x193`, `403.0` and `4_03` are all 403. */
export function numericValue(node: ts.NumericLiteral): number {
  return Number(node.text.replace(/_/g, ''));
}

export function literalNumber(expression: ts.Expression): number | undefined {
  const node = skipOuter(expression);
  if (ts.isNumericLiteral(node)) return numericValue(node);
  if (ts.isStringLiteral(node) && /^\d{3}$/.test(node.text)) return Number(node.text);
  return undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
export function skipOuter(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    node = node.expression;
  }
  return node;
}

function valueOfName(names: Record<number, string>, member: string): number {
  for (const [value, name] of Object.entries(names)) if (name === member) return Number(value);
  return -1;
}

function prefixed(names: Record<number, string>, prefix: string): Record<number, string> {
  return Object.fromEntries(Object.entries(names).map(([k, v]) => [k, `${prefix}${v}`]));
}

function findParameter(usage: ts.Node, name: string): ts.ParameterDeclaration | undefined {
  for (let current = usage.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    for (const parameter of current.parameters) {
      if (ts.isIdentifier(parameter.name) && parameter.name.text === name) return parameter;
    }
  }
  return undefined;
}

function typeReferenceName(type: ts.TypeNode): string | undefined {
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName;
    return ts.isIdentifier(name) ? name.text : `${entityRoot(name)}.${name.right.text}`;
  }
  return undefined;
}

function entityRoot(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : entityRoot(name.left);
}

/**
 * The names other files import a helper by: `export function f`, `export const f`, `export class C` (for a
 * constructor), `export default C`, `export { f as g }`, and CommonJS `module.exports = C` (a whole `require()`
 * or a default import) / `module.exports.f = f` / `exports.f = f`.
 */
function exportNamesOf(fn: FunctionLike): string[] {
  const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
  let local: string | undefined;
  let holder: ts.Node | undefined;
  if (ts.isConstructorDeclaration(fn) && ts.isClassDeclaration(fn.parent)) {
    local = fn.parent.name?.text;
    holder = fn.parent;
  } else if (ts.isFunctionDeclaration(fn)) {
    local = fn.name?.text;
    holder = fn;
  } else if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
    local = fn.parent.name.text;
    holder = fn.parent.parent.parent;
  }
  const names = new Set<string>();
  if (holder && hasModifier(holder, ts.SyntaxKind.ExportKeyword)) {
    if (hasModifier(holder, ts.SyntaxKind.DefaultKeyword)) names.add('default');
    else if (local) names.add(local);
  }
  if (!local || !holder || !ts.isSourceFile(holder.parent)) return [...names];
  for (const statement of holder.parent.statements) {
    if (ts.isExportAssignment(statement) && isName(statement.expression, local)) {
      names.add('default');
      if (statement.isExportEquals) names.add('*');
    }
    if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements)
        if ((element.propertyName ?? element.name).text === local) names.add(element.name.text);
    }
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !isName(right, local)) continue;
      const target = left.getText();
      if (target === 'module.exports') names.add('*').add('default');
      const member = /^(?:module\.)?exports\.(\w+)$/.exec(target);
      if (member) names.add(member[1]);
    }
  }
  return [...names];
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, wanted));
}

/** `f` in `f(…)` / `new f(…)`, `ns.f`, or the superclass for `super(…)`; undefined for other callees. */
function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression))
    return `${callee.expression.text}.${callee.name.text}`;
  if (callee.kind === ts.SyntaxKind.SuperKeyword) {
    let cls: ts.Node | undefined = call.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    const base = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (base && ts.isIdentifier(base)) return base.text;
    if (base && ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression))
      return `${base.expression.text}.${base.name.text}`;
  }
  return undefined;
}

/** `code ?? 400`, `code || 400`: the left side. */
function fallbackLeft(expression: ts.Expression): ts.Expression {
  const node = skipOuter(expression);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return node.left;
  return node;
}

/**
 * A key and its value in an object literal: `status: 403`, `'status': 403`, and the shorthand `{ status }`
 * (whose value is the identifier itself).
 */
export function propertySlot(
  property: ts.ObjectLiteralElementLike,
): { key: string; value: ts.Expression; node: ts.ObjectLiteralElementLike } | undefined {
  if (
    ts.isPropertyAssignment(property) &&
    (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
  )
    return { key: property.name.text, value: property.initializer, node: property };
  if (ts.isShorthandPropertyAssignment(property))
    return { key: property.name.text, value: property.name, node: property };
  return undefined;
}

function isName(expression: ts.Expression, name: string): boolean {
  return ts.isIdentifier(expression) && expression.text === name;
}

function isTranslation(callee: ts.Expression): boolean {
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : '';
  return TRANSLATION_CALLS.test(name);
}

/** The leftmost identifier of an expression (`res` in `res.status(403).end()`, `ctx` in `ctx.body = x`). */
function rootIdentifier(expression: ts.Node): string | undefined {
  let node: ts.Node = expression;
  for (;;) {
    if (ts.isIdentifier(node)) return node.text;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      node = node.left;
    else if (
      ts.isCallExpression(node) ||
      ts.isPropertyAccessExpression(node) ||
      ts.isElementAccessExpression(node) ||
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node)
    )
      node = node.expression;
    else return undefined;
  }
}

function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

/** The whole expression a form belongs to: up through chains, arguments and object literals, to the statement. */
export function expressionRoot(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (
      parent &&
      (ts.isCallExpression(parent) ||
        ts.isNewExpression(parent) ||
        ts.isPropertyAccessExpression(parent) ||
        ts.isElementAccessExpression(parent) ||
        ts.isObjectLiteralExpression(parent) ||
        ts.isPropertyAssignment(parent) ||
        ts.isArrayLiteralExpression(parent) ||
        ts.isParenthesizedExpression(parent) ||
        ts.isAsExpression(parent) ||
        ts.isAwaitExpression(parent) ||
        ts.isSatisfiesExpression(parent) ||
        ts.isTemplateSpan(parent) ||
        ts.isTemplateExpression(parent))
    ) {
      current = parent;
      continue;
    }
    return current;
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

export function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
