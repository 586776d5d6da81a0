import type ts from '../../typescript.cjs';
import type { ImportBinding } from '../imports.js';
import type { FunctionLike } from '../scope.js';
import type { Edit, ImportNeed, NestException, RemapLayer } from '../types.js';

/** The shapes the analysis modules share (src/migrate/analysis/*) and framework modules read. */

export interface AnalysisOptions {
  /** The agreed status. */
  target: number;
  /** The file is a test file and `--include-tests` is on: assertion forms apply. */
  testFile: boolean;
  /** 401 challenge scheme for `--www-authenticate`. */
  wwwAuthenticate?: string;
  /** Values of imported names, read from the modules that declare them (cross-file phase); none: imports are opaque. */
  link?: ImportLink;
  /**
   * The module an import specifier names when an import map aliases it (Deno's deno.json `imports`,
   * frameworks/deno-config.ts): `hono` for `server` mapped to `jsr:@hono/hono@^4`. Without it, as written.
   */
  moduleAlias?: (specifier: string) => string;
}

/** The value behind an imported name, from the module that declares it (`export const NO_ACCESS = 403`). */
export interface ImportedConstant {
  value: number;
  /** value -> another name the importer can use for it (`UNAUTHORIZED` for 401), for renaming at the use site. */
  siblings: Map<number, string>;
  /** Absolute path of the declaring file. */
  file: string;
}

/**
 * One entry of a table a status slot may read (an object's key, an enum member, a module's export): its name,
 * its number (undefined when it is no number known here) and, for an object, its own entries.
 */
export interface TableEntry {
  name: string;
  value: number | undefined;
  entries?: readonly TableEntry[];
}

/** Reads imported values across files: an identifier's import (`NO_ACCESS`), or a member of one (`Codes.X`). */
export interface ImportLink {
  constant(binding: ImportBinding): ImportedConstant | undefined;
  /**
   * `Codes.X` of the import `binding`; `through` the keys between (`['HTTP']` of `apiConst.HTTP.FORBIDDEN`,
   * `['Codes']` of `codes.Codes.Deny` where `codes` is a namespace re-export), through object spreads too.
   */
  member(binding: ImportBinding, member: string, through?: readonly string[]): ImportedConstant | undefined;
  /**
   * Every entry of the table the import `binding` names (`through` the keys between): an object (its spreads
   * followed), an enum, or a module's namespace. What a spread of it (`{ ...Codes }`) copies. Undefined when
   * the import is no table this link can read whole. Optional: links written for tests may leave it out.
   */
  table?(
    binding: Pick<ImportBinding, 'module' | 'name'>,
    through?: readonly string[],
  ): TableEntry[] | undefined;
  /** A class imported under `binding` that fixes its status (`super(403, m)`): the status and where it is declared. */
  classStatus(
    binding: ImportBinding,
    member?: string,
  ): { value: number; file: string; line: number; madeBy?: string } | undefined;
  /**
   * A class of this file made by a project function (`const Forbidden = generate(403, 'x')`, `class Sub extends
   * Forbidden {}`: declarations.ts `classes`): its status, where it was made and by which call. Optional like
   * `outsideRun`.
   */
  localClass?(name: string): { value: number; file: string; line: number; madeBy?: string } | undefined;
  /**
   * The restify-errors class a module of the run makes under `name` (`makeConstructor('GoneError', { statusCode:
   * 403 })`, links.ts `madeClass`): its status and where it is made. Optional like `outsideRun`.
   */
  madeClass?(name: string): { value: number; file: string; line: number } | undefined;
  /**
   * The route handler of the run that returns the result of a call of `name` (`return this.users.deny()`, `owner`
   * the method's class when it is one: links.ts `handlerReturning`): its name, file and line. Optional like
   * `outsideRun`.
   */
  handlerReturning?(
    name: string,
    owner?: string,
  ): { handler: string; file: string; line: number } | undefined;
  /**
   * Whether a file (absolute) is none of the run's files (a workspace package or a folder the run does not
   * scan): a 403 fixed there is not rewritten by this run. Optional: links written for tests may leave it out.
   */
  outsideRun?(absolute: string): boolean;
  /** This file's own absolute path (to find its TypeScript project's global types); optional like `outsideRun`. */
  absolute?: string;
  /** The file (absolute) a specifier of this file resolves to, with no parse; optional like `outsideRun`. */
  resolve?(specifier: string): string | undefined;
  /**
   * A file's text (absolute path): the run's copy when it holds one, else read and not kept (RunFiles
   * `peekText`); optional like `outsideRun`. Throws what `readFileSync` throws.
   */
  peekText?(absolute: string): string;
  /** A file's path relative to the working folder, `/`-separated, when the link knows that folder. */
  relative?(absolute: string): string | undefined;
  /**
   * Where an imported name is declared (functions and classes too, through re-exports and barrels): the
   * declaring file (absolute), the name it has there, its parsed tree and that file's own link. Undefined
   * for a package or a name that cannot be followed. Optional: links written for tests may leave it out.
   */
  declaration?(binding: ImportBinding): DeclarationSite | undefined;
  /**
   * The package and name an import comes from when project modules only re-export it (`TRPCError` imported
   * from `./trpc`, which has `export { TRPCError } from '@trpc/server'`); undefined otherwise. Optional.
   */
  origin?(binding: Pick<ImportBinding, 'module' | 'name'>): { module: string; name: string } | undefined;
}

