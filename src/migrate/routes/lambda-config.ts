import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import {
  asList,
  asObject,
  asText,
  dig,
  parseYamlDocuments,
  type YamlDocument,
} from '../../detect/yaml-documents.js';
import type { CodeRoute } from './model.js';
import { serverlessVariables } from './serverless-variables.js';
import { lineOf, type Project, type ProjectFile } from './project.js';
import { runCache } from '../../util/run-caches.js';

/**
 * Lambda functions routed by their deployment configuration rather than by code: the Serverless Framework's
 * `serverless.yml` (`functions.<name>.handler` with `http` / `httpApi` events,
 * https://www.serverless.com/framework/docs/providers/aws/events/apigateway and /http-api) and AWS SAM templates
 * (`AWS::Serverless::Function` with `Api` / `HttpApi` events, https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html).
 * Each event is a route to the handler's export (`handler: src/accounts.get` -> export `get` of
 * `src/accounts.ts`; SAM: `CodeUri` + `Handler`, or the esbuild `Metadata.BuildProperties.EntryPoints` file
 * whose name the handler's module names). A route whose path, method or handler cannot be read from the file (a
 * `${…}` variable, a handler file that is not among the sources) is listed for review by hand, never dropped.
 * Without this, `--spec` found no code route in a Lambda code base and left every 403 "outside --spec".
 */
export function extractLambdaConfigRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const config of configFiles(project.cwd)) {
    let text: string;
    try {
      text = readFileSync(path.join(project.cwd, config), 'utf8');
    } catch {
      continue;
    }
    const serverless = /(?:^|\/)serverless\.ya?ml$/.test(config);
    if (!serverless && !text.includes('AWS::Serverless::Function')) continue;
    let documents: ReturnType<typeof parseYamlDocuments>;
    try {
      documents = parseYamlDocuments(text);
    } catch {
      continue; // not YAML this reader can read: detect reports configuration files it cannot parse
    }
    for (const document of documents) {
      if (!serverless) {
        for (const event of samEvents(document.data))
          routes.push(
            ...eventRoutes(project, config, { ...event, at: config, line: document.lineOf(event.where) }),
          );
        continue;
      }
      // Only AWS: other providers' handlers are read differently (and are not API Gateway routes).
      const provider = asText(dig(document.data, 'provider', 'name'));
      if (provider !== undefined && provider !== 'aws') continue;
      const runtime = asText(dig(document.data, 'provider', 'runtime'));
      const authorizers = asObject(dig(document.data, 'provider', 'httpApi', 'authorizers'));
      for (const part of functionMaps(project.cwd, config, document))
        for (const event of serverlessEvents(part.functions, part.where, runtime, authorizers)) {
          const line = part.document.lineOf(event.where);
          // `${self:custom.apiPrefix}/users`: what the serverless.yml itself writes for the variable; a default
          // written for one read from outside (`${opt:stage, 'dev'}`) is taken and named (settingDefaults).
          const taken: { setting: string; value: string }[] = [];
          routes.push(
            ...eventRoutes(project, config, {
              ...event,
              ...(event.path !== undefined
                ? { path: serverlessVariables(event.path, document.data, taken) }
                : {}),
              ...(event.method !== undefined
                ? { method: serverlessVariables(event.method, document.data, taken) }
                : {}),
              at: part.file,
              line,
            }),
          );
          for (const { setting, value } of taken)
            project.settingDefaults.set(`${part.file}:${line}:${setting}`, {
              setting,
              value,
              file: part.file,
              line,
            });
        }
    }
  }
  return routes;
}

/** One HTTP event of a function, as the configuration writes it. */
export interface LambdaEvent {
  framework: 'serverless' | 'sam' | 'cloudformation' | 'aws-cdk';
  method: string | undefined;
  path: string | undefined;
  /** Candidate handler files (relative to the configuration's folder, without extension) and the export. */
  modules: string[];
  exportName: string | undefined;
  /** The key path of the event in the document (for its line). */
  where: (string | number)[];
  /**
   * Lambda authorizers that run for the route before its handler (their Deny is API Gateway's 403), as
   * candidate modules (relative to `config`'s folder, or to `folder` when given) and the export.
   */
  authorizers?: { modules: string[]; exportName: string | undefined; folder?: string }[];
  /** The file and line that write the event (a file a serverless.yml includes, or the configuration itself). */
  at: string;
  line: number;
}

