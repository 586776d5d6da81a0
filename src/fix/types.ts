import type { ResolvedConfig } from '../config/resolve.js';
import type { MtlsFixError } from '../errors.js';
import type { CheckedSummary, LintHint } from '../lint/types.js';
import type { JsonPath, SourceFile } from '../openapi/index.js';

/** `keep`: remove the 403, keep the documented status, list what is lost; `merge`: fold it in; `report`: leave both. */
export type ConflictMode = 'keep' | 'merge' | 'report';

/** `write` edits files; `dry-run` returns a diff; `check` only reports; `overlay` returns an Overlay 1.0 document. */
export type FixMode = 'write' | 'dry-run' | 'check' | 'overlay';

export interface FixOptions {
  /** Documents (absolute, or relative to `cwd`). */
  files: string[];
  config: ResolvedConfig;
  cwd?: string;
  mode: FixMode;
  onConflict?: ConflictMode;
  /** Rename a 403 response component when every user is migrated: true for the default name, or the name. */
  renameComponents?: boolean | string;
  /** For a 401 target: add a WWW-Authenticate header object with this scheme to each new 401 lacking one. */
  wwwAuthenticate?: string;
  /** Absolute paths a glob found: one that is not an OpenAPI document at all is skipped, not an error. */
  globbed?: ReadonlySet<string>;
  /**
   * Other documents (absolute, or relative to `cwd`) whose operations may reach this run's files: a 403 key
   * one of them reads without migrating it is skipped. Default: the plain paths of config `spec`; the command
   * passes config `spec` with its globs expanded. The run's own `files` always count.
   */
  sharedWith?: string[];
  /** Skip every file that is not an OpenAPI document at all, named or globbed. */
  skipNonOpenApi?: boolean;
  /**
   * For files of the run that are fragments (YAML / JSON, not OpenAPI by themselves; absolute paths): the
   * documents that `$ref` them (`fragmentRootsOf`). A skipped fragment's documents are fixed in the run; one
   * that no document uses but that documents a 403 is an input error, not a skip.
   */
  fragmentRoots?: ReadonlyMap<string, string[]>;
}

/**
 * What happened to one 403 key (shared by `operations` when several reach it):
 * `renamed` to the agreed status; `removed` because the operation already documents it; `merged` into it
 * (`--on-conflict merge`); `conflict` left beside it (`--on-conflict report`); `skipped` as unsafe to edit.
 * `replaced`: an API Gateway integration response's `statusCode` set to the agreed status (`site`
 * `integration-response`; such a change is otherwise only ever `skipped`).
 */
export type FixAction = 'renamed' | 'removed' | 'merged' | 'conflict' | 'skipped' | 'replaced';

export interface FixChange {
  action: FixAction;
  operations: string[];
  /**
   * The file holding the key (relative to cwd, `/`-separated) and the key's 1-based line; for a 403 inherited
   * through a YAML merge key, the line lint reports (the `<<`), the anchored entry's line being in the reason.
   */
  file: string;
  line: number;
  /** JSON pointer of the key in that file. */
  pointer: string;
  from: string;
  to: string;
  /** What the 403 held that the kept response lacks (after a merge: what could not be folded in). */
  lost: string[];
  /** What was added: merged parts, `header WWW-Authenticate`. */
  added: string[];
  /**
   * A renamed response's own body members that said 403 and now say the agreed status (body-status.ts: a problem
   * details `status` / `title` in its examples and inline schema), such as `application/problem+json example
   * status`; absent when none.
   */
  body?: string[];
  reason?: string;
  /**
   * A 403 renamed to 401 whose response (its `$ref` followed) has no `WWW-Authenticate` header, and none was added
   * (no `--www-authenticate`): RFC 9110 §15.5.2 says a 401 MUST carry one, so the report counts these (session 29;
   * before, the run read as done).
   */
  noChallenge?: true;
  /**
   * Unset for a response key. `integration-response`: the change is to the `statusCode` value of an Amazon API
   * Gateway integration response (`x-amazon-apigateway-integration.responses.<selection>`), `pointer` and
   * `line` being the value's; `from` / `to` the status as written and the agreed status. `gateway-response`: the
   * same for a gateway response's `statusCode`. `gateway-default`: a gateway response type an API Gateway REST API
   * sent with its default 403 is given the agreed status (`from` is `403`); `file` and `line` are what lint
   * reports (the authorizer, the API key scheme, `paths`), `pointer` where the `statusCode` is written.
   * `kong-plugin`: an `x-kong-plugin-*` extension whose Kong plugin answers 403 gets the agreed status in its status
   * setting (`pointer`: `config.status` / `config.status_code`), or is skipped when it has none.
   */
  site?: 'integration-response' | 'gateway-response' | 'gateway-default' | 'kong-plugin';
  /**
   * For an `integration-response`: its selection pattern as written (`.*Forbidden.*`, `default`); for a
   * `gateway-response` (`x-amazon-apigateway-gateway-responses.<type>.statusCode`) or `gateway-default`: its type
   * (`ACCESS_DENIED`); for a `kong-plugin`: the plugin (`ip-restriction`).
   */
  selection?: string;
}

