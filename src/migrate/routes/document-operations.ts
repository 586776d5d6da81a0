import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { DocumentFiles } from './document-files.js';
import type { Project, ProjectFile } from './project.js';
import type { RouterGraphApi, RouterNode } from './wiring.js';
import type { Span } from './model.js';
import { documentPathKey } from './paths.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const HANDLER_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs'];

/** One operation a document binds to a handler: the module (relative to the handlers folder) and its export. */
export interface BoundOperation {
  /** Lower-case HTTP method. */
  method: string;
  /** The document's path key (`/accounts/{id}`), without the server base path. */
  path: string;
  handler: string;
  operationId: string | undefined;
  /** The names of the security schemes it requires (its own `security`, else the document's). */
  security: string[];
}

/** A document's bound operations and its base path (the path of its first server URL, `''` for none). */
export interface BoundDocument {
  basePath: string;
  operations: BoundOperation[];
}

/**
 * How a library reads the binding of one operation (its object, and the path item it sits in): the handler
 * module and export name, or undefined when the operation is not bound (the library leaves it to other routes).
 */
export type Binding = (
  operation: Record<string, unknown>,
  pathItem: Record<string, unknown>,
) => { handler: string; operationId: string | undefined } | undefined;

/** Every operation with an `operationId` is bound to the handler of that name (fastify-openapi-glue, openapi-backend). */
export const bindByOperationId: Binding = (operation) => {
  const id = operation['operationId'];
  return typeof id === 'string' ? { handler: '', operationId: id } : undefined;
};

/**
 * A document on disk that does not parse: its absolute path and the 1-based line where the parser stopped
 * (undefined when the parser names none, or the file cannot be read). When it is a file a `$ref` of the document
 * names (a path item or operation split out), `ref` is that reference's text and the absolute path of the file it
 * is written in, `missing` says the file does not exist, and `pointer` is the reference's fragment (`#/missing`)
 * when the file parses but has no object there; `cycle` says that object leads back, through `$ref`s, to itself.
 * Without `ref`, `missing` says the document itself is no file, and `tried` lists every absolute path the code was
 * read to name (as written from the source's folder, and from its tsconfig `outDir`; document-choices.ts).
 */
export interface DocumentFault {
  file: string;
  line: number | undefined;
  ref?: { text: string; from: string };
  missing?: boolean;
  pointer?: string;
  cycle?: boolean;
  tried?: string[];
}

/**
 * {@link readBoundOperations}, and, when the file exists but does not parse as YAML or JSON, where it stopped
 * (`fault`), so that a caller names the broken document instead of one computed at run time. `files`: the run's
 * parsed files (document-files.ts), so a document several libraries or checks read is parsed once.
 */
export function readDocument(
  files: DocumentFiles,
  file: string,
  bind: Binding,
): { document: BoundDocument | undefined; fault: DocumentFault | undefined } {
  const read = files.read(file);
  // A read error (missing, EISDIR, EACCES) is no fault of the document's text.
  if (read.kind === 'invalid') return { document: undefined, fault: { file, line: read.line } };
  if (read.kind !== 'parsed') return { document: undefined, fault: undefined };
  // A `$ref`'d file that is missing or does not parse: the library cannot load the document at all (its
  // dereferencing throws), so no operation of it is routed; the fault names that file rather than losing its
  // operations without a word.
  const faults: DocumentFault[] = [];
  const document = boundOperations(files, file, read.value, bind, faults);
  const fault = faults[0];
  return fault ? { document: undefined, fault } : { document, fault: undefined };
}

/**
 * The reason an OpenAPI-first library's registration is unread when its document does not parse: the file
 * (relative to `cwd`), the line, and what to do (`the OpenAPI document api/openapi.yaml (line 12) does not parse:
 * its operations' handlers are not read; fix the document`).
 */
