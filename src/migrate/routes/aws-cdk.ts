import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../../typescript.cjs';
import type { CodeRoute } from './model.js';
import { lineOf, unwrap, type Project, type ProjectFile } from './project.js';
import { objectProperty } from './syntax.js';

/**
 * Lambda routes declared with the AWS CDK in TypeScript or JavaScript (aws-cdk-lib, CDK v1 `@aws-cdk/*`):
 *
 * - REST APIs (`aws-apigateway`): `resource.addMethod('GET', new LambdaIntegration(fn))` on a resource built
 *   from `api.root` by `addResource('x')`, `resourceForPath('a/b')` or `addProxy()`, directly or through
 *   variables; a method with no integration takes the API's (`LambdaRestApi`'s `handler`, `defaultIntegration`);
 *   a `LambdaRestApi` whose `proxy` is not `false` sends every request to its handler.
 * - HTTP APIs (`aws-apigatewayv2`): `httpApi.addRoutes({ path, methods: [HttpMethod.GET], integration: new
 *   HttpLambdaIntegration('id', fn) })`, and an `HttpApi`'s `defaultIntegration` (every request).
 *
 * The function is a `new NodejsFunction(scope, id, { entry, handler })` (esbuild: `entry` from the folder `cdk`
 * runs in, or `path.join(__dirname, …)`; without `entry`, `<defining file>.<id>.ts` beside it; `handler`
 * defaults to `handler`) or a `new lambda.Function(scope, id, { code: Code.fromAsset(dir), handler:
 * 'file.export' })`, written in the call or in a variable of the same file
 * (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_apigateway-readme.html,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs-readme.html). A method, path or
 * function the code computes or passes in from elsewhere (a construct's props, a construct library's own
 * endpoint class) is listed for review by hand, never dropped.
 */
export function extractCdkRoutes(project: Project): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of project.files) {
    const text = file.sourceFile.text;
    if (
      !/aws-cdk-lib|@aws-cdk\//.test(text) ||
      !/addMethod|addRoutes|LambdaRestApi|defaultIntegration/.test(text)
    )
      continue;
    const reader = new CdkFile(project, file);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) routes.push(...reader.call(node));
      else if (ts.isNewExpression(node)) routes.push(...reader.construction(node));
      node.forEachChild(visit);
    };
    visit(file.sourceFile);
  }
  return routes;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

/** What a CDK expression stands for, as far as routes need. */
type Value =
  | { kind: 'api'; node: ts.NewExpression; options: ts.ObjectLiteralExpression | undefined }
  | { kind: 'resource'; path: string; api: Value | undefined }
  | { kind: 'function'; modules: string[]; exportName: string; node: ts.Node }
  | { kind: 'integration'; fn: Value | undefined }
  | {
      kind: 'unknown';
      why: string;
      /**
       * Where a function that is not built in this file comes from (`a stack prop ('props.fn')`, `a constructor
       * parameter ('fn')`, `another stack's export (Fn.importValue(…))`): the route's path and method are read,
       * the code that answers it is not.
       */
      passedIn?: string;
    };

class CdkFile {
  private readonly folder: string;

  constructor(
    private readonly project: Project,
    private readonly file: ProjectFile,
  ) {
    this.folder = path.posix.dirname(file.relative);
  }

