import path from 'node:path';
import { cfnLogicalId } from '../detect/sources/aws.js';
import type { ScanFile } from '../detect/scan-file.js';
import { closingParen } from '../detect/text.js';
import { asList, asObject, asText, dig } from '../detect/yaml-documents.js';
import { samFunctionModules } from './routes/lambda-config.js';
import { linesOfText } from '../util/lines.js';

/**
 * A Lambda authorizer and the REST APIs that run it, read from infrastructure code (session 36): a gateway response
 * covers an authorizer's Deny only on its own API (remaps-covered.ts). API keys follow detect's rest-api-ties.ts:
 * `<file>#<logical id>` (CloudFormation, SAM, Serverless; Serverless's own API is `<file>#ApiGatewayRestApi`),
 * `terraform:<name>`, `<file>#<variable>` (CDK).
 */
export interface AuthorizerTie {
  /**
   * The authorizer's handler module, relative to the working folder, `/`-separated, without extension
   * (`src/auth`); with `suffix`, only its trailing part is known (Terraform's `handler = "auth.handler"`).
   */
  module: string;
  suffix?: boolean;
  /** The API's key; undefined when the reference cannot be read (an imported id, a parameter). */
  api: string | undefined;
  /** Where the tie is written (`serverless.yml:12`), for the report. */
  where: string;
}

/** Whether a tie names the site's file (`src/auth.js`, `src/auth/index.ts`). */
export function tieNames(tie: AuthorizerTie, file: string): boolean {
  const bare = file.replace(/\.[cm]?[jt]sx?$/, '');
  const module = path.posix.normalize(tie.module).replace(/\.[cm]?[jt]sx?$/, '');
  for (const candidate of [bare, bare.replace(/\/index$/, '')])
    if (tie.suffix ? candidate === module || candidate.endsWith(`/${module}`) : candidate === module)
      return true;
  return false;
}

/**
 * Adds the authorizer ties `file` writes: a serverless.yml's `http` events' `authorizer` (a function of the
 * service), CloudFormation `AWS::ApiGateway::Authorizer` (`RestApiId`, the function its `AuthorizerUri` names), SAM
 * `AWS::Serverless::Api` `Auth.Authorizers.*.FunctionArn`, Terraform `aws_api_gateway_authorizer` (`rest_api_id`,
 * the `aws_lambda_function` of `authorizer_uri` and its `handler`), CDK `new TokenAuthorizer` / `RequestAuthorizer`
 * (`handler`: a `NodejsFunction` `entry` or a `Function` `code` + `handler`) and the API of each `authorizer:` use.
 * Throws the YAML or HCL parser's error for a file it cannot parse.
 */
export async function readAuthorizerTies(file: ScanFile, out: AuthorizerTie[]): Promise<void> {
  const name = file.baseName;
  if (/\.(ya?ml|json|template)$/.test(name)) {
    if (/authorizer/i.test(file.text)) yamlTies(file, out);
  } else if (name.endsWith('.tf')) {
    if (file.text.includes('aws_api_gateway_authorizer')) await terraformTies(file, out);
  } else if (/\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')) {
    if (/\b(?:TokenAuthorizer|RequestAuthorizer)\b/.test(file.text)) cdkTies(file, out);
  }
}

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