/** A map of functions (name -> definition) and where it is written. */
interface FunctionMap {
  functions: Record<string, unknown>;
  /** The file that writes it (the serverless.yml, or a file it includes), relative to the working folder. */
  file: string;
  document: YamlDocument;
  /** The key path of the map in that document. */
  where: (string | number)[];
}

/** `${file(./functions.yml)}`, `${file(./api.yml):functions}`: Serverless's include of another YAML file. */
const FILE_INCLUDE = /^\$\{file\(\s*([^)]+?)\s*\)(?::([\w.-]+))?\}$/;

/**
 * The function maps of a serverless.yml: `functions` itself, a list of maps, and the files `${file(…)}` includes
 * there (the whole file, or the key after `:`), read relative to the serverless.yml's folder. A handler path in
 * an included file is still relative to the service's folder, as Serverless reads it.
 */
function functionMaps(cwd: string, config: string, document: YamlDocument): FunctionMap[] {
  const out: FunctionMap[] = [];
  const add = (value: unknown, file: string, doc: YamlDocument, where: (string | number)[]): void => {
    const include = typeof value === 'string' ? FILE_INCLUDE.exec(value.trim()) : null;
    if (include) {
      const included = path.posix.normalize(path.posix.join(path.posix.dirname(config), include[1] ?? ''));
      let docs: YamlDocument[];
      try {
        docs = parseYamlDocuments(readFileSync(path.join(cwd, included), 'utf8'));
      } catch {
        return; // a missing or unreadable include: its functions are not known (nor are they routes)
      }
      const keys = include[2]?.split('.') ?? [];
      for (const d of docs) {
        const functions = asObject(keys.length ? dig(d.data, ...keys) : d.data);
        if (functions) out.push({ functions, file: included, document: d, where: keys });
      }
      return;
    }
    const functions = asObject(value);
    if (functions) out.push({ functions, file, document: doc, where });
  };
  const value = dig(document.data, 'functions');
  if (Array.isArray(value)) value.forEach((item, i) => add(item, config, document, ['functions', i]));
  else add(value, config, document, ['functions']);
  return out;
}

/** `<name>.events[].http` / `.httpApi` of a function map, object or `'GET path'` string form. */
export function serverlessEvents(
  functions: Record<string, unknown>,
  at: (string | number)[],
  /** `provider.runtime`, the functions' default. */
  runtime: string | undefined,
  /** `provider.httpApi.authorizers`: HTTP API authorizers by name (`functionName` of a Lambda one). */
  httpApiAuthorizers: Record<string, unknown> = {},
): Omit<LambdaEvent, 'line' | 'at'>[] {
  const out: Omit<LambdaEvent, 'line' | 'at'>[] = [];
  const handlerOf = (value: unknown): { modules: string[]; exportName: string | undefined } => {
    const handler = asText(dig(value, 'handler'));
    const dot = handler?.lastIndexOf('.') ?? -1;
    return {
      modules: handler && dot > 0 ? [handler.slice(0, dot)] : [],
      exportName: handler && dot > 0 ? handler.slice(dot + 1) : undefined,
    };
  };
  for (const [name, value] of Object.entries(functions)) {
    if (!nodeRuntime(asText(dig(value, 'runtime')) ?? runtime)) continue;
    const { modules, exportName } = handlerOf(value);
    asList(dig(value, 'events')).forEach((event, index) => {
      for (const kind of ['http', 'httpApi'] as const) {
        const spec = asObject(event)?.[kind];
        if (spec === undefined) continue;
        const where = [...at, name, 'events', index, kind];
        const written = asText(spec);
        // The Lambda authorizer the event names runs for its route: http's `authorizer: fn` / `{ name: fn }`
        // (a function of this service), httpApi's `authorizer: { name }` of provider.httpApi.authorizers with
        // a `functionName`. An ARN, `aws_iam` or a JWT / Cognito authorizer runs no code here.
        const named = asText(dig(spec, 'authorizer')) ?? asText(dig(spec, 'authorizer', 'name'));
        const authorizerFunction =
          named === undefined
            ? undefined
            : kind === 'http'
              ? named
              : asText(dig(httpApiAuthorizers, named, 'functionName'));
        const authorizer =
          authorizerFunction !== undefined && functions[authorizerFunction] !== undefined
            ? [handlerOf(functions[authorizerFunction])]
            : [];
        const common = {
          framework: 'serverless' as const,
          modules,
          exportName,
          where,
          authorizers: authorizer,
        };
        if (written !== undefined) {
          // `http: GET users/{id}`, `httpApi: 'GET /users/{id}'`, `httpApi: '*'`.
          // Split at the first space only: a path may hold a variable with a fallback (`${self:custom.x, 'v1'}`).
          const parts = /^(\S+)\s+(.*)$/.exec(written.trim())?.slice(1) ?? [written.trim()];
          const [method, routePath] = parts.length === 1 && parts[0] === '*' ? ['*', '/*'] : parts;
          out.push({ ...common, method, path: routePath });
        } else {
          const method = asText(dig(spec, 'method'));
          const routePath = asText(dig(spec, 'path'));
          out.push({ ...common, method, path: routePath });
        }
      }
    });
  }
  return out;
}

