import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// A class extending an error library's 403 class (routing-controllers ForbiddenError, http-errors Forbidden,
// Feathers Forbidden) answers 403 on every throw, and so does a class extending such a class: in the same file or
// another, under an import alias, through a barrel or a namespace, in a file whose text holds no 403 word at all.
// Each is named at its extends, as a direct subclass is (and as NestJS's are: nest-exception-subclasses.test.ts).
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-library-subclasses-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES = {
  'package.json': JSON.stringify({
    dependencies: {
      express: '^4',
      'routing-controllers': '^0.10',
      'http-errors': '^2',
      '@feathersjs/errors': '^5',
    },
  }),
  'src/errors.ts': [
    "import { ForbiddenError as Denied } from 'routing-controllers';",
    "import { Forbidden } from 'http-errors';",
    "import * as feathers from '@feathersjs/errors';",
    'export class TenantDenied extends Denied {}',
    'export class DeepDenied extends TenantDenied {}',
    'export class HeDenied extends Forbidden {}',
    'export class FeDenied extends feathers.Forbidden {}',
    '',
  ].join('\n'),
  'src/index.ts': "export * from './errors';\n",
  'src/more-errors.ts': [
    "import { DeepDenied as Base } from './index';",
    "import * as E from './errors';",
    'export class PlanLimit extends Base {}',
    'class Inner extends E.HeDenied {}',
    'export class Grand extends Inner {}',
    '',
  ].join('\n'),
  // No 403 word in this file's text: read because it names classes of the files above (phase 2).
  'src/far/quota.ts': [
    "import { PlanLimit } from '../more-errors';",
    "import { FeDenied as Plain } from '../index';",
    'export class QuotaLimit extends PlanLimit {}',
    'export class Seats extends Plain {}',
    '',
  ].join('\n'),
  // Further still: extends a class that only the file above (itself read in phase 2) names.
  'src/far/seats.ts': "import { Seats } from './quota';\nexport class SeatCap extends Seats {}\n",
};

describe('error libraries: classes that extend a project subclass of a 403 class', () => {
  it('names each class of the chain where it is declared, in every file and spelling', async () => {
    const cwd = project(FILES);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.map((s) => `${s.framework} ${s.file}:${s.line} ${s.form}`)).toEqual([
      'routing-controllers src/errors.ts:4 extends Denied',
      'routing-controllers src/errors.ts:5 extends TenantDenied',
      'http-errors src/errors.ts:6 extends Forbidden',
      'feathers src/errors.ts:7 extends feathers.Forbidden',
      'routing-controllers src/far/quota.ts:3 extends PlanLimit',
      'feathers src/far/quota.ts:4 extends Plain',
      'feathers src/far/seats.ts:2 extends Seats',
      'routing-controllers src/more-errors.ts:3 extends Base',
      'http-errors src/more-errors.ts:4 extends E.HeDenied',
      'http-errors src/more-errors.ts:5 extends Inner',
    ]);
    expect(report.sites.every((s) => s.action === 'manual')).toBe(true);
    const chained = report.sites.find((s) => s.form === 'extends Base');
    expect(chained?.reason).toContain('A class extending ForbiddenError through TenantDenied answers 403');
    expect(chained?.reason).toContain('add a sibling extending UnauthorizedError');
    expect(report.sites.find((s) => s.form === 'extends Inner')?.reason).toContain(
      'extending Forbidden through HeDenied',
    );
    expect(report.census.occurrences).toBe(
      report.census.rewritten +
        report.census.manual +
        Object.values(report.census.notAnEmit).reduce((a, b) => a + b, 0),
    );
  });

  it('leaves a class alone whose chain does not reach a 403 class', async () => {
    const cwd = project({
      ...FILES,
      'src/errors.ts': [
        "import { NotFoundError as Denied } from 'routing-controllers';",
        "import { NotFound as Forbidden } from 'http-errors';",
        'export class TenantDenied extends Denied {}',
        'export class DeepDenied extends TenantDenied {}',
        'export class HeDenied extends Forbidden {}',
        'export class FeDenied extends Error {}',
        'export class Loop extends Loop2 {}',
        'class Loop2 extends Loop {}',
        '',
      ].join('\n'),
    });
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    expect(report.sites.filter((s) => s.form.startsWith('extends'))).toEqual([]);
  });
});
