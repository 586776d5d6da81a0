import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// breaker30 #03: awesome-nest-boilerplate's `@Auth()` (src/decorators/http.decorators.ts) documents 401 with
// `applyDecorators(ApiUnauthorizedResponse(…))`; a method's `@ApiForbiddenResponse` beside it was renamed into a
// second 401 response. Read through the import, it is now reported to merge by hand.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-composed-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { '@nestjs/common': '*', '@nestjs/swagger': '*' } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  }
  return cwd;
}

describe('a 401 documented by an imported composed decorator (breaker30 #03)', () => {
  it('reports the @ApiForbiddenResponse beside it, naming the composing call', async () => {
    const cwd = project({
      'src/decorators/http.decorators.ts': [
        "import { applyDecorators } from '@nestjs/common';",
        "import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';",
        'export function Auth(): MethodDecorator {',
        "  return applyDecorators(ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'Missing token' }));",
        '}',
        '',
      ].join('\n'),
      'src/cats.controller.ts': [
        "import { Controller, Get } from '@nestjs/common';",
        "import { ApiForbiddenResponse } from '@nestjs/swagger';",
        "import { Auth } from './decorators/http.decorators';",
        "@Controller('cats')",
        'export class CatsController {',
        "  @Get(':id')",
        '  @Auth()',
        "  @ApiForbiddenResponse({ description: 'Not your cat' })",
        '  findOne() {',
        "    return 'cat';",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const site = report.sites.find((s) => s.file === 'src/cats.controller.ts');
    expect(site?.action).toBe('manual');
    expect(site?.reason).toContain('(through @Auth(), src/decorators/http.decorators.ts:4)');
    expect(diff).toBe('');
  });
});
