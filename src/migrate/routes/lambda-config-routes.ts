import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import type { Project, ProjectFile } from './project.js';

/** The files that declare Lambda functions and their HTTP events, by name, in a service's folder. */
const SERVERLESS_FILES = ['serverless.yml', 'serverless.yaml'];
const SAM_FILES = ['template.yaml', 'template.yml'];
/** The extensions a handler's file may have (serverless-esbuild, serverless-plugin-typescript, SAM esbuild). */
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** A Lambda HTTP event: method, path (API Gateway syntax, `{id}`, `{proxy+}`), where it is declared. */
interface HttpEvent {
  method: string;
  path: string;
  line: number;
}

/** One function of a configuration: its handler string, the folder it is relative to, its HTTP events. */
interface LambdaFunction {
  framework: 'serverless' | 'aws-sam';
  config: string;
  name: string;
  handler: string | undefined;
  base: string;
  events: HttpEvent[];
}

/**
 * Routes the Lambda configurations of the project declare: Serverless Framework `serverless.yml`
 * (`functions.<name>.handler` and its `events` `http` / `httpApi`, in the object or the `'GET /path'` string form;
 * AWS functions of a Node.js runtime, or of no runtime the file names;
 * source: serverless.com docs, "API Gateway REST API" and "HTTP API" events) and AWS SAM `template.yaml`
 * (`AWS::Serverless::Function` resources: `Handler` under `CodeUri`, `Globals.Function` defaults, `Events` of
 * `Type: Api` / `HttpApi` with `Path` and `Method`; source: AWS SAM specification, "AWS::Serverless::Function",
 * "Api", "HttpApi"). Each HTTP event is a route whose handler is the export the handler string names
 * (`src/accounts.get`: the `get` export of `src/accounts.ts` or `.js`), in colon syntax (`{id}` is `:id`,
 * `{proxy+}` a wildcard). An event whose handler mtls-fix cannot find in the project is a route it could not read
 * (`unreadable`, listed under coverage's unresolved routes, with why), never one that runs no code. The files are
 * looked for in the working folder and every folder of a source file up to it.
 */
export function extractLambdaConfigRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const config of configFiles(project)) {
    let functions: LambdaFunction[];
    try {
      functions = readConfig(project.cwd, config);
    } catch (error) {
      const relative = toRelative(project.cwd, config);
      routes.push({
        framework: SERVERLESS_FILES.includes(path.basename(config)) ? 'serverless' : 'aws-sam',
        method: 'ALL',
        path: '/',
        syntax: 'colon',
        file: relative,
        line: 1,
        handlers: [],
        unresolved: `${relative} could not be read (${(error as Error).message.split('\n')[0]}): its functions' HTTP events are unknown`,
        unreadable: true,
      });
      continue;
    }
    for (const fn of functions) routes.push(...functionRoutes(project, fn));
  }
  return routes;
}

function functionRoutes(project: Project, fn: LambdaFunction): CodeRoute[] {
  const target = fn.handler ? handlerTarget(project, fn.base, fn.handler) : undefined;
  return fn.events.map((event): CodeRoute => {
    const route: CodeRoute = {
      framework: fn.framework,
      method: event.method,
      path: colonPath(event.path),
      syntax: 'colon',
      file: fn.config,
      line: event.line,
      handlers: [],
    };
    if (!target)
      return {
        ...route,
        unresolved: `the handler of function '${fn.name}' (${fn.handler ?? 'none given'}) is no export of a file mtls-fix reads`,
        unreadable: true,
      };
    const { file, node } = target;
    return {
      ...route,
      handlers: [{ file: file.relative, start: node.getStart(file.sourceFile), end: node.getEnd() }],
    };
  });
}

/** `src/handlers/accounts.get` relative to `base`: the declaration of `get` exported by that file. */
function handlerTarget(
  project: Project,
  base: string,
  handler: string,
): { file: ProjectFile; node: ts.Node } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const stem = path.resolve(base, handler.slice(0, dot));
  const name = handler.slice(dot + 1);
  for (const candidate of [
    ...HANDLER_EXTENSIONS.map((e) => stem + e),
    ...HANDLER_EXTENSIONS.map((e) => path.join(stem, `index${e}`)),
  ]) {
    const file = project.file(candidate);
    if (!file) continue;
    const declaration = project.exportOf(file, name)[0];
    if (declaration) return { file: declaration.file, node: declaration.node };
  }
  return undefined;
}

/** API Gateway's `{id}` / `{proxy+}` in colon syntax; a path without its leading `/` (serverless `http`) gets one. */
function colonPath(raw: string): string {
  const withSlash = raw.startsWith('/') ? raw : `/${raw}`;
  return withSlash
    .replace(/\{([^}+]+)\+\}/g, (_m, name: string) => `:${name.replace(/\W/g, '_')}+`)
    .replace(/\{([^}]+)\}/g, (_m, name: string) => `:${name.replace(/\W/g, '_')}`);
}

/** The configuration files in the working folder and in the folders of source files (up to it). */
function configFiles(project: Project): string[] {
  const folders = new Set<string>([path.resolve(project.cwd)]);
  for (const file of project.files) {
    for (let dir = path.dirname(file.absolute); ; dir = path.dirname(dir)) {
      const inside = path.relative(project.cwd, dir);
      if (inside.startsWith('..') || path.isAbsolute(inside) || folders.has(dir)) break;
      folders.add(dir);
      if (inside === '') break;
    }
  }
  const out: string[] = [];
  for (const folder of [...folders].sort()) {
    if (/(?:^|[\\/])node_modules(?:[\\/]|$)/.test(folder)) continue;
    for (const name of SERVERLESS_FILES)
      if (existsSync(path.join(folder, name))) out.push(path.join(folder, name));
    for (const name of SAM_FILES) {
      const file = path.join(folder, name);
      if (existsSync(file) && /AWS::Serverless(?:::Function|-2016-10-31)/.test(readFileSync(file, 'utf8')))
        out.push(file);
    }
  }
  return out;
}