/**
 * Whether a Lambda runtime runs JavaScript: `nodejs20.x` and the like, or none named (the Serverless Framework's
 * default is Node.js; a SAM function with no `Runtime` is an image or names it elsewhere: kept, so it is listed
 * if its handler is not found). A Python, Java, Go, .NET, Ruby or custom (`provided.al2`) runtime's handler is
 * no file mtls-fix reads: its events are not routes here (AWS Lambda docs, "Lambda runtimes").
 */
export function nodeRuntime(runtime: string | undefined): boolean {
  return runtime === undefined || /^nodejs/i.test(runtime.trim());
}

/** `Resources.<name>` of `Type: AWS::Serverless::Function` with `Events.<e>.Type` `Api` / `HttpApi`. */
function samEvents(data: unknown): Omit<LambdaEvent, 'line' | 'at'>[] {
  const out: Omit<LambdaEvent, 'line' | 'at'>[] = [];
  const globals = asObject(dig(data, 'Globals', 'Function')) ?? {};
  const resources = asObject(dig(data, 'Resources')) ?? {};
  for (const [name, resource] of Object.entries(resources)) {
    if (asText(dig(resource, 'Type')) !== 'AWS::Serverless::Function') continue;
    const properties = asObject(dig(resource, 'Properties')) ?? {};
    if (!nodeRuntime(asText(properties.Runtime ?? globals.Runtime))) continue;
    const { modules, exportName } = samFunctionModules(resource, globals);
    for (const [eventName, event] of Object.entries(asObject(properties.Events) ?? {})) {
      const type = asText(dig(event, 'Type'));
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const where = ['Resources', name, 'Properties', 'Events', eventName];
      const eventProperties = asObject(dig(event, 'Properties'));
      // An HttpApi event without Path and Method is the API's `$default` route: every request.
      const method =
        asText(eventProperties?.Method) ?? (type === 'HttpApi' && !eventProperties ? '*' : undefined);
      const routePath =
        asText(eventProperties?.Path) ?? (type === 'HttpApi' && !eventProperties ? '/*' : undefined);
      const authorizer = samAuthorizer(data, resources, type, eventProperties);
      out.push({
        framework: 'sam',
        method,
        path: routePath,
        modules,
        exportName,
        where,
        authorizers: authorizer,
      });
    }
  }
  return out;
}

/**
 * The Lambda authorizer a SAM event's API runs for it: the event's `Auth.Authorizer` (else the API's
 * `Auth.DefaultAuthorizer`) named in the API's `Auth.Authorizers` (`AWS::Serverless::Api` / `HttpApi` of
 * `RestApiId` / `ApiId`, else `Globals.Api` / `Globals.HttpApi`), whose `FunctionArn` is a function of the
 * template (`!GetAtt AuthFunction.Arn`). `NONE`, `AWS_IAM`, Cognito and JWT authorizers run no code here.
 */
function samAuthorizer(
  data: unknown,
  resources: Record<string, unknown>,
  type: string,
  event: Record<string, unknown> | undefined,
): NonNullable<LambdaEvent['authorizers']> {
  const apiName = asText(event?.RestApiId ?? event?.ApiId)?.split('.')[0];
  const auth =
    apiName !== undefined
      ? dig(resources[apiName], 'Properties', 'Auth')
      : dig(data, 'Globals', type === 'HttpApi' ? 'HttpApi' : 'Api', 'Auth');
  const name = asText(dig(event, 'Auth', 'Authorizer')) ?? asText(dig(auth, 'DefaultAuthorizer'));
  if (name === undefined || /^(?:NONE|AWS_IAM)$/.test(name)) return [];
  const arn = dig(auth, 'Authorizers', name, 'FunctionArn');
  const fn = (asText(arn) ?? asText(asList(dig(arn, 'Fn::GetAtt'))[0]))?.split('.')[0];
  const resource = fn === undefined ? undefined : resources[fn];
  if (asText(dig(resource, 'Type')) !== 'AWS::Serverless::Function') return [];
  return [samFunctionModules(resource, asObject(dig(data, 'Globals', 'Function')) ?? {})];
}