function yamlTies(file: ScanFile, out: AuthorizerTie[]): void {
  const folder = path.posix.dirname(file.relative);
  for (const document of file.yamlDocuments()) {
    const data = document.data;
    // Serverless: every http event goes to the service's own REST API, or to provider.apiGateway.restApiId.
    const functions = asObject(dig(data, 'functions'));
    if (functions && dig(data, 'provider') !== undefined) {
      const external = dig(data, 'provider', 'apiGateway', 'restApiId');
      const resources = asObject(dig(data, 'resources', 'Resources')) ?? {};
      const externalName = external === undefined ? undefined : cfnLogicalId(external);
      const api =
        external === undefined
          ? `${file.relative}#ApiGatewayRestApi`
          : externalName !== undefined && Object.prototype.hasOwnProperty.call(resources, externalName)
            ? `${file.relative}#${externalName}`
            : undefined;
      for (const [fn, value] of Object.entries(functions))
        asList(dig(value, 'events')).forEach((event, index) => {
          const spec = dig(event, 'http');
          const named = asText(dig(spec, 'authorizer')) ?? asText(dig(spec, 'authorizer', 'name'));
          const handler = named === undefined ? undefined : asText(dig(functions[named], 'handler'));
          const dot = handler?.lastIndexOf('.') ?? -1;
          if (!handler || dot <= 0) return;
          out.push({
            module: path.posix.join(folder, handler.slice(0, dot)),
            api,
            where: `${file.relative}:${document.lineOf(['functions', fn, 'events', index, 'http', 'authorizer'])}`,
          });
        });
    }
    const resources = asObject(dig(data, 'Resources'));
    if (!resources) continue;
    const globals = asObject(dig(data, 'Globals', 'Function')) ?? {};
    const functionNames = Object.keys(resources).filter((n) =>
      FUNCTION_TYPES.has(asText(dig(resources[n], 'Type')) ?? ''),
    );
    const modulesOf = (fn: string | undefined): string[] => {
      if (fn === undefined || !functionNames.includes(fn)) return [];
      return samFunctionModules(resources[fn], globals).modules.map((m) => path.posix.join(folder, m));
    };
    for (const [resourceName, resource] of Object.entries(resources)) {
      const type = asText(dig(resource, 'Type'));
      if (type === 'AWS::ApiGateway::Authorizer') {
        const restApi = cfnLogicalId(dig(resource, 'Properties', 'RestApiId'));
        const api =
          restApi !== undefined && Object.prototype.hasOwnProperty.call(resources, restApi)
            ? `${file.relative}#${restApi}`
            : undefined;
        const uri = JSON.stringify(dig(resource, 'Properties', 'AuthorizerUri') ?? '');
        const fn = functionNames.find((n) => new RegExp(`\\b${n}\\b`).test(uri));
        for (const module of modulesOf(fn))
          out.push({
            module,
            api,
            where: `${file.relative}:${document.lineOf(['Resources', resourceName, 'Properties', 'AuthorizerUri'])}`,
          });
      }
      if (type === 'AWS::Serverless::Api') {
        const authorizers = asObject(dig(resource, 'Properties', 'Auth', 'Authorizers')) ?? {};
        for (const [authorizer, value] of Object.entries(authorizers))
          for (const module of modulesOf(cfnLogicalId(dig(value, 'FunctionArn'))))
            out.push({
              module,
              api: `${file.relative}#${resourceName}`,
              where: `${file.relative}:${document.lineOf(['Resources', resourceName, 'Properties', 'Auth', 'Authorizers', authorizer])}`,
            });
      }
    }
  }
}

async function terraformTies(file: ScanFile, out: AuthorizerTie[]): Promise<void> {
  const { parse } = await import('@cdktf/hcl2json');
  const parsed = (await parse(file.relative, file.text)) as Record<string, unknown>;
  const functions = asObject(dig(parsed, 'resource', 'aws_lambda_function')) ?? {};
  const authorizers = asObject(dig(parsed, 'resource', 'aws_api_gateway_authorizer')) ?? {};
  for (const [name, blocks] of Object.entries(authorizers))
    for (const block of asList(blocks)) {
      const api = /\baws_api_gateway_rest_api\.([\w-]+)/.exec(asText(dig(block, 'rest_api_id')) ?? '');
      const fn = /\baws_lambda_function\.([\w-]+)/.exec(asText(dig(block, 'authorizer_uri')) ?? '')?.[1];
      const handler = fn === undefined ? undefined : asText(dig(asList(functions[fn])[0], 'handler'));
      const dot = handler?.lastIndexOf('.') ?? -1;
      if (!handler || dot <= 0) continue;
      const line = linesOfText(file.text).line(
        file.text.search(new RegExp(`"aws_api_gateway_authorizer"\\s+"${name}"`)),
      );
      out.push({
        module: handler.slice(0, dot),
        suffix: true,
        api: api ? `terraform:${api[1]}` : undefined,
        where: `${file.relative}:${line}`,
      });
    }
}

/** `const x = new Ctor(`, `this.x = new ns.Ctor(`: each assignment's variable and its argument text. */
interface Construction {
  variable: string;
  /** The argument text and where it starts. */
  args: string;
  open: number;
  /** Where the assignment starts. */
  at: number;
}

function constructions(text: string, ctor: string): Construction[] {
  const out: Construction[] = [];
  const pattern = new RegExp(
    String.raw`(?:\b(?:const|let|var)\s+|\bthis\.)([\w$]+)\s*(?::[^=;]+)?=\s*new\s+(?:[\w$]+\.)?(?:${ctor})\s*\(`,
    'g',
  );
  for (const match of text.matchAll(pattern)) {
    const open = (match.index ?? 0) + match[0].length;
    out.push({
      variable: match[1] ?? '',
      args: text.slice(open, closingParen(text, open)),
      open,
      at: match.index ?? 0,
    });
  }
  return out;
}

