import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// `export default 403` read by a status slot in another file (breakfix29a #4): the read becomes 401, the default
// import goes (it stayed, unused: TS6133), and the definition is reported as a constant whose reads this run
// replaced, as `export const DENIED = 403` is ("still holds 403 ... where a status slot read it"), not as "a
// shape mtls-fix does not know". Both failed on c5b5a35.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-de-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

describe('export default 403 read by a rewritten slot', () => {
  it('drops the default import and names the definition as replaced', async () => {
    const cwd = project({
      'src/denied.ts': 'export default 403;\n',
      'src/a.ts':
        "import express from 'express';\nimport DENIED from './denied';\nconst app = express();\napp.get('/a', (req, res) => res.status(DENIED).end());\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    expect(readFileSync(path.join(cwd, 'src/a.ts'), 'utf8')).toBe(
      // The emptied import goes whole, not left as `import './denied';` (breaker30 #08).
      "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.status(401).end());\n",
    );
    const definition = report.sites.find((s) => s.file === 'src/denied.ts');
    expect(definition?.reason).toContain("'export default' still holds 403");
    expect(definition?.reason).toContain('src/a.ts:4');
  });

  it('keeps the generic reason while an importer still reads it elsewhere', async () => {
    const cwd = project({
      'src/denied.ts': 'export default 403;\n',
      'src/a.ts':
        "import express from 'express';\nimport DENIED from './denied';\nconst app = express();\napp.get('/a', (req, res) => res.status(DENIED).end());\nexport const isDenied = (s: number) => s === DENIED;\n",
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const definition = report.sites.find((s) => s.file === 'src/denied.ts');
    expect(definition?.reason ?? '').not.toContain('still holds 403');
  });
});
