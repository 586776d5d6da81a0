import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import { calleeName, returnedExpressions } from './syntax.js';
import { DirEvaluator } from './fastify-autoload.js';
import { noteDocumentCopy } from './document-copies.js';
import { importedFrom, isFunctionNode, staticString, unwrap, type ProjectFile } from './project.js';
import type { RouterGraphApi } from './wiring.js';

/** A file name an OpenAPI document may have (`openapi.yaml`, `api.v1.json`). */
const DOCUMENT_FILE = /\.(ya?ml|json)$/i;
/** Calls that read a file's text: `fs.readFileSync(p, 'utf8')`, `await readFile(p)`, `Deno.readTextFile(p)`. */
const READERS = new Set(['readFileSync', 'readFile', 'readTextFile', 'readTextFileSync']);
/** Calls that turn a document's text (or, for yamljs `YAML.load`, its path) into an object. */
const PARSERS = new Set(['parse', 'load', 'safeLoad', 'loadSync', 'parseDocument']);
/** Calls that copy the document they are given. */
const COPIES = new Set(['stringify', 'structuredClone', 'cloneDeep', 'clone']);
/** Options that name a bundler's output file (redocly, swagger-cli, openapi-cli, speccy, json-refs). */
const OUTPUT_OPTIONS = new Set(['-o', '--output', '--outfile', '--output-file', '--out']);
/** Sub-commands that write one resolved document from a multi-file one. */
const BUNDLE_COMMANDS = new Set(['bundle', 'resolve', 'join']);

/**
 * The file holding the OpenAPI document a library is given (fastify-openapi-glue `specification`,
 * openapi-backend `definition`, express-openapi-validator `apiSpec`, oas3-tools' first argument), as an absolute
 * path, or undefined when the code computes it at run time. The option may be:
 * - a path, spelled as `@fastify/autoload`'s `dir` is (`path.join(__dirname, 'api.yaml')`, `new URL(…,
 *   import.meta.url)`, a constant);
 * - the document itself, parsed from a file: a JSON or YAML module imported or required
 *   (`import spec from '@acme/contracts/openapi.v1.json' with { type: 'json' }`, `require('./openapi.json')`,
 *   resolved through workspace packages' `exports`), or the result of parsing a file's text
 *   (`YAML.parse(readFileSync(p, 'utf8'))`, `yaml.load(fs.readFileSync(p))`, `JSON.parse(…)`, yamljs
 *   `YAML.load(p)`), also through the variables holding each step.
 * A document file that is not on disk but that a package.json script of a folder above it writes by bundling
 * another (`redocly bundle openapi/v1/openapi.yml --output dist/openapi.v1.json`, `swagger-cli bundle in -o out`)
 * is read from that source: the bundle holds the same operations (the build output of a fresh clone is absent).
 */
export function documentFile(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): string | undefined {
  return documentLookup(graph, file, expression).file;
}

/**
 * {@link documentFile}, and every path the code was read to name on the way (`tried`, absolute: the path as
 * written from the source's folder and as the compiled code reads it from its tsconfig `outDir`, DirEvaluator
 * `candidates`), so that a caller names a document that none of them holds instead of one computed at run time.
 */
export function documentLookup(
  graph: RouterGraphApi,
  file: ProjectFile,
  expression: ts.Expression,
): { file: string | undefined; tried: string[] } {
  const source = new DocumentSource(graph);
  const found = source.file(file, expression, 0);
  const tried = found === undefined ? [] : [found, ...source.tried.filter((t) => t !== found)];
  if (found === undefined || existsSync(found)) return { file: found, tried };
  return { file: bundledFrom(found, graph.project.cwd) ?? found, tried };
}

class DocumentSource {
  /** The paths the evaluated expressions named (DirEvaluator `candidates`), in the order read. */
  readonly tried: string[] = [];

  constructor(private readonly graph: RouterGraphApi) {}

  /** A path expression's value, the first candidate that exists (else the first); each candidate is noted. */
  private path(file: ProjectFile, expression: ts.Expression): string | undefined {
    const all = new DirEvaluator(this.graph, file).candidates(expression);
    for (const c of all) if (!this.tried.includes(c)) this.tried.push(c);
    // Both readings on disk and different: the report names the one taken.
    noteDocumentCopy(this.graph.project, file, expression, all);
    return all.find((c) => existsSync(c)) ?? all[0];
  }

  file(file: ProjectFile, expression: ts.Expression, depth: number): string | undefined {
    if (depth > 8) return undefined;
    let node = unwrap(expression);
    while (ts.isAwaitExpression(node)) node = unwrap(node.expression);
    const asPath = this.path(file, node);
    if (asPath !== undefined) return asPath;
    if (ts.isIdentifier(node)) return this.identifier(file, node, depth);
    if (ts.isPropertyAccessExpression(node)) return this.decorated(file, node, depth);
    if (!ts.isCallExpression(node)) return undefined;
    const name = calleeName(node);
    const first = node.arguments[0];
    if (!name || !first) return this.returned(file, node, depth);
    if (READERS.has(name)) return this.path(file, first);
    // A copy of the document: `JSON.stringify(api)` (then parsed back), `structuredClone(api)`, `cloneDeep(api)`.
    if (COPIES.has(name)) return this.file(file, first, depth + 1);
    if (!PARSERS.has(name)) return this.returned(file, node, depth);
    // yamljs `YAML.load('./openapi.yaml')` takes the path; the others take the text a reader returned.
    const inner = this.file(file, first, depth + 1);
    return inner !== undefined && DOCUMENT_FILE.test(inner) ? inner : undefined;
  }