export function documentFaultReason(cwd: string, fault: DocumentFault): string {
  const where = fault.line === undefined ? '' : ` (line ${fault.line})`;
  const name = (file: string): string => path.relative(cwd, file) || file;
  if (fault.ref) {
    const ref = `$ref ${fault.ref.text} in ${name(fault.ref.from)}`;
    if (fault.cycle)
      return `the OpenAPI document ${name(fault.file)} has a $ref cycle at ${fault.pointer ?? '#'} (${ref}): its operations' handlers are not read; fix the $ref`;
    if (fault.pointer !== undefined)
      return `the OpenAPI document ${name(fault.file)} has no object at ${fault.pointer} (${ref}): its operations' handlers are not read; fix the $ref`;
    return fault.missing
      ? `the OpenAPI document ${name(fault.file)} does not exist (${ref}): its operations' handlers are not read; fix the $ref or add the file`
      : `the OpenAPI document ${name(fault.file)}${where} does not parse (${ref}): its operations' handlers are not read; fix the document`;
  }
  if (fault.missing) {
    const tried = (fault.tried ?? [fault.file]).map(name).join(', ');
    return `the OpenAPI document the code names is not on disk (tried ${tried}: a path from the module's folder or process.cwd() is read as written and as the compiled code in the tsconfig outDir reads it): its operations' handlers are not read; add the file or fix the path`;
  }
  return `the OpenAPI document ${name(fault.file)}${where} does not parse: its operations' handlers are not read; fix the document`;
}

/**
 * The operations of the OpenAPI/Swagger document at `file` (YAML or JSON; a path item may be a relative `$ref`
 * to another file) that `bind` binds to handlers, for the libraries that route from the document
 * (express-openapi-validator `operationHandlers`, oas3-tools). Undefined when the file cannot be read or parsed
 * ({@link readDocument} says where it does not parse).
 */
export function readBoundOperations(
  files: DocumentFiles,
  file: string,
  bind: Binding,
): BoundDocument | undefined {
  return readDocument(files, file, bind).document;
}

/** The bound operations of a parsed document; each `$ref`'d file that is missing or does not parse goes to `faults`. */
function boundOperations(
  files: DocumentFiles,
  file: string,
  document: unknown,
  bind: Binding,
  faults: DocumentFault[],
): BoundDocument | undefined {
  if (!isRecord(document)) return undefined;
  // `paths: { $ref: ./paths/index.yaml }`: the Paths object itself split out (the libraries dereference every
  // `$ref`); its path items' own references start from that file.
  const paths = resolvedRef(files, file, document['paths'], faults);
  if (!paths) return undefined;
  const operations: BoundOperation[] = [];
  for (const [route, item] of Object.entries(paths.value)) {
    const resolved = resolvedRef(files, paths.file, item, faults);
    if (!resolved) continue;
    const pathItem = resolved.value;
    for (const method of HTTP_METHODS) {
      // An operation may be a `$ref` of its own (`post: { $ref: './paths/auth/login.yml' }`, as Redocly splits a
      // document): its file is relative to the path item's.
      const operation = resolvedRef(files, resolved.file, pathItem[method], faults)?.value;
      if (!isRecord(operation)) continue;
      const binding = bind(operation, pathItem);
      const security = schemeNames(operation['security'] ?? document['security']);
      if (binding) operations.push({ method, path: route, ...binding, security });
    }
  }
  const basePath =
    typeof document['basePath'] === 'string'
      ? document['basePath'].replace(/\/+$/, '')
      : serverBasePath(document['servers']);
  return { basePath, operations };
}

/** The scheme names of a security requirement list (`[{ jwt: [] }, { apiKey: [] }]` → `jwt`, `apiKey`). */
function schemeNames(requirements: unknown): string[] {
  if (!Array.isArray(requirements)) return [];
  const names = new Set<string>();
  for (const requirement of requirements as unknown[])
    if (isRecord(requirement)) for (const name of Object.keys(requirement)) names.add(name);
  return [...names];
}