/**
 * The handler of a SAM `AWS::Serverless::Function` or a CloudFormation `AWS::Lambda::Function` resource:
 * candidate module files (relative to its template's folder, without extension) and the export. SAM: `CodeUri`
 * (or `Globals.Function`) + `Handler`, and an esbuild build's `Metadata.BuildProperties.EntryPoints` entry whose
 * file name the handler's module names (or the only one). `AWS::Lambda::Function`: `Code` written as a local
 * folder (what `aws cloudformation package` uploads) + `Handler`; an S3 or inline `Code` names no module.
 */
export function samFunctionModules(
  resource: unknown,
  globals: Record<string, unknown> = {},
): { modules: string[]; exportName: string | undefined } {
  const properties = asObject(dig(resource, 'Properties')) ?? {};
  const handler = asText(properties.Handler ?? globals.Handler);
  const lambda = asText(dig(resource, 'Type')) === 'AWS::Lambda::Function';
  const codeUri = lambda ? asText(properties.Code) : (asText(properties.CodeUri ?? globals.CodeUri) ?? '.');
  const dot = handler?.lastIndexOf('.') ?? -1;
  const module = handler && dot > 0 ? handler.slice(0, dot) : undefined;
  const exportName = handler && dot > 0 ? handler.slice(dot + 1) : undefined;
  if (codeUri === undefined) return { modules: [], exportName };
  // esbuild builds: the entry point whose file name the handler's module names (or the only one).
  const entries = asList(dig(resource, 'Metadata', 'BuildProperties', 'EntryPoints'))
    .map(asText)
    .filter((e): e is string => e !== undefined);
  const named = entries.filter((e) => module && path.posix.basename(e).replace(/\.[^.]+$/, '') === module);
  const chosen = named.length ? named : entries.length === 1 ? entries : [];
  const modules = [
    ...chosen.map((e) => path.posix.join(codeUri, e.replace(/\.[cm]?[jt]s$/, ''))),
    ...(module ? [path.posix.join(codeUri, module)] : []),
  ];
  return { modules, exportName };
}

/**
 * The routes of one Lambda event: one per declaration the handler's export names, or one unresolved route
 * (listed for review by hand) naming why its method, path or handler could not be read. Handler modules are
 * looked up relative to `config`'s folder; the route is written at `event.at:event.line`.
 */
