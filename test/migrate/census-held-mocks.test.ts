import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Trials51: awslabs/fhir-works-on-aws-authz-smart's test `const mock = new MockAdapter(axios);
// mock.onPost(introspectUrl).reply(403, { active: false })` (the identity provider's answer, stubbed) was a manual
// site "A 403 in a shape mtls-fix does not know", where a `nock(url).reply(403)` beside it is census `mock`. Every
// mock library the mock-file check knows, and a mock held in a local, is a mock in a test file too.
const { temp } = tempDirs('mocks');

const TEST = [
  "import express from 'express';",
  "import axios from 'axios';",
  "import nock from 'nock';",
  "import MockAdapter from 'axios-mock-adapter';",
  "import { MockAgent } from 'undici';",
  "import fetchMock from 'fetch-mock-jest';",
  '',
  "test('stubs', async () => {",
  "  new MockAdapter(axios).onPost('/introspect').reply(403, { active: false });", // 9
  '  const mock = new MockAdapter(axios);',
  "  mock.onPost('/introspect').reply(403, { active: false });", // 11
  "  mock.onGet('/x').replyOnce(403);", // 12
  "  const scope = nock('https://idp');",
  "  scope.get('/x').reply(403);", // 14
  '  const agent = new MockAgent();',
  "  const pool = agent.get('https://idp');",
  "  pool.intercept({ path: '/x' }).reply(403, '');", // 17
  "  fetchMock.get('/y', 403);", // 18
  '});',
  '',
  "test('own server', async () => {",
  '  const app = express();',
  "  app.get('/z', (req, res) => res.status(403).end());", // 23
  '});',
  '',
].join('\n');

describe('mocks of other services in test files', () => {
  it('held and constructed mocks of any mock library are census mock; the own server is its fixture', async () => {
    const cwd = temp();
    writeFileSync(
      path.join(cwd, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { express: '*' }, devDependencies: { jest: '*' } }),
    );
    mkdirSync(path.join(cwd, 'test'), { recursive: true });
    writeFileSync(path.join(cwd, 'test/stubs.test.ts'), TEST);
    const { report } = await migrate({
      cwd,
      status: 401,
      mode: 'dry-run',
      force: true,
      explain: true,
      includeTests: true,
    });
    const mocks = (report.notAnEmit ?? []).filter((o) => o.kind === 'mock').map((o) => o.line);
    expect(mocks).toEqual([9, 11, 12, 14, 17, 18]);
    // The test's own server is its own fixture, not a mock of another service.
    const own = (report.notAnEmit ?? []).filter((o) => o.line === 23).map((o) => o.kind);
    expect(own).toEqual(['test-fixture']);
    expect(report.sites).toEqual([]);
  });
});