/**
 * A path item or operation object, or the object a `$ref` names: in the same document (`#/components/pathItems/pets`)
 * or in the file a relative reference names (as n8n's public API splits its document), with the file it was read
 * from (where its own relative references start). A referenced file that does not exist or does not parse, or
 * has no object at the reference's fragment, is pushed to `faults` (the libraries' dereferencing throws on each).
 */
function resolvedRef(
  files: DocumentFiles,
  documentFile: string,
  item: unknown,
  faults: DocumentFault[],
): { value: Record<string, unknown>; file: string } | undefined {
  let value = item;
  let file = documentFile;
  // A `$ref`'d object may itself be a `$ref` (`#/x-items/a` holding `$ref: ./paths/a.yaml`): followed to the end,
  // each hop from the file it is written in; a chain back to a reference already followed is a cycle, named.
  const seen = new Set<string>();
  for (;;) {
    if (!isRecord(value)) return undefined;
    const ref = value['$ref'];
    if (typeof ref !== 'string') return { value, file };
    // A URL (`https://…/pets.yaml`) is fetched by the library at run time: not a file here.
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return undefined;
    const [relative = '', pointer = ''] = ref.split('#', 2);
    const target = relative === '' ? file : path.resolve(path.dirname(file), relative);
    const at = { text: ref, from: file };
    const key = `${target}#${pointer}`;
    if (seen.has(key)) {
      faults.push({ file: target, line: undefined, ref: at, pointer: `#${pointer}`, cycle: true });
      return undefined;
    }
    seen.add(key);
    const read = files.read(target);
    if (read.kind === 'missing') faults.push({ file: target, line: undefined, ref: at, missing: true });
    if (read.kind === 'invalid') faults.push({ file: target, line: read.line, ref: at });
    if (read.kind !== 'parsed') return undefined;
    const loaded = pointed(read.value, pointer);
    if (!isRecord(loaded)) {
      faults.push({ file: target, line: undefined, ref: at, pointer: `#${pointer}` });
      return undefined;
    }
    value = loaded;
    file = target;
  }
}

/** The value at a JSON pointer (`/paths/~1pets`: tokens URI-decoded, `~1` for `/`, `~0` for `~`; RFC 6901). */
function pointed(value: unknown, pointer: string): unknown {
  let at = value;
  for (const token of pointer.split('/').slice(1)) {
    let key: string;
    try {
      key = decodeURIComponent(token);
    } catch {
      key = token;
    }
    key = key.replaceAll('~1', '/').replaceAll('~0', '~');
    at = isRecord(at) ? at[key] : undefined;
  }
  return at;
}

/** The path of the first server URL (`http://host/v1` → `/v1`): the base path these libraries serve under. */
function serverBasePath(servers: unknown): string {
  const first = Array.isArray(servers) ? (servers[0] as unknown) : undefined;
  const url = isRecord(first) ? first['url'] : undefined;
  if (typeof url !== 'string' || url.includes('{')) return '';
  const pathname = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url)?.[1] ?? (url.startsWith('/') ? url : '');
  return pathname.replace(/\/+$/, '');
}

/**
 * The export an operation names in `<folder>/<handler>` (any source extension, or the folder's index): a
 * function declaration, or the value a variable holds (`export const h = [check, async (req, res) => …]`) or a
 * member of an exported object has (`module.exports = { getOrder: (req, res) => … }`, `{ hello }`).
 * Undefined when the module is not a project file or does not export that name.
 */