  /**
   * What a project function returns: the document it reads itself (`loadSpec()` returning `yaml.load(…)`), or a
   * copy of the one passed to it (`removeTags(api, 'example')` returning `JSON.parse(JSON.stringify(api, …))`,
   * ogcapi-gpkg): the operations are the document's (a transformation may drop some; none are added).
   */
  private returned(file: ProjectFile, call: ts.CallExpression, depth: number): string | undefined {
    for (const fn of this.graph.functionsOf(file, call.expression)) {
      for (const value of returnedExpressions(fn)) {
        const index = copiedParameter(fn.node, value);
        const argument = index === undefined ? undefined : call.arguments[index];
        const found = argument
          ? this.file(file, argument, depth + 1)
          : index === undefined
            ? this.file(fn.file, value, depth + 1)
            : undefined;
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /** `fastify.api` where the file decorates the instance with it: `fastify.decorate('api', api)`. */
  private decorated(file: ProjectFile, node: ts.PropertyAccessExpression, depth: number): string | undefined {
    for (const call of this.graph.project.calls(file)) {
      const [key, value] = call.arguments;
      if (calleeName(call) !== 'decorate' || !key || !value || staticString(key) !== node.name.text) continue;
      const found = this.file(file, value, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private identifier(file: ProjectFile, node: ts.Identifier, depth: number): string | undefined {
    for (const d of this.graph.project.lookup(file, node, node.text)) {
      const imported = importedFrom(d.node);
      if (imported && DOCUMENT_FILE.test(imported.module)) return this.module(d.file, imported.module);
      if (ts.isVariableDeclaration(d.node) && d.node.initializer)
        return this.file(d.file, d.node.initializer, depth + 1);
    }
    return undefined;
  }

  /** A JSON or YAML module specifier: relative to the importing file, or a workspace package's export. */
  private module(from: ProjectFile, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return path.resolve(path.dirname(from.absolute), specifier);
    return this.graph.project.dataModule(from, specifier);
  }
}

/**
 * The index of the parameter of `fn` that `value` (one of its returns) copies: the parameter itself,
 * `JSON.parse(JSON.stringify(p, …))`, `structuredClone(p)`, `{ ...p, … }`; undefined when it is none.
 */
function copiedParameter(fn: ts.Node, value: ts.Expression): number | undefined {
  let node = unwrap(value);
  for (let step = 0; step < 4; step++) {
    if (ts.isCallExpression(node) && node.arguments[0]) {
      const name = calleeName(node);
      if (name === undefined || (!COPIES.has(name) && name !== 'parse')) return undefined;
      node = unwrap(node.arguments[0]);
    } else if (ts.isObjectLiteralExpression(node)) {
      const spread = node.properties[0];
      if (!spread || !ts.isSpreadAssignment(spread)) return undefined;
      node = unwrap(spread.expression);
    } else break;
  }
  if (!ts.isIdentifier(node) || !isFunctionNode(fn)) return undefined;
  const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === node.text);
  return index < 0 ? undefined : index;
}

/**
 * The source document a package.json script bundles into `output` (an absolute path that does not exist), looked
 * for in the package.json of each folder from `output`'s up to `stop`'s repository root; undefined when none.
 */
function bundledFrom(output: string, stop: string): string | undefined {
  const top = repositoryRoot(stop);
  for (let folder = path.dirname(output); ; folder = path.dirname(folder)) {
    const source = scriptSource(folder, output);
    if (source) return source;
    if (folder === top || path.dirname(folder) === folder) return undefined;
  }
}

function scriptSource(folder: string, output: string): string | undefined {
  let scripts: unknown;
  try {
    scripts = (JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { scripts?: unknown })
      .scripts;
  } catch {
    return undefined;
  }
  if (!scripts || typeof scripts !== 'object') return undefined;
  for (const script of Object.values(scripts as Record<string, unknown>)) {
    if (typeof script !== 'string') continue;
    for (const command of script.split(/&&|\|\||;/)) {
      const words = command.trim().split(/\s+/);
      const bundle = words.findIndex((w) => BUNDLE_COMMANDS.has(w));
      if (bundle < 0) continue;
      let target: string | undefined;
      const inputs: string[] = [];
      for (let i = bundle + 1; i < words.length; i++) {
        const word = words[i] ?? '';
        const [option, inline] = word.split('=', 2);
        if (option && OUTPUT_OPTIONS.has(option)) target = inline ?? words[++i];
        else if (!word.startsWith('-') && DOCUMENT_FILE.test(word)) inputs.push(word);
      }
      if (!target || path.resolve(folder, unquote(target)) !== output) continue;
      const source = inputs.map((i) => path.resolve(folder, unquote(i))).find((i) => existsSync(i));
      if (source) return source;
    }
  }
  return undefined;
}

function unquote(word: string): string {
  return word.replace(/^['"]|['"]$/g, '');
}

/** The folder holding `.git` at or above `folder`, else the file system root. */
function repositoryRoot(folder: string): string {
  for (let at = path.resolve(folder); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return at;
  }
}