  /** `resource.addMethod(…)`, `httpApi.addRoutes({ … })`. */
  call(call: ts.CallExpression): CodeRoute[] {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return [];
    const name = callee.name.text;
    if (name === 'addMethod') {
      const method = this.method(call.arguments[0]);
      const resource = this.value(callee.expression);
      let integration = call.arguments[1] ? this.value(call.arguments[1]) : undefined;
      if (!integration && resource.kind === 'resource' && resource.api?.kind === 'api')
        integration = this.apiIntegration(resource.api);
      if (resource.kind !== 'resource') return this.unread(call, method ?? 'ALL', '/*', resource);
      const options = call.arguments[2] && unwrap(call.arguments[2]);
      const authorizer =
        options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'authorizer') : undefined;
      return this.routes(
        call,
        method,
        resource.path || '/',
        integration,
        authorizer && this.value(authorizer),
      );
    }
    if (name === 'addRoutes') {
      const options = call.arguments[0] && unwrap(call.arguments[0]);
      if (!options || !ts.isObjectLiteralExpression(options))
        return this.unread(call, 'ALL', '/*', undefined);
      const pathNode = objectProperty(options, 'path');
      const routePath = pathNode ? this.project.stringOf(this.file, pathNode) : undefined;
      const methodsNode = objectProperty(options, 'methods');
      const methods =
        methodsNode && ts.isArrayLiteralExpression(unwrap(methodsNode))
          ? (unwrap(methodsNode) as ts.ArrayLiteralExpression).elements.map((e) => this.method(e))
          : methodsNode
            ? [undefined]
            : ['ALL'];
      const integrationNode = objectProperty(options, 'integration');
      const integration = integrationNode ? this.value(integrationNode) : undefined;
      if (routePath === undefined)
        return this.unread(call, 'ALL', '/*', { kind: 'unknown', why: 'its path' });
      const authorizerNode = objectProperty(options, 'authorizer');
      const authorizer = authorizerNode ? this.value(authorizerNode) : undefined;
      return methods.flatMap((method) => this.routes(call, method, routePath, integration, authorizer));
    }
    return [];
  }

  /** `new LambdaRestApi(…)` with `proxy` not false, `new HttpApi(…, { defaultIntegration })`: every request. */
  construction(node: ts.NewExpression): CodeRoute[] {
    const name = constructorName(node);
    const options = optionsOf(node);
    if (name === 'LambdaRestApi') {
      const proxy = options && objectProperty(options, 'proxy');
      if (proxy && unwrap(proxy).kind === ts.SyntaxKind.FalseKeyword) return [];
      return this.routes(node, 'ALL', '/*', this.apiIntegration({ kind: 'api', node, options }));
    }
    if (name === 'HttpApi' || name === 'RestApi') {
      const integration = options && objectProperty(options, 'defaultIntegration');
      if (!integration || name === 'RestApi') return [];
      return this.routes(node, 'ALL', '/*', this.value(integration));
    }
    return [];
  }

  private apiIntegration(api: Extract<Value, { kind: 'api' }>): Value | undefined {
    const handler = api.options && objectProperty(api.options, 'handler');
    if (handler) return { kind: 'integration', fn: this.value(handler) };
    const integration = api.options && objectProperty(api.options, 'defaultIntegration');
    return integration ? this.value(integration) : undefined;
  }

  private method(expression: ts.Expression | undefined): string | undefined {
    if (!expression) return undefined;
    const node = unwrap(expression);
    // `HttpMethod.GET` (apigatewayv2, lambda's HttpMethod enum of a library), or a string.
    const text = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : this.project.stringOf(this.file, node);
    const upper = text?.toUpperCase();
    return upper && METHODS.has(upper) ? upper.replace('ANY', 'ALL') : undefined;
  }

  private routes(
    at: ts.Node,
    method: string | undefined,
    routePath: string,
    integration: Value | undefined,
    /** A Lambda authorizer (`new TokenAuthorizer(…, { handler })`, `new HttpLambdaAuthorizer(id, fn)`). */
    authorizer?: Value,
  ): CodeRoute[] {
    const fn = integration?.kind === 'integration' ? integration.fn : integration;
    if (method === undefined)
      return this.unread(at, 'ALL', routePath, { kind: 'unknown', why: 'its method' });
    if (!fn || fn.kind !== 'function')
      return this.unread(at, method, routePath, fn ?? { kind: 'unknown', why: 'its integration' }, true);
    const target = this.handlerFile(fn.modules);
    const declarations = target ? this.project.exportOf(target, fn.exportName) : [];
    if (!target || !declarations.length)
      return this.unread(
        at,
        method,
        routePath,
        {
          kind: 'unknown',
          why: target
            ? `${target.relative} has no export '${fn.exportName}'`
            : `its handler file (${fn.modules.join(', ')}) is not among the sources`,
        },
        true,
      );
    // The authorizer runs for the route before its function (its Deny is API Gateway's 403).
    const authorizerFn = authorizer?.kind === 'integration' ? authorizer.fn : authorizer;
    const authorizerFile =
      authorizerFn?.kind === 'function' ? this.handlerFile(authorizerFn.modules) : undefined;
    const authorizers =
      authorizerFile && authorizerFn?.kind === 'function'
        ? this.project.exportOf(authorizerFile, authorizerFn.exportName)
        : [];
    return declarations.map((declaration) => ({
      framework: 'aws-cdk',
      method,
      path: colonPath(routePath),
      syntax: 'colon',
      file: this.file.relative,
      line: lineOf(this.file, at),
      handlers: [declaration, ...authorizers].map((d) => ({
        file: d.file.relative,
        start: d.node.getStart(d.file.sourceFile),
        end: d.node.getEnd(),
      })),
    }));
  }

  private unread(
    at: ts.Node,
    method: string,
    routePath: string,
    value: Value | undefined,
    /** The method and path are read; only the function that answers is not. */
    handlerOnly = false,
  ): CodeRoute[] {
    const line = lineOf(this.file, at);
    const why = value?.kind === 'unknown' ? value.why : 'its resource';
    const passedIn = value?.kind === 'unknown' ? value.passedIn : undefined;
    return [
      {
        framework: 'aws-cdk',
        method,
        path: handlerOnly ? colonPath(routePath) : routePath,
        syntax: 'colon',
        file: this.file.relative,
        line,
        handlers: [],
        unresolved: passedIn
          ? `AWS CDK route ${method === 'ALL' ? 'ANY' : method} ${routePath} of ${this.file.relative}:${line} not read: its function comes from ${passedIn}, which mtls-fix does not follow into the stack that builds it`
          : `AWS CDK route of ${this.file.relative}:${line} not read: ${why} is not written in this file as text`,
        unreadable: true,
        ...(handlerOnly ? { handlerUnread: true as const } : {}),
      },
    ];
  }

  /**
   * Where a function value not built in this file comes from, for the unread route's reason: a stack prop
   * (`props.fn`, `const { fn } = props`), a constructor or function parameter, or another stack's export / an
   * imported function (`Fn.importValue(…)`, `Function.fromFunctionArn(…)`); undefined for anything else.
   */
  private passedIn(node: ts.Expression): string | undefined {
    const source = this.file.sourceFile;
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(source);
      if (/(?:^|\.)importValue$/.test(callee)) return `another stack's export (${text(this.file, node)})`;
      if (/\.from(?:FunctionArn|FunctionName|FunctionAttributes)$/.test(callee))
        return `a function imported by reference (${text(this.file, node)})`;
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const head = unwrap(node.expression);
      if (ts.isIdentifier(head) && this.isParameter(head)) return `a stack prop ('${node.getText(source)}')`;
      return undefined;
    }
    if (!ts.isIdentifier(node)) return undefined;
    for (const d of this.project.lookup(this.file, node, node.text)) {
      if (d.file !== this.file) continue;
      if (ts.isParameter(d.node)) return `a constructor parameter ('${node.text}')`;
      // `const { fn } = props` / `const { fn: handler } = this.props`.
      if (ts.isBindingElement(d.node)) {
        let holder: ts.Node = d.node.parent;
        while (ts.isObjectBindingPattern(holder) || ts.isBindingElement(holder)) holder = holder.parent;
        const from = ts.isVariableDeclaration(holder) && holder.initializer && unwrap(holder.initializer);
        if (from && ts.isIdentifier(from) && this.isParameter(from))
          return `a stack prop ('${from.text}.${d.node.propertyName?.getText(source) ?? node.text}')`;
        if (ts.isParameter(holder)) return `a stack prop ('${node.text}', a constructor parameter's field)`;
      }
    }
    return undefined;
  }

  /** Whether an identifier names a parameter of a function or constructor of this file. */
  private isParameter(identifier: ts.Identifier): boolean {
    return this.project
      .lookup(this.file, identifier, identifier.text)
      .some((d) => d.file === this.file && ts.isParameter(d.node));
  }

  /** What an expression is: an API, a resource (with its path), a function, an integration. */
  value(expression: ts.Expression, depth = 0): Value {
    const node = unwrap(expression);
    const unknown = (why: string): Value => ({ kind: 'unknown', why });
    if (depth > 20) return unknown('its resource');
    if (ts.isIdentifier(node)) {
      const declaration = this.project
        .lookup(this.file, node, node.text)
        .find((d) => d.file === this.file && ts.isVariableDeclaration(d.node) && d.node.initializer);
      const initializer = declaration && (declaration.node as ts.VariableDeclaration).initializer;
      if (initializer) return this.value(initializer, depth + 1);
      const passedIn = this.passedIn(node);
      return passedIn ? { kind: 'unknown', why: `'${node.text}'`, passedIn } : unknown(`'${node.text}'`);
    }
    if (ts.isPropertyAccessExpression(node)) {
      if (node.name.text === 'root') {
        const api = this.value(node.expression, depth + 1);
        return { kind: 'resource', path: '', api: api.kind === 'api' ? api : undefined };
      }
      // `this.api.root`, `props.fn`: a field or a construct's props, set elsewhere.
      const passedIn = this.passedIn(node);
      const written = `'${node.getText(this.file.sourceFile)}'`;
      return passedIn ? { kind: 'unknown', why: written, passedIn } : unknown(written);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (name === 'addResource' || name === 'resourceForPath' || name === 'addProxy') {
        const parent = this.value(node.expression.expression, depth + 1);
        if (parent.kind !== 'resource') return parent;
        const part =
          name === 'addProxy'
            ? '{proxy+}'
            : node.arguments[0]
              ? this.project.stringOf(this.file, node.arguments[0])
              : undefined;
        if (part === undefined) return unknown(`the path of '${node.getText(this.file.sourceFile)}'`);
        return {
          kind: 'resource',
          path: `${parent.path}/${part.replace(/^\/+|\/+$/g, '')}`,
          api: parent.api,
        };
      }
      const passedIn = this.passedIn(node);
      const written = `'${node.expression.getText(this.file.sourceFile)}(…)'`;
      return passedIn ? { kind: 'unknown', why: written, passedIn } : unknown(written);
    }
    if (ts.isNewExpression(node)) {
      const name = constructorName(node);
      if (name === 'RestApi' || name === 'LambdaRestApi' || name === 'SpecRestApi')
        return { kind: 'api', node, options: optionsOf(node) };
      if (name === 'LambdaIntegration') {
        const fn = node.arguments?.[0];
        return { kind: 'integration', fn: fn ? this.value(fn, depth + 1) : undefined };
      }
      // Lambda authorizers: their function runs for the routes they guard.
      if (name === 'TokenAuthorizer' || name === 'RequestAuthorizer') {
        const options = optionsOf(node);
        const handler = options && objectProperty(options, 'handler');
        return { kind: 'integration', fn: handler ? this.value(handler, depth + 1) : undefined };
      }
      if (name === 'HttpLambdaAuthorizer') {
        const fn = node.arguments?.[1];
        return { kind: 'integration', fn: fn ? this.value(fn, depth + 1) : undefined };
      }
      if (name === 'HttpLambdaIntegration') {
        const fn = node.arguments?.[1];
        return { kind: 'integration', fn: fn ? this.value(fn, depth + 1) : undefined };
      }
      if (name === 'NodejsFunction') return this.nodejsFunction(node);
      if (name === 'Function') return this.lambdaFunction(node);
      return unknown(`'new ${name ?? '…'}(…)'`);
    }
    return unknown(`'${node.getText(this.file.sourceFile).slice(0, 60)}'`);
  }

  /** `new NodejsFunction(scope, id, { entry, handler })`. */
  private nodejsFunction(node: ts.NewExpression): Value {
    const options = optionsOf(node);
    const entryNode = options && objectProperty(options, 'entry');
    const handlerNode = options && objectProperty(options, 'handler');
    const handler = handlerNode ? this.project.stringOf(this.file, handlerNode) : 'handler';
    // `handler: 'index.main'` names the export after the last dot (as esbuild's bundle is `index.js`).
    const exportName = handler?.slice(handler.lastIndexOf('.') + 1);
    let modules: string[];
    if (entryNode) {
      const entry = this.pathOf(entryNode);
      if (entry === undefined) return { kind: 'unknown', why: `the entry of '${text(this.file, node)}'` };
      modules = entry.map((e) => e.replace(/\.[cm]?[jt]sx?$/, ''));
    } else {
      const id = node.arguments?.[1] ? this.project.stringOf(this.file, node.arguments[1]) : undefined;
      if (id === undefined) return { kind: 'unknown', why: `the id of '${text(this.file, node)}'` };
      modules = [`${this.file.relative.replace(/\.[cm]?[jt]sx?$/, '')}.${id}`];
    }
    if (!exportName) return { kind: 'unknown', why: `the handler of '${text(this.file, node)}'` };
    return { kind: 'function', modules, exportName, node };
  }

  /** `new lambda.Function(scope, id, { code: Code.fromAsset(dir), handler: 'file.export' })`. */
  private lambdaFunction(node: ts.NewExpression): Value {
    const options = optionsOf(node);
    const code = options && objectProperty(options, 'code');
    const handlerNode = options && objectProperty(options, 'handler');
    const handler = handlerNode ? this.project.stringOf(this.file, handlerNode) : undefined;
    const runtime = options && objectProperty(options, 'runtime');
    if (runtime && !/NODEJS/i.test(runtime.getText(this.file.sourceFile)))
      return { kind: 'unknown', why: 'runtime' };
    const asset = code && unwrap(code);
    const dot = handler?.lastIndexOf('.') ?? -1;
    if (
      !asset ||
      !ts.isCallExpression(asset) ||
      !ts.isPropertyAccessExpression(asset.expression) ||
      !/^(?:fromAsset|asset)$/.test(asset.expression.name.text) ||
      !asset.arguments[0] ||
      !handler ||
      dot <= 0
    )
      return { kind: 'unknown', why: `the code or handler of '${text(this.file, node)}'` };
    const folders = this.pathOf(asset.arguments[0]);
    if (folders === undefined)
      return { kind: 'unknown', why: `the asset path of '${text(this.file, node)}'` };
    const module = handler.slice(0, dot);
    return {
      kind: 'function',
      modules: folders.map((f) => path.posix.join(f, module)),
      exportName: handler.slice(dot + 1),
      node,
    };
  }

  /**
   * A file path the CDK app names, relative to the working folder: `path.join(__dirname, '../src/x.ts')`,
   * `path.resolve(…)`, `` `${__dirname}/x.ts` ``, or a plain relative string, read from the folder `cdk` runs
   * in (the nearest folder above the file holding `cdk.json`, else its package.json's, else the working
   * folder). Candidates, most likely first.
   */
  private pathOf(expression: ts.Expression): string[] | undefined {
    const node = unwrap(expression);
    const dirname = this.folder;
    const parts = (args: readonly ts.Expression[]): string[] | undefined => {
      const out: string[] = [];
      for (const arg of args) {
        const a = unwrap(arg);
        if (ts.isIdentifier(a) && a.text === '__dirname') out.push(dirname);
        else {
          const s = this.project.stringOf(this.file, a);
          if (s === undefined) return undefined;
          out.push(s);
        }
      }
      return out;
    };
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^(?:join|resolve)$/.test(node.expression.name.text)
    ) {
      const args = parts(node.arguments);
      if (!args) return undefined;
      const absolute = args.findIndex((a, i) => i > 0 && a.startsWith('/'));
      const from = unwrap(node.arguments[0] ?? node).getText(this.file.sourceFile) === '__dirname';
      const joined = path.posix.join(...(absolute > 0 ? args.slice(absolute) : args));
      return from ? [path.posix.normalize(joined)] : this.fromCdkRoot(joined);
    }
    if (ts.isTemplateExpression(node) && node.head.text === '') {
      const first = unwrap(node.templateSpans[0]?.expression ?? node);
      if (ts.isIdentifier(first) && first.text === '__dirname') {
        let rest = node.templateSpans[0]?.literal.text ?? '';
        for (const span of node.templateSpans.slice(1)) {
          const s = this.project.stringOf(this.file, span.expression);
          if (s === undefined) return undefined;
          rest += s + span.literal.text;
        }
        return [path.posix.normalize(path.posix.join(dirname, rest))];
      }
    }
    const plain = this.project.stringOf(this.file, node);
    return plain === undefined ? undefined : this.fromCdkRoot(plain);
  }

  private fromCdkRoot(relative: string): string[] {
    const roots: string[] = [];
    for (let at = this.folder; ; at = path.posix.dirname(at)) {
      if (existsSync(path.join(this.project.cwd, at, 'cdk.json'))) roots.unshift(at);
      else if (existsSync(path.join(this.project.cwd, at, 'package.json'))) roots.push(at);
      if (at === '.' || at === '' || at === '/') break;
    }
    if (!roots.includes('.')) roots.push('.');
    return [...new Set(roots.map((r) => path.posix.normalize(path.posix.join(r, relative))))];
  }

  private handlerFile(modules: readonly string[]): ProjectFile | undefined {
    for (const module of modules)
      for (const extension of [
        '',
        '.ts',
        '.mts',
        '.cts',
        '.tsx',
        '.js',
        '.mjs',
        '.cjs',
        '/index.ts',
        '/index.js',
      ]) {
        const found = this.project.byRelative(`${module}${extension}`);
        if (found) return found;
      }
    return undefined;
  }
}

/** `new apigateway.LambdaRestApi(…)` → `LambdaRestApi`. */
function constructorName(node: ts.NewExpression): string | undefined {
  const callee = node.expression;
  return ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
}

/** The props object of a construct (`new X(scope, id, { … })`). */
function optionsOf(node: ts.NewExpression): ts.ObjectLiteralExpression | undefined {
  const props = node.arguments?.[2] && unwrap(node.arguments[2]);
  return props && ts.isObjectLiteralExpression(props) ? props : undefined;
}

function text(file: ProjectFile, node: ts.Node): string {
  const written = node.getText(file.sourceFile).replace(/\s+/g, ' ');
  return written.length > 60 ? `${written.slice(0, 57)}...` : written;
}

/** API Gateway path (`/users/{id}`, `/{proxy+}`) in colon syntax (`/users/:id`, `/*`). */
function colonPath(written: string): string {
  const joined = `/${written.replace(/^\/+/, '')}`;
  return joined.replace(/\{[^}/]+\+\}/g, '*').replace(/\{([^}/]+)\}/g, ':$1');
}