/** `path.join(__dirname, '..', 'lambda')` / `'lambda/auth.ts'`: a path relative to the working folder. */
function cdkPath(expression: string, file: string): string | undefined {
  const joined = /^(?:path\.)?(?:join|resolve)\s*\(\s*__dirname\s*((?:,\s*['"`][^'"`]*['"`]\s*)*)\)$/.exec(
    expression.trim(),
  );
  if (joined) {
    const parts = [...(joined[1] ?? '').matchAll(/['"`]([^'"`]*)['"`]/g)].map((m) => m[1] ?? '');
    return path.posix.normalize(path.posix.join(path.posix.dirname(file), ...parts));
  }
  const plain = /^['"`]([^'"`]+)['"`]$/.exec(expression.trim());
  return plain?.[1] ? path.posix.normalize(plain[1]) : undefined;
}

/** The value text of `key:` in an argument list, up to the next top-level comma or brace. */
function option(args: string, key: string): string | undefined {
  const match = new RegExp(String.raw`\b${key}\s*:\s*`).exec(args);
  if (!match) return undefined;
  let depth = 0;
  const start = match.index + match[0].length;
  for (let i = start; i < args.length; i++) {
    const c = args[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return args.slice(start, i).trim();
      depth--;
    } else if (c === ',' && depth === 0) return args.slice(start, i).trim();
  }
  return args.slice(start).trim();
}

function cdkTies(file: ScanFile, out: AuthorizerTie[]): void {
  const text = file.text;
  // Lambda functions: NodejsFunction's entry, or Function's code (Code.fromAsset(dir)) + handler ('auth.handler').
  const modules = new Map<string, string>();
  for (const fn of constructions(text, 'NodejsFunction|Function')) {
    const entry = option(fn.args, 'entry');
    const entryPath = entry === undefined ? undefined : cdkPath(entry, file.relative);
    const handler = /^['"`]([^'"`]+)['"`]$/.exec(option(fn.args, 'handler') ?? '')?.[1];
    const asset = /fromAsset\s*\(([\s\S]*)\)\s*$/.exec(option(fn.args, 'code') ?? '')?.[1];
    const folder = asset === undefined ? undefined : cdkPath(asset, file.relative);
    const dot = handler?.lastIndexOf('.') ?? -1;
    if (entryPath) modules.set(fn.variable, entryPath);
    else if (folder !== undefined && handler && dot > 0)
      modules.set(fn.variable, path.posix.join(folder, handler.slice(0, dot)));
  }
  const apis = constructions(text, 'RestApi|LambdaRestApi|SpecRestApi');
  for (const authorizer of constructions(text, 'TokenAuthorizer|RequestAuthorizer')) {
    const handler = /^(?:this\.)?([\w$]+)$/.exec(option(authorizer.args, 'handler') ?? '')?.[1];
    const module = handler === undefined ? undefined : modules.get(handler);
    if (!module) continue;
    const uses = [
      ...text.matchAll(
        new RegExp(String.raw`\bauthorizer\s*:\s*(?:this\.)?${escape(authorizer.variable)}\b`, 'g'),
      ),
    ];
    const keys = new Set<string | undefined>(uses.map((use) => cdkApiOf(text, use.index ?? 0, apis)));
    for (const key of keys)
      out.push({
        module,
        api: key === undefined ? undefined : `${file.relative}#${key}`,
        where: `${file.relative}:${linesOfText(text).line(authorizer.at)}`,
      });
  }
}

function escape(text: string): string {
  return text.replace(/[$]/g, '\\$');
}

/**
 * The REST API variable an `authorizer:` use at `at` belongs to: the `new RestApi(…)` whose options hold it, the
 * API an `x.addMethod(…)` call's resource is made from (`api.root`, `const items = api.root.addResource('items')`),
 * else the file's only REST API. Undefined when none of these reads.
 */
function cdkApiOf(text: string, at: number, apis: readonly Construction[]): string | undefined {
  const inside = apis.find((api) => api.open <= at && at < api.open + api.args.length);
  if (inside) return inside.variable;
  const before = text.slice(0, at);
  const call = /(?:this\.)?([\w$]+)((?:\s*\.\s*[\w$]+(?:\([^()]*\))?)*)\s*\.\s*addMethod\s*\([^;]*$/.exec(
    before,
  );
  const names = new Set(apis.map((api) => api.variable));
  let resource = call?.[1];
  for (let depth = 0; resource !== undefined && depth < 6; depth++) {
    if (names.has(resource)) return resource;
    const assigned = new RegExp(
      String.raw`(?:\b(?:const|let|var)\s+|\bthis\.)${escape(resource)}\s*(?::[^=;]+)?=\s*(?:this\.)?([\w$]+)\b`,
    ).exec(text);
    resource = assigned?.[1];
  }
  return apis.length === 1 ? apis[0]?.variable : undefined;
}
