import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `migrate --include-tests` (end to end, bin/run.js: run `npm run build` first). An AWS CDK route whose Lambda
// function comes from a stack prop, a constructor parameter or another stack's export has a read path and an
// unread function: a test on a path it may serve stays manual, naming the route, even when a greedy
// `{proxy+}` route of another stack (whose 403s are rewritten) also matches (breaker30 #06, medibee-serverless-api
// tests/auth/login.test.mjs:120: before, the test was rewritten to 401 ahead of the Lambda that answers it).
const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface JsonSite {
  file: string;
  line: number;
  framework: string;
  action: string;
  reason: string | null;
}

function run(files: Record<string, string>): JsonSite[] {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-cdk-props-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  const out = spawnSync(process.execPath, [bin, 'migrate', '.', '--include-tests', '--dry-run', '--json'], {
    cwd,
    encoding: 'utf8',
  });
  return (JSON.parse(out.stdout) as { sites: JsonSite[] }).sites;
}

/** The first CDK app: `ANY /auth/{proxy+}` to a Lambda built in its own stack, whose handler answers 403. */
const proxyApp = {
  'cdk.json': '{ "app": "npx ts-node bin/api.ts" }\n',
  'lib/api-stack.ts': `import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as apigateway from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
export class ApiStack extends cdk.Stack {
  constructor(scope: cdk.App, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    const authLambda = new lambda.Function(this, 'AuthLambda', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('src/handlers/auth'),
    });
    const api = new apigateway.HttpApi(this, 'Api');
    api.addRoutes({
      path: '/auth/{proxy+}',
      methods: [apigateway.HttpMethod.ANY],
      integration: new integrations.HttpLambdaIntegration('AuthIntegration', authLambda),
    });
  }
}
`,
  'src/handlers/auth/index.ts': `export const handler = async () => ({ statusCode: 403, body: 'Email not verified' });\n`,
  'tests/login.test.mjs': `import { it, expect } from 'vitest';
it('refuses an unverified email', async () => {
  const response = await fetch(\`\${process.env.API_URL}/auth/login\`, { method: 'POST' });
  expect(response.status).toBe(403);
});
`,
};

/** The second CDK app's route stack, its function handed in as `fn` written per case. */
function httpStack(parameters: string, before: string, fn: string): string {
  return `import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
interface HttpStackProps extends cdk.StackProps { authLambda: lambda.IFunction }
export class HttpStack extends cdk.Stack {
  constructor(${parameters}) {
    super(scope, id, props);
    ${before}
    const api = new apigatewayv2.HttpApi(this, 'HttpApi');
    api.addRoutes({
      path: '/auth/login',
      methods: [apigatewayv2.HttpMethod.POST],
      integration: new integrations.HttpLambdaIntegration('Login', ${fn}),
    });
  }
}
`;
}

const PROPS = 'scope: cdk.App, id: string, props: HttpStackProps';

describe('a CDK route whose function is passed in keeps the tests on its path manual', () => {
  it.each([
    [
      'destructured stack prop',
      PROPS,
      'const { authLambda } = props;',
      'authLambda',
      "a stack prop ('props.authLambda')",
    ],
    ['stack prop read in place', PROPS, '', 'props.authLambda', "a stack prop ('props.authLambda')"],
    [
      'constructor parameter',
      `${PROPS}, loginFunction: lambda.IFunction`,
      '',
      'loginFunction',
      "a constructor parameter ('loginFunction')",
    ],
    [
      "another stack's export",
      PROPS,
      "const fn = lambda.Function.fromFunctionArn(this, 'Login', cdk.Fn.importValue('LoginArn'));",
      'fn',
      'a function imported by reference',
    ],
    [
      'an export read in place',
      PROPS,
      '',
      "lambda.Function.fromFunctionName(this, 'Login', 'login')",
      'a function imported by reference',
    ],
  ])('%s', (_, parameters, before, fn, origin) => {
    const sites = run({
      ...proxyApp,
      'cdk/cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
      'cdk/lib/http-stack.ts': httpStack(parameters, before, fn),
    });
    // The proxy route's own 403 is rewritten; the test is not, since the more specific route may answer it.
    expect(sites.find((s) => s.file === 'src/handlers/auth/index.ts')?.action).toBe('would-rewrite');
    const test = sites.find((s) => s.file === 'tests/login.test.mjs');
    expect(test?.action).toBe('manual');
    expect(test?.reason).toContain('AWS CDK route POST /auth/login of cdk/lib/http-stack.ts:11 not read');
    expect(test?.reason).toContain(`its function comes from ${origin}`);
  });

  it('a greedy unread route loses to a read route of the exact path (the test follows the read one)', () => {
    const sites = run({
      ...proxyApp,
      'lib/api-stack.ts': proxyApp['lib/api-stack.ts'].replace("'/auth/{proxy+}'", "'/auth/login'"),
      'cdk/cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
      'cdk/lib/http-stack.ts': httpStack(PROPS, '', 'props.authLambda').replace(
        "'/auth/login'",
        "'/auth/{proxy+}'",
      ),
    });
    expect(sites.find((s) => s.file === 'tests/login.test.mjs')?.action).toBe('would-rewrite');
  });

  it('an unread route of another method does not hold the test', () => {
    const sites = run({
      ...proxyApp,
      'cdk/cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
      'cdk/lib/http-stack.ts': httpStack(PROPS, '', 'props.authLambda').replace(
        'HttpMethod.POST',
        'HttpMethod.GET',
      ),
    });
    expect(sites.find((s) => s.file === 'tests/login.test.mjs')?.action).toBe('would-rewrite');
  });
});
