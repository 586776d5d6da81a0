import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SpecOperation } from './match.js';
import type { CodeRoute } from './model.js';
import { codePathOf, compareSegments, PARAM, type Segments } from './paths.js';
import { compareText } from '../../util/compare.js';
import { linesOfText } from '../../util/lines.js';

/**
 * Which service an OpenAPI document describes (`--spec a.yaml --spec b.yaml`, a document per service of a
 * monorepo): the service folders whose routes its operations may match, and how that was found. A service
 * folder is a folder holding a package.json (the working folder when none holds one below it).
 */
export interface DocumentScope {
  /** The document, relative to the working folder, `/`-separated. */
  document: string;
  /** Service folders (relative, `''` the working folder) whose routes it matches; absent: every route. */
  folders?: string[];
  /** How the folders were found (`read by src/app.ts:12`), or why they could not be. */
  how: string;
}

/** The scopes, and which route (or file) each operation may be matched with. */
export interface DocumentScopes {
  /** One per document; empty when one document and one service leave nothing to tell apart. */
  scopes: DocumentScope[];
  /** Whether `operation` may be answered by `route` (its document's service registers it). */
  allows: (route: CodeRoute, operation: SpecOperation) => boolean;
  /** Whether `operation` may be answered by code in `file` (a test's request), relative to the working folder. */
  allowsFile: (file: string, operation: SpecOperation) => boolean;
}

/** What `scopeDocuments` reads. */
export interface ScopeInput {
  cwd: string;
  /** The documents `--spec` names, as given (relative to `cwd` or absolute). */
  documents: readonly string[];
  operations: readonly SpecOperation[];
  routes: readonly CodeRoute[];
  /** Non-test source files; their text is searched for the documents' file names. */
  sources: readonly { absolute: string; relative: string }[];
  text: (absolute: string) => string;
}

/**
 * Gives each document the services it describes, from what the code shows, in this order:
 * 1. the services whose code names the document's file (`readFileSync(join(__dirname, 'openapi.yaml'))`,
 *    `apiSpec: 'src/openapi.yaml'`, `import spec from '../openapi.json'`), resolved from the naming file's folder
 *    and its parents up to the working folder, the first that holds such a file;
 * 2. the service folder beside the document (its nearest package.json), when that service registers routes;
 * 3. the services that alone register routes under its servers' base path (`servers: [{ url: /orders }]`).
 * A document none of these places is matched against every route, and its scope says so. A route belongs to
 * the deepest folder a document claims that holds its app (the file of the app it is mounted on) or, failing
 * that, its registration; a document with folders matches only the routes that belong to one of them.
 */
export function scopeDocuments(input: ScopeInput): DocumentScopes {
  return bySourceFolder(input, serviceFolders(input.cwd), byService(input));
}

/**
 * A document kept in a source folder of its service, beside some of the service's routes but not all of them
 * (mojaloop/sdk-scheme-adapter: `src/InboundServer/api.yaml` beside the inbound Koa server's handler map, while
 * `src/OutboundServer/` and `src/TestServer/` register the other servers of the same package), describes the
 * routes registered in that folder: its operations match no other route of that service. A route counts as
 * registered where the app it is mounted on is written (else where it is registered). Routes of other services
 * keep the scope found by service. A document in the service's own folder, or in a folder with no route
 * (`docs/`, `api/`), or with every route of its service below it, is not narrowed.
 */
function bySourceFolder(
  input: ScopeInput,
  folderOf: (file: string) => string,
  scoped: DocumentScopes,
): DocumentScopes {
  const narrowed = new Map<string, { service: string; folder: string }>();
  for (const document of input.documents.map((d) => relative(input.cwd, d))) {
    const folder = path.posix.dirname(document);
    const service = folderOf(document);
    if (folder === '.' || folder === service || folder.startsWith('..')) continue;
    const own = input.routes.filter((r) => !r.unresolved && folderOf(r.app ?? r.file) === service);
    const inside = own.filter((r) => contains(folder, r.app ?? r.file));
    if (inside.length && inside.length < own.length) narrowed.set(document, { service, folder });
  }
  if (!narrowed.size) return scoped;
  const allows = (route: CodeRoute, operation: SpecOperation): boolean => {
    if (!scoped.allows(route, operation)) return false;
    const narrow = narrowed.get(operation.source);
    if (!narrow || route.unresolved) return true;
    const at = route.app ?? route.file;
    return folderOf(at) !== narrow.service || contains(narrow.folder, at);
  };
  const scopes = [...scoped.scopes];
  for (const [document, narrow] of narrowed) {
    const how = `kept in ${narrow.folder}/ beside routes of its service: it describes the routes registered there, not the service's others`;
    const index = scopes.findIndex((scope) => scope.document === document);
    if (index >= 0) scopes[index] = { ...scopes[index], how: `${scopes[index].how}; ${how}` };
    else scopes.push({ document, folders: [narrow.service], how });
  }
  return { scopes, allows, allowsFile: scoped.allowsFile };
}