export function eventRoutes(project: Project, config: string, event: LambdaEvent): CodeRoute[] {
  const folder = path.posix.dirname(config);
  const method = event.method && /^(?:\*|any)$/i.test(event.method) ? 'ALL' : event.method?.toUpperCase();
  const routePath = event.path !== undefined ? colonPath(event.path) : undefined;
  const found = handlerFile(project, folder, event.modules);
  const declarations = found && event.exportName ? project.exportOf(found, event.exportName) : [];
  const why =
    method === undefined || routePath === undefined
      ? `its ${method === undefined ? 'method' : 'path'} is not written as text`
      : /\$\{/.test(`${event.path ?? ''}${event.method ?? ''}`)
        ? `its path or method holds a variable (${event.method ?? ''} ${event.path ?? ''})`
        : !found
          ? `its handler file (${event.modules.map((m) => path.posix.join(folder, m)).join(', ') || 'no handler'}) is not among the sources`
          : !declarations.length
            ? `${found.relative} has no export '${event.exportName ?? ''}'`
            : undefined;
  if (why !== undefined || method === undefined || routePath === undefined) {
    // Its method and path are read, only the code that answers is not (a handler file built elsewhere, a
    // missing export): a test's request on that path may reach it (test-route-graph.ts `handlerUnread`).
    const handlerOnly =
      method !== undefined &&
      routePath !== undefined &&
      !/\$\{/.test(`${event.path ?? ''}${event.method ?? ''}`);
    return [
      {
        framework: event.framework,
        method: method ?? 'ALL',
        // A segment holding a variable the file does not answer is a parameter (`${opt:stage}/cards/{id}` is
        // `/:stage/cards/:id`), so a 403 its handler returns is named as reached from it (the reason keeps the text).
        path: handlerOnly && routePath !== undefined ? routePath : variablePath(event.path),
        syntax: 'colon',
        file: event.at,
        line: event.line,
        // The handler it names, when found (a path holding a variable the file does not answer): its 403s are
        // named as reached from this route, never left unreported.
        handlers: declarations.map((d) => ({
          file: d.file.relative,
          start: d.node.getStart(d.file.sourceFile),
          end: d.node.getEnd(),
        })),
        unresolved: `Lambda route of ${event.at}:${event.line} not read: ${why ?? 'unknown'}`,
        unreadable: true,
        ...(handlerOnly ? { handlerUnread: true as const } : {}),
      },
    ];
  }
  const authorizers = (event.authorizers ?? []).flatMap((authorizer) => {
    const file = handlerFile(project, authorizer.folder ?? folder, authorizer.modules);
    return file && authorizer.exportName ? project.exportOf(file, authorizer.exportName) : [];
  });
  return declarations.map((declaration) => ({
    framework: event.framework,
    method,
    path: routePath,
    syntax: 'colon',
    file: declaration.file.relative,
    line: lineOf(declaration.file, declaration.node),
    handlers: [declaration, ...authorizers].map((d) => ({
      file: d.file.relative,
      start: d.node.getStart(d.file.sourceFile),
      end: d.node.getEnd(),
    })),
  }));
}

/**
 * A path holding `${…}` variables in colon syntax: leading segments holding one are an unknown prefix, dropped (as
 * below a mount computed at run time only the tail is known); a later one is a parameter named after it.
 */
function variablePath(written: string | undefined): string {
  if (written === undefined) return '/*';
  const all = written.split('/').filter(Boolean);
  const first = all.findIndex((segment) => !segment.includes('${'));
  const segments = (first < 0 ? [] : all.slice(first)).map((segment) =>
    segment.includes('${')
      ? `{${/\$\{(?:[\w-]+:)?(?:[\w-]+\.)*([\w-]+)/.exec(segment)?.[1] ?? 'variable'}}`
      : segment,
  );
  return colonPath(segments.join('/'));
}

/** API Gateway path (`users/{id}`, `/{proxy+}`) in colon syntax (`/users/:id`, `/*`). */
function colonPath(written: string): string {
  const joined = `/${written.replace(/^\/+/, '')}`;
  return joined.replace(/\{[^}/]+\+\}/g, '*').replace(/\{([^}/]+)\}/g, ':$1');
}

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** The first source file a handler module names, relative to the configuration's folder. */
function handlerFile(project: Project, folder: string, modules: readonly string[]): ProjectFile | undefined {
  for (const module of modules) {
    const base = path.posix.normalize(path.posix.join(folder, module));
    for (const extension of EXTENSIONS) {
      const file = project.byRelative(`${base}${extension}`);
      if (file) return file;
    }
  }
  return undefined;
}

/** Largest configuration file read (a SAM template of a few hundred functions is well below it). */
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** The YAML files of a working folder that may configure Lambda routes, once per folder and process. */
const configCache = runCache<string, string[]>();
/** Every YAML, JSON and `.template` file of a working folder, found by one walk per folder and process. */
const walkCache = runCache<string, string[]>();

/** A YAML file (what `configFiles` returns without `json`). */
const YAML_FILE = /\.ya?ml$/;

/**
 * The YAML files (and, with `json`, the JSON and `.template` files) of a working folder that may configure
 * Lambda routes, below node_modules and build output (`.aws-sam`, `cdk.out`, `.serverless`), each at most
 * 2 MB; cached per folder and process. Both answers come from one walk of the folder (the Lambda and the
 * CloudFormation readers each asked for their own: two walks of a large tree).
 */
export function configFiles(cwd: string, json = false): string[] {
  const key = `${json ? 'json:' : ''}${cwd}`;
  let found = configCache.get(key);
  if (!found) {
    let walked = walkCache.get(cwd);
    if (!walked) {
      walked = globSync(['**/*.yml', '**/*.yaml', '**/*.json', '**/*.template'], {
        cwd,
        deep: 6,
        ignore: [
          '**/node_modules/**',
          '**/.git/**',
          '**/.aws-sam/**',
          '**/cdk.out/**',
          '**/.serverless/**',
          // JSON files that are never templates (read for 'AWS::' otherwise): npm and TypeScript configuration.
          '**/package.json',
          '**/package-lock.json',
          '**/tsconfig*.json',
        ],
      }).sort();
      walkCache.set(cwd, walked);
    }
    found = walked.filter((file) => {
      if (!json && !YAML_FILE.test(file)) return false;
      try {
        return statSync(path.join(cwd, file)).size <= MAX_CONFIG_BYTES;
      } catch {
        return false;
      }
    });
    configCache.set(key, found);
  }
  return found;
}
