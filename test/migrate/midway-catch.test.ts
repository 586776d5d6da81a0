import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Midway's `@Catch(httpError.ForbiddenError)` on an exception filter (session 49, left49b): before, the argument was
// "a shape mtls-fix does not know" while the filter's own `ctx.status = 403` was rewritten. Now it is named as the
// class the filter catches, like Nest's `@Catch(ForbiddenException)`; a filter also catching the target's class (or
// every MidwayHttpError) is a read.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'p',
    dependencies: { '@midwayjs/core': '*', '@midwayjs/koa': '*' },
  }),
  'src/filter/forbidden.filter.ts': `import { Catch, httpError } from '@midwayjs/core';
import { Context } from '@midwayjs/koa';

@Catch(httpError.ForbiddenError)
export class ForbiddenFilter {
  async catch(err: Error, ctx: Context) {
    ctx.status = 403;
    return { message: err.message };
  }
}
`,
  'src/filter/both.filter.ts': `import { Catch, httpError as errors, MidwayHttpError } from '@midwayjs/core';

@Catch(errors.ForbiddenError, errors.UnauthorizedError)
export class BothFilter {
  async catch(err: Error) {
    return { message: err.message };
  }
}

@Catch(errors.ForbiddenError, MidwayHttpError)
export class EveryFilter {
  async catch(err: Error) {
    return { message: err.message };
  }
}
`,
};

describe("Midway's @Catch(httpError.ForbiddenError)", () => {
  it('names the caught class, and is a read when the filter catches the target too', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-midway-catch-'));
    temps.push(cwd);
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
      writeFileSync(path.join(cwd, file), text);
    }
    const { report } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const filter = report.sites.filter((s) => s.file === 'src/filter/forbidden.filter.ts');
    expect(filter.map((s) => [s.line, s.action, s.reason?.slice(0, 118)])).toEqual([
      [
        4,
        'manual',
        'This exception filter catches httpError.ForbiddenError; the throws mtls-fix rewrites raise httpError.UnauthorizedError',
      ],
      [7, 'would-rewrite', undefined],
    ]);
    expect(report.sites.filter((s) => s.file === 'src/filter/both.filter.ts')).toEqual([]);
  });
});