/** Reads one configuration's functions. Throws on YAML it cannot parse. */
function readConfig(cwd: string, absolute: string): LambdaFunction[] {
  const text = readFileSync(absolute, 'utf8');
  const document = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  const error = document.errors[0];
  if (error) throw new Error(error.message);
  const root = document.contents as Node | null;
  const lineAt = (offset: number | undefined): number =>
    offset === undefined ? 1 : text.slice(0, offset).split(/\r\n|\r|\n/).length;
  const config = toRelative(cwd, absolute);
  const base = path.dirname(absolute);
  return SERVERLESS_FILES.includes(path.basename(absolute))
    ? serverlessFunctions(root, config, base, lineAt)
    : samFunctions(root, config, base, lineAt);
}

function serverlessFunctions(
  root: Node | null,
  config: string,
  base: string,
  lineAt: (offset: number | undefined) => number,
): LambdaFunction[] {
  const out: LambdaFunction[] = [];
  const provider = member(root, 'provider');
  // Another provider's functions (fn, Azure, Google) and another runtime's (Python, Go, Java) are no Node.js code.
  const providerName = scalar(member(provider, 'name')) ?? scalar(provider);
  if (providerName !== undefined && providerName !== 'aws') return [];
  for (const [name, fn] of entries(member(root, 'functions'))) {
    const runtime = scalar(member(fn, 'runtime')) ?? scalar(member(provider, 'runtime'));
    if (runtime !== undefined && !/^nodejs/.test(runtime)) continue;
    const events: HttpEvent[] = [];
    for (const item of isSeq(member(fn, 'events'))
      ? (member(fn, 'events') as { items: unknown[] }).items
      : []) {
      for (const kind of ['http', 'httpApi']) {
        const event = member(item, kind);
        if (!event) continue;
        const line = lineAt((item as Node).range?.[0]);
        const spelled = scalar(event);
        if (spelled !== undefined) {
          // `http: GET users/{id}`, `httpApi: 'GET /users/{id}'`, `httpApi: '*'`.
          const [method, route] = spelled === '*' ? ['*', '/{proxy+}'] : spelled.trim().split(/\s+/);
          if (method && route) events.push({ method: httpMethod(method), path: route, line });
          continue;
        }
        const method = scalar(member(event, 'method'));
        const route = scalar(member(event, 'path'));
        if (route !== undefined) events.push({ method: httpMethod(method ?? '*'), path: route, line });
      }
    }
    if (events.length)
      out.push({
        framework: 'serverless',
        config,
        name,
        handler: scalar(member(fn, 'handler')),
        base,
        events,
      });
  }
  return out;
}

function samFunctions(
  root: Node | null,
  config: string,
  base: string,
  lineAt: (offset: number | undefined) => number,
): LambdaFunction[] {
  const globals = member(member(root, 'Globals'), 'Function');
  const out: LambdaFunction[] = [];
  for (const [name, resource] of entries(member(root, 'Resources'))) {
    if (scalar(member(resource, 'Type')) !== 'AWS::Serverless::Function') continue;
    const properties = member(resource, 'Properties');
    const runtime = scalar(member(properties, 'Runtime')) ?? scalar(member(globals, 'Runtime'));
    if (runtime !== undefined && !/^nodejs/.test(runtime)) continue;
    const events: HttpEvent[] = [];
    for (const [, event, at] of entries(member(properties, 'Events'))) {
      const type = scalar(member(event, 'Type'));
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const props = member(event, 'Properties');
      const route = scalar(member(props, 'Path'));
      const method = scalar(member(props, 'Method'));
      const line = lineAt(at);
      // An HttpApi event with no path is the API's catch-all ($default).
      events.push({ method: httpMethod(method ?? '*'), path: route ?? '/{proxy+}', line });
    }
    if (!events.length) continue;
    const codeUri = scalar(member(properties, 'CodeUri')) ?? scalar(member(globals, 'CodeUri')) ?? '.';
    const handler = scalar(member(properties, 'Handler')) ?? scalar(member(globals, 'Handler'));
    out.push({ framework: 'aws-sam', config, name, handler, base: path.resolve(base, codeUri), events });
  }
  return out;
}

/** `any` / `*` (every method) is `ALL`, as for other catch-alls. */
function httpMethod(method: string): string {
  const upper = method.toUpperCase();
  return upper === 'ANY' || upper === '*' ? 'ALL' : upper;
}

function member(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find(
    (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key,
  );
  return pair && isPair(pair) ? (pair.value as Node | undefined) : undefined;
}

/** A map's entries: key, value and where the key starts. */
function entries(node: unknown): [string, Node, number | undefined][] {
  if (!isMap(node)) return [];
  return node.items.flatMap((item) =>
    isPair(item) && isScalar(item.key) && item.value
      ? [[String(item.key.value), item.value as Node, item.key.range?.[0]]]
      : [],
  );
}

function scalar(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')
    ? String(node.value)
    : undefined;
}

function toRelative(cwd: string, absolute: string): string {
  return path.relative(cwd, absolute).split(path.sep).join('/');
}
