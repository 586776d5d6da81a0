import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';

/** The floors and the circle rule of .dependency-cruiser.mjs, run on a tree (docs/architecture.md). */
async function violations(baseDir: string, roots: string[]): Promise<IViolation[]> {
  const options: ICruiseOptions = await extractDepcruiseOptions(
    path.join(REPO_ROOT, '.dependency-cruiser.mjs'),
  );
  const tsConfig = extractTSConfig(path.join(baseDir, 'tsconfig.json'));
  const previous = process.cwd();
  // The rules' paths are relative to the cruise's base folder; tsconfig resolution follows the cwd.
  process.chdir(baseDir);
  try {
    const { output } = await cruise(roots, { ...options, baseDir, validate: true }, {}, { tsConfig });
    return (output as ICruiseResult).summary.violations;
  } finally {
    process.chdir(previous);
  }
}

function describeViolation(v: IViolation): string {
  const chain = v.cycle?.length ? ` (circle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')})` : '';
  return `${v.rule.name}: ${v.from} -> ${v.to}${chain}`;
}

describe('import graph', () => {
  it('has no circle and no upward import between floors', async () => {
    const found = await violations(REPO_ROOT, ['src', 'rules', 'bin']);
    expect(found.map(describeViolation)).toEqual([]);
  }, 240_000);

  describe('the rules catch what they name (a planted tree)', () => {
    let dir: string;
    let found: string[];
    const planted: Record<string, string> = {
      'src/errors.ts': `import { helper } from './util/helper.js';\nexport const e = helper;\n`,
      'src/util/helper.ts': `import { loaded } from '../config/load.js';\nexport const helper = loaded;\n`,
      'src/openapi/classify.ts': `import type { Config } from '../config/load.js';\nexport type C = Config;\n`,
      'src/config/load.ts': `import { finding } from '../findings/findings.js';\nexport const loaded = finding;\nexport type Config = number;\n`,
      'src/findings/findings.ts': `import { runner } from '../lint/run.js';\nexport const finding = runner;\n`,
      'rules/index.ts': `import { runner } from '../src/lint/run.js';\nexport const rule = runner;\n`,
      'src/lint/run.ts': `import { command } from '../commands/lint.js';\nexport const runner = command;\n`,
      'src/commands/lint.ts': `export const command = 1;\n`,
      'src/fix/plan.ts': `import type { K } from './components.js';\nexport type P = K;\nexport const p = 1;\n`,
      'src/fix/components.ts': `import type { P } from './plan.js';\nexport type K = P;\n`,
      'src/migrate/engine.ts': `import { p } from '../fix/plan.js';\nexport const engine = p;\n`,
    };

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'mtls-fix-graph-'));
      for (const [file, text] of Object.entries(planted)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
        }),
      );
      found = (await violations(dir, ['src', 'rules'])).map(describeViolation);
    }, 240_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      'base-not-up: src/util/helper.ts -> src/config/load.ts',
      'openapi-not-to-config: src/openapi/classify.ts -> src/config/load.ts',
      'config-not-to-findings: src/config/load.ts -> src/findings/findings.ts',
      'model-not-up: src/findings/findings.ts -> src/lint/run.ts',
      'face-not-up: rules/index.ts -> src/lint/run.ts',
      'library-not-to-commands: src/lint/run.ts -> src/commands/lint.ts',
    ])('%s', (expected) => {
      expect(found).toContain(expected);
    });

    it('reports a circle through type-only imports', () => {
      expect(found.some((v) => v.startsWith('no-circular: src/fix/'))).toBe(true);
    });

    it('allows a sibling library import, an import inside the base and an import down the floors', () => {
      expect(found.filter((v) => v.includes('src/migrate/engine.ts'))).toEqual([]);
      expect(found.filter((v) => v.includes('src/errors.ts ->'))).toEqual([]);
      expect(found.filter((v) => v.includes('src/commands/lint.ts ->'))).toEqual([]);
    });
  });
});