/** A declaration another file imports, as `ImportLink.declaration` finds it. */
export interface DeclarationSite {
  /** Absolute path of the declaring file. */
  file: string;
  /** The name in the declaring file (`default` for a default export). */
  name: string;
  sourceFile: ts.SourceFile;
  /** The declaring file's own link (to follow its imports in turn). */
  link: ImportLink;
}

/** What an expression in a status slot is worth. */
export type Evaluation =
  /** 403 (or a branch that is 403): the edits make it the target. */
  | {
      kind: 'forbidden';
      edits: Edit[];
      /** A branch beside the 403 known only at run time (`err.status` of `err.status || 403`): it may pass a 403 on. */
      passes?: ts.Expression;
      /**
       * A branch beside the 403 that is a parameter of the enclosing function (`code` of `denied ? 403 : code`):
       * its callers choose it, and those passing 403 are followed as a helper's are.
       */
      param?: { evaluation: Extract<Evaluation, { kind: 'param' }>; node: ts.Expression };
    }
  /** A known status other than 403. */
  | { kind: 'static' }
  /**
   * The parameter of the enclosing function: a helper whose status comes from its callers. `property`: the
   * status is one key of an options-object parameter (`({ status }) => …`, `opts.status`).
   */
  | { kind: 'param'; fn: FunctionLike; index: number; name: string; property?: string }
  /**
   * Known only at run time; `why` names the source when it is known (a table read by a computed key); `reason`,
   * when set, is the whole manual reason (a 403 named in a package mtls-fix does not read).
   */
  | { kind: 'dynamic'; why?: string; reason?: string };

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
  /**
   * Set when the receiver is read through a fixed local variable holding it (`const response = h.response()`;
   * analysis/held-receivers.ts): the variable's name, the line it is declared on, and `chained` when what it
   * holds is a call's result (`h.response('no')`, `reply.code(200)`), not the receiver itself.
   */
  held?: { name: string; line: number; chained: boolean };
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
  /** Set when the value is the tRPC code `'FORBIDDEN'`: it matches only helpers whose parameter is a TRPCError's code. */
  code?: true;
  /**
   * Set when `value` is a name imported from another project module and whether it is a 403 is not known yet
   * (reading it means parsing that module): settled when the candidates are matched with helpers
   * (deferred-candidates.ts `settledForbidden`); one that is not a 403 then counts as no candidate at all.
   */
  deferred?: true;
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
  /** An implicit 403's central remap layers (`Site.remapLayers`). */
  remapLayers?: readonly RemapLayer[];
  /** A constant's reads this run writes as the status itself (`Site.replacedUses`). */
  replacedUses?: readonly string[];
  /** A NestJS 403 an exception filter answers (`Site.nestException`). */
  nestException?: NestException;
  /** The note at a Nest filter's `@Catch(ForbiddenException)` (`Site.catchNote`). */
  catchNote?: true;
}

/** A project constant's value and its siblings (`const UNAUTHORIZED = 401` beside `const FORBIDDEN = 403`). */
export interface LocalConstant {
  value: number;
  /** value -> member name, for renaming to a sibling that holds the target. */
  siblings: Map<number, string>;
}
