import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 48, server48. A Lambda handler handed to a wrapper that answers another status for 403 (a custom
// `wrap(handler)`, a table `{ 403: … }`, a middy middleware's `after`) was rewritten without a word: a wrapper to
// the agreed status is now named in the rewrite's reason, and one to another status (404) leaves the result as
// written and names it, since a rewrite would change what the client gets.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-lambda-wrappers-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const PACKAGE = JSON.stringify({ name: 'p', dependencies: { '@middy/core': '^4' } });

const WRAPPERS: [string, string, string, number][] = [
  [
    'an if in an imported wrap (ESM)',
    'src/wrap.ts',
    'export const wrap = (fn: (e: unknown) => Promise<{ statusCode: number }>) => async (e: unknown) => {\n' +
      '  const r = await fn(e);\n  if (r.statusCode === 403) return { ...r, statusCode: STATUS };\n  return r;\n};\n',
    3,
  ],
  [
    'a conditional in a wrapper declared as a function',
    'src/wrap.ts',
    'export function wrap(fn: (e: unknown) => Promise<{ statusCode: number }>) {\n' +
      '  return async (e: unknown) => {\n    const r = await fn(e);\n' +
      '    return r.statusCode === 403 ? { ...r, statusCode: STATUS } : r;\n  };\n}\n',
    4,
  ],
  [
    'a table read by the status (CommonJS)',
    'src/wrap.js',
    'const REMAP = { 403: STATUS };\n' +
      'exports.wrap = (fn) => async (e) => {\n  const r = await fn(e);\n' +
      '  return { ...r, statusCode: REMAP[r.statusCode] ?? r.statusCode };\n};\n',
    4,
  ],
];

const handler = (file: string): string =>
  `import { wrap } from './${file.endsWith('.js') ? 'wrap.js' : 'wrap'}';\n` +
  'export const handler = wrap(async (event: { ok?: boolean }) => ({ statusCode: event.ok ? 200 : 403, body: "" }));\n';

describe('a Lambda handler handed to a wrapper that remaps 403', () => {
  it.each(WRAPPERS)(
    '%s, to the agreed status: rewritten, the wrapper named',
    async (_n, file, text, line) => {
      const cwd = project({
        'package.json': PACKAGE,
        [file]: text.replace('STATUS', '401'),
        'src/handler.ts': handler(file),
      });
      const { report } = await migrate({ cwd, status: 401, mode: 'check' });
      const site = report.sites.find((s) => s.file === 'src/handler.ts');
      expect(site?.action).toBe('would-rewrite');
      expect(site?.reason).toContain(`already answers 401 for this 403 (${file}:${line})`);
      expect(report.sites.filter((s) => s.action === 'manual')).toEqual([]);
    },
  );

  it.each(WRAPPERS)(
    '%s, to another status (404): named and left as written',
    async (_n, file, text, line) => {
      const cwd = project({
        'package.json': PACKAGE,
        [file]: text.replace('STATUS', '404'),
        'src/handler.ts': handler(file),
      });
      const { report } = await migrate({ cwd, status: 401, mode: 'check' });
      const site = report.sites.find((s) => s.file === 'src/handler.ts');
      expect(site?.action).toBe('manual');
      expect(site?.reason).toContain(`answers 404 for this 403 (${file}:${line})`);
    },
  );

  it('a middy middleware whose after remaps request.response: rewritten, the middleware named', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/handler.ts':
        "import middy from '@middy/core';\n" +
        'const remap = () => ({\n  after: async (request: { response: { statusCode: number } }) => {\n' +
        '    if (request.response.statusCode === 403) request.response.statusCode = 401;\n  },\n});\n' +
        "export const handler = middy(async () => ({ statusCode: 403, body: 'no' })).use(remap());\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.map((s) => [s.action, s.reason])).toEqual([
      [
        'would-rewrite',
        expect.stringContaining('middy(…).use(remap()) already answers 401 for this 403 (src/handler.ts:4)'),
      ],
    ]);
    expect(report.census.notAnEmit.comparison).toBe(1);
  });

  it('a table mapping 403 to the agreed status is a remap in the census, not an entry to review', async () => {
    const cwd = project({
      'package.json': PACKAGE,
      'src/wrap.js': WRAPPERS[2][2].replace('STATUS', '401'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites).toEqual([]);
    expect(report.census.notAnEmit.remap).toBe(1);
  });
});
