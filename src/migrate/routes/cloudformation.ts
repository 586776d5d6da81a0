import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  asList,
  asObject,
  asText,
  dig,
  parseYamlDocuments,
  type YamlDocument,
} from '../../detect/yaml-documents.js';
import { configFiles, eventRoutes, nodeRuntime, samFunctionModules } from './lambda-config.js';
import type { CodeRoute } from './model.js';
import type { Project } from './project.js';

/**
 * API Gateway routes written as plain CloudFormation resources rather than SAM events:
 * `AWS::ApiGateway::Resource` (a `PathPart` under a `ParentId`) with `AWS::ApiGateway::Method` (`HttpMethod`,
 * `ResourceId`, `Integration`), and HTTP APIs' `AWS::ApiGatewayV2::Route` (`RouteKey: 'GET /x'`, `Target:
 * integrations/${I}`) with `AWS::ApiGatewayV2::Integration` (`IntegrationUri`).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-route.html.
 *
 * The integration's function is followed through references (`!GetAtt F.Arn`, `${F.Arn}` in `!Sub`, `!Ref`),
 * a Lambda alias or version, a Step Functions state machine (an integration that starts an execution: its
 * `DefinitionSubstitutions` name the functions it runs, whose result API Gateway answers with), and nested
 * stacks: a template's parameter is what each parent (`AWS::Serverless::Application` `Location`,
 * `AWS::CloudFormation::Stack` `TemplateURL`, a local path) passes, and `!GetAtt Child.Outputs.X` is the child
 * template's output. A method whose path, method or function cannot be followed (an imported value, a function
 * in S3, an HTTP integration to another service) is listed for review by hand, never dropped. MOCK integrations
 * run no code and are no route. Templates are YAML or JSON files anywhere below the working folder (build output
 * aside) that declare such resources.
 */
export function extractCloudFormationRoutes(project: Project): CodeRoute[] {
  const templates = loadTemplates(project.cwd);
  if (!templates.some((t) => t.routing)) return [];
  const stacks = new Stacks(templates);
  const routes: CodeRoute[] = [];
  for (const template of templates) {
    if (!template.routing) continue;
    for (const [name, resource] of Object.entries(template.resources)) {
      const type = asText(dig(resource, 'Type'));
      if (type === 'AWS::ApiGateway::Method')
        routes.push(...restMethod(project, stacks, template, name, resource));
      else if (type === 'AWS::ApiGatewayV2::Route')
        routes.push(...httpRoute(project, stacks, template, name, resource));
    }
  }
  return routes;
}

/** One CloudFormation template: its file, document and top-level maps. */
interface Template {
  file: string;
  document: YamlDocument;
  resources: Record<string, unknown>;
  parameters: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Whether it declares API Gateway methods or HTTP API routes. */
  routing: boolean;
}

/** A Lambda function resource found by following references. */
interface FunctionResource {
  template: Template;
  name: string;
}

const ROUTING = /AWS::ApiGateway::Method|AWS::ApiGatewayV2::Route/;

