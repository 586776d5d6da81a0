import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { tempProject } from '../helpers/cli.js';

// breaker30 #04: a framework's own error (better-auth `APIError.from('FORBIDDEN', { code })`) answers the status
// it is given; its `code` is never read through the project's code map. Run 1 rewrote the status and said
// nothing about the code; run 2 then reported the code through errorRegistry. Both runs must list the same work.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FILES = {
  'src/errors.ts': `export const errorRegistry = {
  COMMON_UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  COMMON_FORBIDDEN: { status: 403, message: 'Forbidden' },
  AUTH_SIGNUP_DISABLED: { status: 403, message: 'Sign-up is disabled' },
} as const;
export type ErrorCode = keyof typeof errorRegistry;
export class AppError extends Error {
  constructor(public code: ErrorCode) { super(errorRegistry[code].message); }
}
`,
  'src/auth.ts': `import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
export const auth = betterAuth({
  hooks: {
    before: createAuthMiddleware(async (ctx) => {
      if (ctx.path === '/sign-up/email')
        throw APIError.from('FORBIDDEN', { message: 'Sign-up is disabled', code: 'AUTH_SIGNUP_DISABLED' });
      if (ctx.path === '/x') throw new APIError('FORBIDDEN', { code: 'COMMON_FORBIDDEN' });
    }),
  },
});
`,
  'src/handler.ts': `import { Hono } from 'hono';
import { AppError, errorRegistry } from './errors';
import { auth } from './auth';
export const app = new Hono();
app.on(['POST', 'GET'], '/api/auth/*', (c) => auth.handler(c.req.raw));
app.get('/projects', (c) => { throw new AppError('COMMON_FORBIDDEN'); });
app.onError((err, c) => {
  const code = err instanceof AppError ? err.code : 'COMMON_UNAUTHORIZED';
  return c.json({ code }, errorRegistry[code].status);
});
`,
};

const manual = (report: MigrateReport): string[] =>
  report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line} ${s.framework}`);

describe('a framework error carrying a code of the project map', () => {
  it('reports the same manual sites on a second run as on the run that rewrote it', async () => {
    const cwd = tempProject(FILES);
    temps.push(cwd);
    const first = (await migrate({ cwd, status: 401, mode: 'write', force: true })).report;
    expect(readFileSync(path.join(cwd, 'src/auth.ts'), 'utf8')).toContain("APIError.from('UNAUTHORIZED'");
    const second = (await migrate({ cwd, status: 401, mode: 'check', force: true })).report;
    expect(manual(second)).toEqual(manual(first));
    expect(manual(second).filter((s) => s.startsWith('src/auth.ts'))).toEqual([]);
    // The project's own error with the same code is still named.
    expect(manual(second)).toContain('src/handler.ts:6 code-maps');
  });
});