/** The scopes found by service folder (the three rules of `scopeDocuments`). */
function byService(input: ScopeInput): DocumentScopes {
  const folderOf = serviceFolders(input.cwd);
  const routeFolder = new Map<CodeRoute, string>();
  for (const route of input.routes) routeFolder.set(route, folderOf(route.app ?? route.file));
  // A registration-shaped call that may be an HTTP client's request shows no service (handler-arguments.ts).
  const withRoutes = new Set(
    input.routes.filter((r) => !r.maybeClient).map((r) => folderOf(r.app ?? r.file)),
  );
  const documents = input.documents.map((d) => relative(input.cwd, d));
  if (documents.length < 2 && withRoutes.size < 2) return everything();

  const references = findReferences(input, documents);
  const scopes: DocumentScope[] = documents.map((document) => {
    const read = (references.get(document) ?? []).filter((r) => withRoutes.has(folderOf(r.file)));
    if (read.length) {
      const first = read[0];
      return {
        document,
        folders: unique(read.map((r) => folderOf(r.file))),
        how: `read by ${first.file}:${first.line}${read.length > 1 ? ` and ${read.length - 1} more` : ''}`,
      };
    }
    const beside = folderOf(document);
    if (withRoutes.has(beside))
      return { document, folders: [beside], how: `beside ${join(beside, 'package.json')}` };
    const served = servedUnderBase(document, input.operations, input.routes, routeFolder, withRoutes.size);
    if (served) return { document, ...served };
    return {
      document,
      how:
        'mtls-fix cannot tell which service it describes (no code names it, no service beside it registers routes, ' +
        'no base path of its servers is served by one service alone): its operations are matched against the routes of every service',
    };
  });

  const claimed = unique(scopes.flatMap((s) => s.folders ?? [])).sort((a, b) => b.length - a.length);
  const owner = (folder: string): string | undefined => claimed.find((c) => contains(c, folder));
  const byDocument = new Map(scopes.map((s) => [s.document, s]));
  const allowedIn = (folder: string, operation: SpecOperation): boolean => {
    const scope = byDocument.get(operation.source);
    if (!scope?.folders) return true;
    // A service of its own that registers routes (a mock server with its package.json under `docker/`) is no part
    // of an enclosing service a document claims: only a claimed folder, or a folder without routes, falls to it.
    const own = withRoutes.has(folder) && !claimed.includes(folder) ? undefined : owner(folder);
    return own !== undefined && scope.folders.includes(own);
  };
  return {
    scopes,
    allows: (route, operation) => allowedIn(routeFolder.get(route) ?? folderOf(route.file), operation),
    allowsFile: (file, operation) => allowedIn(folderOf(file), operation),
  };
}

function everything(): DocumentScopes {
  return { scopes: [], allows: () => true, allowsFile: () => true };
}

/** Where a file of the working folder names a document, by document. */
function findReferences(
  input: ScopeInput,
  documents: readonly string[],
): Map<string, { file: string; line: number }[]> {
  const out = new Map<string, { file: string; line: number }[]>();
  const names = unique(documents.map((d) => path.posix.basename(d)));
  const wanted = new Set(documents.map((d) => path.resolve(input.cwd, d)));
  for (const source of input.sources) {
    const text = input.text(source.absolute);
    for (const name of names) {
      let at = text.indexOf(name);
      while (at >= 0) {
        const literal = quotedAround(text, at, name.length);
        const target = literal === undefined ? undefined : resolveNamed(input.cwd, source.absolute, literal);
        if (target && wanted.has(target)) {
          const document = relative(input.cwd, target);
          const list = out.get(document) ?? [];
          if (!list.some((r) => r.file === source.relative))
            list.push({ file: source.relative, line: linesOfText(text).line(at) });
          out.set(document, list);
        }
        at = text.indexOf(name, at + name.length);
      }
    }
  }
  return out;
}