function loadTemplates(cwd: string): Template[] {
  const out: Template[] = [];
  for (const file of configFiles(cwd, true)) {
    let text: string;
    try {
      text = readFileSync(path.join(cwd, file), 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('AWS::')) continue;
    let documents: YamlDocument[];
    try {
      documents = parseYamlDocuments(text);
    } catch {
      continue; // not YAML or JSON this reader can read: detect reports configuration files it cannot parse
    }
    for (const document of documents) {
      const resources = asObject(dig(document.data, 'Resources'));
      if (!resources) continue;
      out.push({
        file,
        document,
        resources,
        parameters: asObject(dig(document.data, 'Parameters')) ?? {},
        outputs: asObject(dig(document.data, 'Outputs')) ?? {},
        routing: ROUTING.test(text),
      });
    }
  }
  return out;
}

const NESTED = new Set(['AWS::Serverless::Application', 'AWS::CloudFormation::Stack']);
const FUNCTIONS = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
const STATE_MACHINES = new Set(['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine']);

/** The templates of a working folder, with the nesting between them. */
class Stacks {
  private readonly byFile = new Map<string, Template>();

  constructor(private readonly templates: readonly Template[]) {
    for (const template of templates)
      if (!this.byFile.has(template.file)) this.byFile.set(template.file, template);
  }

  /** The template a nested stack resource's local `Location` / `TemplateURL` names. */
  child(template: Template, resource: unknown): Template | undefined {
    const location = asText(
      dig(resource, 'Properties', 'Location') ?? dig(resource, 'Properties', 'TemplateURL'),
    );
    if (!location || /^[a-z][\w+.-]*:\/\//i.test(location)) return undefined;
    return this.byFile.get(
      path.posix.normalize(path.posix.join(path.posix.dirname(template.file), location)),
    );
  }

  /** The nested stack resources, in any template, whose template is `template`. */
  parents(template: Template): { template: Template; resource: unknown }[] {
    const out: { template: Template; resource: unknown }[] = [];
    for (const parent of this.templates)
      for (const resource of Object.values(parent.resources))
        if (NESTED.has(asText(dig(resource, 'Type')) ?? '') && this.child(parent, resource) === template)
          out.push({ template: parent, resource });
    return out;
  }

  /**
   * The Lambda functions a value refers to: every `!Ref` / `!GetAtt` / `${…}` reference in it, followed through
   * aliases, state machines, parameters and nested stack outputs. `unknown` names what could not be followed.
   */
  functions(
    template: Template,
    value: unknown,
    seen = new Set<string>(),
  ): { found: FunctionResource[]; unknown: string[] } {
    const found: FunctionResource[] = [];
    const unknown: string[] = [];
    for (const reference of references(value)) {
      const key = `${template.file}#${reference}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const [name = '', ...attribute] = reference.split('.');
      const resource = template.resources[name];
      const type = asText(dig(resource, 'Type')) ?? '';
      const merge = (r: { found: FunctionResource[]; unknown: string[] }): void => {
        found.push(...r.found);
        unknown.push(...r.unknown);
      };
      if (resource !== undefined) {
        if (FUNCTIONS.has(type)) found.push({ template, name });
        else if (type === 'AWS::Lambda::Alias' || type === 'AWS::Lambda::Version')
          merge(this.functions(template, dig(resource, 'Properties', 'FunctionName'), seen));
        else if (STATE_MACHINES.has(type))
          merge(
            this.functions(
              template,
              [
                dig(resource, 'Properties', 'DefinitionSubstitutions'),
                dig(resource, 'Properties', 'Definition'),
              ],
              seen,
            ),
          );
        else if (NESTED.has(type) && attribute[0] === 'Outputs' && attribute[1]) {
          const child = this.child(template, resource);
          if (child) merge(this.functions(child, dig(child.outputs, attribute[1], 'Value'), seen));
          else unknown.push(reference);
        }
      } else if (name in template.parameters) {
        const parents = this.parents(template);
        if (!parents.length) unknown.push(`parameter ${name}`);
        for (const parent of parents)
          merge(
            this.functions(parent.template, dig(parent.resource, 'Properties', 'Parameters', name), seen),
          );
      }
    }
    return { found, unknown };
  }
}

/**
 * The references a CloudFormation value makes, with its short-form tags already dropped by the YAML reader
 * (`!Ref F` → `F`, `!GetAtt F.Arn` → `F.Arn`, `!Sub '…${F.Arn}…'`, `!Sub [ '…${x}…', { x: … } ]`): a string
 * that is one logical id (optionally `.Attribute`), each `${…}` of a string, and the long forms `Ref`,
 * `Fn::GetAtt`, `Fn::Sub` met on the way.
 */
function references(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/.test(v)) out.push(v);
      for (const m of v.matchAll(/\$\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)\}/g))
        if (m[1]) out.push(m[1]);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else {
      const object = asObject(v);
      if (!object) return;
      const getAtt = object['Fn::GetAtt'];
      if (Array.isArray(getAtt)) out.push(getAtt.map(String).join('.'));
      for (const item of Object.values(object)) walk(item);
    }
  };
  walk(value);
  return out;
}

/** The path of an `AWS::ApiGateway::Resource` (or the root for `Api.RootResourceId`); undefined if unknown. */
function resourcePath(template: Template, value: unknown, depth = 0): string | undefined {
  if (depth > 30) return undefined;
  const reference = references(value)[0];
  if (reference === undefined) return undefined;
  if (/\.RootResourceId$/.test(reference)) return '';
  const resource = template.resources[reference];
  if (asText(dig(resource, 'Type')) !== 'AWS::ApiGateway::Resource') return undefined;
  const part = asText(dig(resource, 'Properties', 'PathPart'));
  const parent = resourcePath(template, dig(resource, 'Properties', 'ParentId'), depth + 1);
  return part === undefined || parent === undefined ? undefined : `${parent}/${part}`;
}

function restMethod(
  project: Project,
  stacks: Stacks,
  template: Template,
  name: string,
  resource: unknown,
): CodeRoute[] {
  const properties = asObject(dig(resource, 'Properties')) ?? {};
  const integration = asObject(properties.Integration);
  const type = asText(integration?.Type)?.toUpperCase();
  if (type === 'MOCK') return []; // API Gateway answers itself (CORS preflights): no code runs
  const method = asText(properties.HttpMethod);
  const routePath = resourcePath(template, properties.ResourceId);
  const where = ['Resources', name];
  return integrationRoutes(project, stacks, template, where, {
    method,
    path: routePath === undefined ? undefined : routePath || '/',
    integration,
    http: type === 'HTTP' || type === 'HTTP_PROXY',
    uri: integration?.Uri,
    authorizer: properties.AuthorizerId,
  });
}

function httpRoute(
  project: Project,
  stacks: Stacks,
  template: Template,
  name: string,
  resource: unknown,
): CodeRoute[] {
  const properties = asObject(dig(resource, 'Properties')) ?? {};
  const key = asText(properties.RouteKey)?.trim();
  const [method, routePath] =
    key === '$default'
      ? ['ANY', '/{proxy+}']
      : key && /^\S+\s+\//.test(key)
        ? key.split(/\s+/)
        : [undefined, undefined];
  const target = references(properties.Target).find((r) => template.resources[r] !== undefined);
  const integration = target !== undefined ? asObject(template.resources[target]) : undefined;
  const integrationType = asText(dig(integration, 'Properties', 'IntegrationType'))?.toUpperCase();
  return integrationRoutes(project, stacks, template, ['Resources', name], {
    method,
    path: routePath,
    integration: dig(integration, 'Properties'),
    http: integrationType === 'HTTP_PROXY',
    uri: dig(integration, 'Properties', 'IntegrationUri'),
    authorizer: properties.AuthorizerId,
  });
}

function integrationRoutes(
  project: Project,
  stacks: Stacks,
  template: Template,
  where: (string | number)[],
  route: {
    method: string | undefined;
    path: string | undefined;
    integration: unknown;
    http: boolean;
    uri: unknown;
    /** `AuthorizerId`: an `AWS::ApiGateway::Authorizer` / `AWS::ApiGatewayV2::Authorizer` of the template. */
    authorizer?: unknown;
  },
): CodeRoute[] {
  const line = template.document.lineOf(where);
  const unread = (why: string): CodeRoute[] => [
    {
      framework: 'cloudformation',
      method: route.method?.toUpperCase().replace(/^ANY$/, 'ALL') ?? 'ALL',
      path: route.path ?? '/*',
      syntax: 'colon',
      file: template.file,
      line,
      handlers: [],
      unresolved: `API Gateway route of ${template.file}:${line} not read: ${why}`,
      unreadable: true,
    },
  ];
  if (route.http) return unread(`it forwards to another HTTP service (${uriText(route.uri)})`);
  if (route.method === undefined || route.path === undefined)
    return unread(`its ${route.method === undefined ? 'method' : 'path (resource)'} is not written as text`);
  const { found, unknown } = stacks.functions(template, route.integration);
  if (!found.length)
    return unread(
      `its integration names no Lambda function this reader follows (${unknown.join(', ') || uriText(route.uri)})`,
    );
  // A Lambda authorizer runs for the route before its function (its Deny is API Gateway's 403).
  const authorizerName = references(route.authorizer).find((r) =>
    /^AWS::ApiGateway(?:V2)?::Authorizer$/.test(asText(dig(template.resources[r], 'Type')) ?? ''),
  );
  const authorizers =
    authorizerName === undefined
      ? []
      : stacks
          .functions(template, dig(template.resources[authorizerName], 'Properties', 'AuthorizerUri'))
          .found.map((fn) => ({
            ...samFunctionModules(
              fn.template.resources[fn.name],
              asObject(dig(fn.template.document.data, 'Globals', 'Function')) ?? {},
            ),
            folder: path.posix.dirname(fn.template.file),
          }));
  const seen = new Set<string>();
  return found.flatMap((fn) => {
    const key = `${fn.template.file}#${fn.name}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const resource = fn.template.resources[fn.name];
    const globals = asObject(dig(fn.template.document.data, 'Globals', 'Function')) ?? {};
    // A Python / Java / Go function's handler is no file mtls-fix reads: no route (as lambda-config.ts).
    if (!nodeRuntime(asText(dig(resource, 'Properties', 'Runtime') ?? globals.Runtime))) return [];
    const { modules, exportName } = samFunctionModules(resource, globals);
    return eventRoutes(project, fn.template.file, {
      framework: 'cloudformation',
      method: route.method,
      path: route.path,
      modules,
      exportName,
      where,
      at: template.file,
      line,
      authorizers,
    });
  });
}

function uriText(uri: unknown): string {
  const text = asText(uri) ?? asText(asList(uri)[0]) ?? JSON.stringify(uri ?? null);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
