import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import { tempDirs } from '../helpers/temp-dirs.js';

// Session 39 (rv39-silence): an untyped status parameter of a helper installed under a name takes its type, in
// TypeScript, from the declaration of that name. Declared in the same file (`new Hono<{ Variables: … }>()`), it is
// widened (installed-decorations); declared in another file (`declare module 'hono'`, an Express augmentation, an
// imported Env), its callers were rewritten to 401 while the type stayed 403 | 404 (TS2345), with no word.
const { temp } = tempDirs('installed-signature');

const hono = `import { Hono } from 'hono';\n\nconst app = new Hono();\napp.use(async (c, next) => {\n  c.set('jsonWith', (code) => c.json({ error: 'no' }, code));\n  await next();\n});\napp.get('/a', (c) => c.get('jsonWith')(403));\nexport default app;\n`;

describe('an installed helper whose signature another file declares', () => {
  it('names the parameter in a TypeScript file, and rewrites its calls', async () => {
    const cwd = temp({
      'package.json': JSON.stringify({ name: 'p', dependencies: { hono: '*' } }),
      'src/env.d.ts':
        "import 'hono';\ndeclare module 'hono' {\n  interface ContextVariableMap {\n    jsonWith: (code: 403 | 404) => Response;\n  }\n}\n",
      'src/app.ts': hono,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(readFileSync(path.join(cwd, 'src/app.ts'), 'utf8')).toContain("c.get('jsonWith')(401)");
    const named = report.sites.filter((s) => s.action === 'manual' && s.reason?.includes("'jsonWith'"));
    expect(named.map((s) => `${s.file}:${s.line}`)).toEqual(['src/app.ts:5']);
    expect(named[0]?.reason).toContain('TS2345');
  });

  it('says nothing of a type in a JavaScript file (its parameter is any)', async () => {
    const cwd = temp({
      'package.json': JSON.stringify({ name: 'p', dependencies: { hono: '*' } }),
      'src/app.js': hono,
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(readFileSync(path.join(cwd, 'src/app.js'), 'utf8')).toContain("c.get('jsonWith')(401)");
    expect(report.sites.filter((s) => s.reason?.includes('TS2345'))).toEqual([]);
  });
});