/** One 403 key and every mTLS operation that reaches it. */
export interface KeyGroup {
  file: SourceFile;
  keyPath: JsonPath;
  code: string;
  operations: string[];
  change: FixChange;
}

export interface ComponentChange {
  action: 'renamed' | 'skipped';
  file: string;
  line: number;
  pointer: string;
  from: string;
  to: string;
  /** `$ref`s rewritten to the new name. */
  refs: number;
  reason?: string;
}

export interface FixedFile {
  /** Display path. */
  file: string;
  before: string;
  after: string;
}

/**
 * A response `fix` never edits but `lint` warns about (`mtls-4xx-range`): a `4XX` range, or a `default` standing
 * alone, on an mTLS-secured operation. A range cannot be renamed to one status, and the server may answer 403
 * under it: the code (`mtls-fix migrate`) must answer the agreed status. Listed so a run with nothing to rename
 * does not read as clean.
 */
export interface FixLeft {
  operations: string[];
  /** The file holding the key (relative to cwd, `/`-separated) and the key's 1-based line. */
  file: string;
  line: number;
  /** JSON pointer of the key in that file. */
  pointer: string;
  /** The key as written: `4XX`, `default`. */
  code: string;
  /**
   * The line of the response's description that names a 403 (`| 403 | FORBIDDEN | … |`), shortened; absent
   * when it names none. That text says 403 is sent and changes with the code (openapi/responses.ts).
   */
  described?: string;
}

/**
 * A 403 that lint finds but a suppression covers (`x-mtls-fix-ignore: "<reason>"`, a config `ignore` entry):
 * `fix` leaves it as it is and lists it, so a run that changed nothing does not read as clean.
 */
export interface FixSuppressed {
  operations: string[];
  /** The file holding the key or `statusCode` (relative to cwd, `/`-separated) and its 1-based line. */
  file: string;
  line: number;
  /** JSON pointer of the key (or the integration response's `statusCode`) in that file. */
  pointer: string;
  /** Who suppressed it (`response`, `operation`, `path-item`, `config`) and why, as written. */
  by: 'operation' | 'path-item' | 'response' | 'config';
  reason: string;
}

export interface FixDocumentResult {
  /** The root document (display path). */
  document: string;
  changes: FixChange[];
  /** Suppressed 403s, left as they are (see {@link FixSuppressed}). */
  suppressed: FixSuppressed[];
  /** `4XX` / `default` responses of mTLS-secured operations, left as they are (see {@link FixLeft}). */
  left: FixLeft[];
  components: ComponentChange[];
  /** Files whose text changes (written under `write`). */
  files: FixedFile[];
}

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: true;
}

export interface OverlayDocument {
  overlay: '1.0.0';
  info: { title: string; version: string };
  extends?: string;
  actions: OverlayAction[];
}

export interface FixReport {
  status: number;
  mode: FixMode;
  documents: FixDocumentResult[];
  /** Under `dry-run`: unified diff of every changed file (empty in the other modes). */
  diff: string;
  /** Under `overlay`: the actions for every change (one document). */
  overlay?: OverlayDocument;
  /**
   * Documents that could not be fixed (unreadable, not UTF-8, broken, read-only, changed while running...):
   * nothing of them was written; the others were. Exit 2.
   */
  errors: MtlsFixError[];
  /**
   * Responses of mTLS-secured operations that cannot be read (a `404` whose `$ref` leads nowhere): they cannot
   * hold a 403 finding, so their document was fixed, but each is an input error (exit 2), named on stderr.
   * Also every path item or operation that cannot be read, with the responses of that document: then the
   * document was not changed at all (its entry in `errors` says so).
   */
  unread: MtlsFixError[];
  /** Files that are not OpenAPI documents at all, skipped (found by a glob, or under `skipNonOpenApi`). */
  skipped: { file: string; reason: string }[];
  /** Documents, operations and mTLS-secured operations checked (the human report's last line). */
  summary?: CheckedSummary;
  /** Documents that speak of mTLS while none of their operations is mTLS-secured. */
  hints?: LintHint[];
}
