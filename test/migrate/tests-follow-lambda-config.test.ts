import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `migrate --include-tests` (end to end, bin/run.js: run `npm run build` first). A Lambda route of a deployment
// configuration (serverless.yml, an AWS SAM template, CloudFormation) whose method and path are read but whose
// function file is not among the sources (`handler: build/admin.handler`, a missing export) may answer a test's
// request: the test stays manual, naming the route, even when a greedy `{proxy+}` route of a function that is
// read (its 403 rewritten) matches too. Before, the test followed the proxy and was rewritten ahead of its server.
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
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-lambda-config-'));
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

const proxyHandler = `export const handler = async () => ({ statusCode: 403, body: 'no' });\n`;

/** Requests on /admin (the unread function), /reports (a missing export) and /other (only the proxy). */
const tests = `import { expect, it } from 'vitest';
it('admin', async () => {
  const res = await fetch(\`\${process.env.API_URL}/admin\`);
  expect(res.status).toBe(403);
});
it('reports', async () => {
  const res = await fetch(\`\${process.env.API_URL}/reports\`);
  expect(res.status).toBe(403);
});
it('other', async () => {
  const res = await fetch(\`\${process.env.API_URL}/other\`);
  expect(res.status).toBe(403);
});
`;

const serverless = `service: api
provider:
  name: aws
  runtime: nodejs20.x
functions:
  proxy:
    handler: src/proxy.handler
    events:
      - httpApi: 'ANY /{proxy+}'
  admin:
    handler: build/admin.handler
    events:
      - httpApi:
          method: GET
          path: /admin
  reports:
    handler: src/proxy.nothere
    events:
      - http: GET reports
`;

const sam = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Proxy:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: proxy.handler
      Runtime: nodejs20.x
      Events:
        Any:
          Type: HttpApi
          Properties:
            Path: /{proxy+}
            Method: ANY
  Admin:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/
      Handler: admin.handler
      Runtime: nodejs20.x
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /admin
            Method: GET
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: proxy.nothere
      Runtime: nodejs20.x
      Events:
        Get:
          Type: Api
          Properties:
            Path: /reports
            Method: get
`;

describe('a Lambda route whose function file is not read holds the tests on its path', () => {
  it.each([
    ['serverless.yml', serverless],
    ['template.yaml', sam],
  ])('%s', (config, text) => {
    const sites = run({
      [config]: text,
      'src/proxy.ts': proxyHandler,
      'tests/api.test.ts': tests,
      'package.json': '{ "name": "api", "devDependencies": { "vitest": "^3.0.0" } }\n',
    });
    const tested = Object.fromEntries(sites.filter((s) => s.framework === 'tests').map((s) => [s.line, s]));
    expect(tested[4]?.action).toBe('manual');
    expect(tested[4]?.reason).toMatch(
      /on GET \/admin, which a route whose code mtls-fix cannot read may serve \(Lambda route of (?:template\.yaml|serverless\.yml):\d+ not read: its handler file \(build\/admin\) is not among the sources\)/,
    );
    expect(tested[8]?.action).toBe('manual');
    expect(tested[8]?.reason).toMatch(
      /on GET \/reports, which a route whose code mtls-fix cannot read may serve .*src\/proxy\.ts has no export 'nothere'/,
    );
    // Only the proxy answers /other: it follows the rewritten handler.
    expect(tested[12]?.action).toBe('would-rewrite');
    expect(sites.find((s) => s.file === 'src/proxy.ts')?.action).toBe('would-rewrite');
  });
});

/** serverless.yml routes whose path or method holds a `${…}` variable: one unread function, one read. */
const variables = `service: api
custom:
  prefix: v1
provider:
  name: aws
  runtime: nodejs20.x
functions:
  proxy:
    handler: src/proxy.handler
    events:
      - httpApi: 'ANY /{proxy+}'
  admin:
    handler: build/admin.handler
    events:
      - httpApi:
          method: GET
          path: /\${self:custom.prefix}/admin
  audit:
    handler: build/audit.handler
    events:
      - http: \${self:custom.auditMethod} audit
`;

const variableTests = `import { expect, it } from 'vitest';
it('admin', async () => {
  const res = await fetch(\`\${process.env.API_URL}/v1/admin\`);
  expect(res.status).toBe(403);
});
it('audit', async () => {
  const res = await fetch(\`\${process.env.API_URL}/audit\`, { method: 'DELETE' });
  expect(res.status).toBe(403);
});
it('other', async () => {
  const res = await fetch(\`\${process.env.API_URL}/other\`);
  expect(res.status).toBe(403);
});
`;

describe('a Lambda route whose path or method holds a variable holds the tests it may serve', () => {
  it('serverless.yml', () => {
    const sites = run({
      'serverless.yml': variables,
      'src/proxy.ts': proxyHandler,
      'tests/api.test.ts': variableTests,
      'package.json': '{ "name": "api", "devDependencies": { "vitest": "^3.0.0" } }\n',
    });
    const tested = Object.fromEntries(sites.filter((s) => s.framework === 'tests').map((s) => [s.line, s]));
    // `/${self:custom.prefix}/admin` is /v1/admin (trials32 reads `${self:…}`), whatever the proxy answers (before:
    // followed the proxy); its handler is not among the sources, so the test stays manual.
    expect(tested[4]?.action).toBe('manual');
    expect(tested[4]?.reason).toMatch(
      /on GET \/v1\/admin, which a route whose code mtls-fix cannot read may serve \(Lambda route of serverless\.yml:15 not read: its handler file \(build\/admin\) is not among the sources/,
    );
    // A method held in a variable may be any method.
    expect(tested[8]?.action).toBe('manual');
    expect(tested[8]?.reason).toMatch(
      /Lambda route of serverless\.yml:\d+ not read: its path or method holds a variable/,
    );
    // No written part of a variable route matches /other: it follows the rewritten proxy.
    expect(tested[12]?.action).toBe('would-rewrite');
  });
});