export function exportedHandler(
  project: Project,
  folder: string,
  operation: BoundOperation,
): { file: ProjectFile; node: ts.Node } | undefined {
  if (!operation.operationId) return undefined;
  const base = path.resolve(folder, operation.handler).replace(/\.[cm]?[jt]s$/, '');
  const candidates = [
    ...HANDLER_EXTENSIONS.map((e) => base + e),
    ...HANDLER_EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  for (const candidate of candidates) {
    const module = project.file(candidate);
    if (!module) continue;
    const found = project.exportOf(module, operation.operationId)[0];
    if (!found) return undefined;
    const node = found.node;
    if (ts.isVariableDeclaration(node) && node.initializer)
      return { file: found.file, node: node.initializer };
    // `module.exports = { getOrder: (req, res) => … }` (a127's generated controllers): the member's value.
    if (ts.isPropertyAssignment(node)) return { file: found.file, node: node.initializer };
    if (ts.isShorthandPropertyAssignment(node)) return { file: found.file, node: node.name };
    return found;
  }
  return undefined;
}

/** The first path that exists on disk (a folder a function picks at run time by what exists). */
export function firstExisting(values: readonly string[]): string | undefined {
  return values.find((v) => existsSync(v));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The operations a router serves from its document (`child`): each a route to the handler `handlerOf` finds, or,
 * with none, an unread registration at `call` (the call that serves the document) saying why (`missing`): listed
 * for review by hand, never dropped. `guardsOf`: code the library runs for an operation besides its handler,
 * wherever it is written (openapi-backend's security handlers and `unauthorizedHandler` for a secured
 * operation), added to the route's handlers so that what it answers is reached by that operation (to the unread
 * registration's, for an operation without a handler: at the operation's own method and path, `handlerUnread`, so
 * that a site it reaches is decided by that operation, routes/index.ts `withHandlerUnread`).
 */
export function addOperationRoutes(
  graph: RouterGraphApi,
  child: RouterNode,
  at: { file: ProjectFile; call: ts.Node },
  operations: readonly BoundOperation[],
  handlerOf: (operation: BoundOperation) => { file: ProjectFile; node: ts.Node } | undefined,
  missing: (operation: BoundOperation) => string,
  guardsOf?: (operation: BoundOperation) => Span[],
): void {
  for (const operation of operations) {
    const handler = handlerOf(operation);
    if (handler) {
      graph.addRoute(
        child,
        handler.file,
        handler.node,
        operation.method,
        [documentPathKey(operation.path)],
        [handler.node as ts.Expression],
      );
      const added = child.entries[child.entries.length - 1];
      if (guardsOf && added?.kind === 'route') added.handlers.push(...guardsOf(operation));
    } else {
      graph.addUnread(
        child,
        at.file,
        at.call,
        operation.method,
        `${operation.method.toUpperCase()} ${operation.path}: ${missing(operation)}`,
        [],
        // Its method and path are known, only its handler is not: middleware scoped to other paths does not run
        // for it, and it answers its own operation only (read as `*`, it answered every one; fixr40b).
        documentPathKey(operation.path),
      );
      // The guards run for it all the same (openapi-backend checks security before it looks for a handler).
      const added = child.entries[child.entries.length - 1];
      if (added?.kind === 'unread') {
        added.handlerUnread = true;
        if (guardsOf) added.handlers.push(...guardsOf(operation));
      }
    }
  }
}

/**
 * {@link addOperationRoutes} for the libraries that bind each operation to an export of a controller module in
 * `folder` (`x-swagger-router-controller`, `x-eov-operation-handler`, named by `extension`): the handler is
 * {@link exportedHandler}; an operation whose module or export is not found is listed with the extension, the
 * module and the folder. `guardsOf`: as for {@link addOperationRoutes}.
 */
export function addControllerRoutes(
  graph: RouterGraphApi,
  child: RouterNode,
  at: { file: ProjectFile; call: ts.Node },
  operations: readonly BoundOperation[],
  folder: string,
  extension: string,
  guardsOf?: (operation: BoundOperation) => Span[],
): void {
  addOperationRoutes(
    graph,
    child,
    at,
    operations,
    (operation) => exportedHandler(graph.project, folder, operation),
    (operation) =>
      `${extension} '${operation.handler}' names no export ${operation.operationId ?? '(no operationId)'} under ${path.relative(graph.project.cwd, folder) || '.'}`,
    guardsOf,
  );
}