/**
 * The path a string literal spells around `text[at, at + length)`, if the name sits at the end of one
 * (`'./openapi.yaml'`, `` `${__dirname}/openapi.yaml` `` gives `openapi.yaml`).
 */
function quotedAround(text: string, at: number, length: number): string | undefined {
  const quote = text.charAt(at + length);
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let start = at;
  while (start > 0 && text.charAt(start - 1) !== quote && text.charAt(start - 1) !== '\n') start--;
  if (text.charAt(start - 1) !== quote) return undefined;
  const literal = text.slice(start, at + length);
  // The part after the last template substitution: a run-time folder (`${__dirname}`) then the path.
  const tail = literal.slice(literal.lastIndexOf('}') + 1);
  return tail.replace(/^\/+/, '');
}

/** The file a literal names, from the naming file's folder up to the working folder: the first that exists. */
function resolveNamed(cwd: string, file: string, literal: string): string | undefined {
  if (path.isAbsolute(literal)) return existsSync(literal) ? literal : undefined;
  let folder = path.dirname(file);
  for (;;) {
    const candidate = path.resolve(folder, literal);
    if (existsSync(candidate)) return candidate;
    if (folder === cwd || !isInside(cwd, folder)) return undefined;
    folder = path.dirname(folder);
  }
}

/**
 * The services that alone register routes under a base path of the document's servers: a document whose
 * servers say `/orders` describes the service whose routes are served under `/orders`.
 */
function servedUnderBase(
  document: string,
  operations: readonly SpecOperation[],
  routes: readonly CodeRoute[],
  routeFolder: ReadonlyMap<CodeRoute, string>,
  services: number,
): { folders: string[]; how: string } | undefined {
  const bases = new Map<string, Segments>();
  for (const operation of operations) {
    if (operation.source !== document) continue;
    const plain = operation.variants.find((v) => !v.viaBase)?.segments ?? [];
    for (const variant of operation.variants) {
      if (!variant.viaBase) continue;
      const base = variant.segments.slice(0, variant.segments.length - plain.length);
      if (base.length && base.some((s) => s !== PARAM)) bases.set(base.join('/'), base);
    }
  }
  if (!bases.size) return undefined;
  const folders = new Set<string>();
  for (const route of routes) {
    if (route.unresolved) continue;
    const alternatives = codePathOf(route.path, route.syntax);
    const under = [...bases.values()].some((base) =>
      alternatives.some(
        (code) => code.length >= base.length && compareSegments(code.slice(0, base.length), base),
      ),
    );
    const folder = routeFolder.get(route);
    if (under && folder !== undefined) folders.add(folder);
  }
  if (!folders.size || folders.size >= services) return undefined;
  const base = [...bases.keys()].sort(compareText)[0];
  return {
    folders: [...folders].sort(compareText),
    how: `its servers' base path /${base} is served there alone`,
  };
}

/** The service folder of a file (relative): its nearest folder holding a package.json, `''` for the working folder. */
function serviceFolders(cwd: string): (file: string) => string {
  const known = new Map<string, string>();
  const of = (folder: string): string => {
    const cached = known.get(folder);
    if (cached !== undefined) return cached;
    const found =
      folder === '' || folder === '.'
        ? ''
        : existsSync(path.join(cwd, folder, 'package.json'))
          ? folder
          : of(path.posix.dirname(folder) === '.' ? '' : path.posix.dirname(folder));
    known.set(folder, found);
    return found;
  };
  return (file) => {
    const dir = path.posix.dirname(file);
    return dir.startsWith('..') || path.isAbsolute(dir) ? '' : of(dir === '.' ? '' : dir);
  };
}

function contains(folder: string, inner: string): boolean {
  return folder === '' || inner === folder || inner.startsWith(`${folder}/`);
}

function isInside(root: string, folder: string): boolean {
  const rel = path.relative(root, folder);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return (rel.startsWith('..') ? path.resolve(cwd, file) : rel).split(path.sep).join('/');
}

function join(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
