import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigOverrides } from '../../src/config/index.js';
import { lint } from '../../src/lint/run.js';
import type { LintResult } from '../../src/lint/types.js';

export interface ExpectedResult {
  /** JSON path of the response key, in the file that holds it. */
  path: (string | number)[];
  /** A part of the message that must appear (the operation, the why). */
  message?: string;
  /** 1-based line of the key. */
  line?: number;
  /** File holding the key, relative to the scenario folder (default: openapi.yaml). */
  file?: string;
  mtls?: { via: string; detail?: string };
}

export interface Scenario {
  name: string;
  /** The root document, as YAML text (written out so line numbers are visible). */
  document: string;
  /** Other files of a multi-file document, by relative path. */
  files?: Record<string, string>;
  /** Flags as `mtls-fix lint` takes them. */
  options?: ConfigOverrides;
  errors: ExpectedResult[];
}

/**
 * Spectral-style scenario tables: each scenario is linted by `mtls-fix lint`'s direct engine and through
 * Spectral's runner, which must agree; results of `ruleId` are compared with `errors`.
 */
export function testRule(ruleId: string, scenarios: Scenario[]): void {
  const root = mkdtempSync(path.join(tmpdir(), `mtls-fix-${ruleId}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe(ruleId, () => {
    scenarios.forEach((scenario, index) => {
      it(scenario.name, async () => {
        const folder = path.join(root, String(index));
        for (const [name, text] of Object.entries({ 'openapi.yaml': scenario.document, ...scenario.files })) {
          mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
          writeFileSync(path.join(folder, name), text);
        }
        const config = resolveConfig({}, scenario.options ?? {});
        const files = [path.join(folder, 'openapi.yaml')];
        const direct = await lint({ files, config, cwd: folder });
        const viaSpectral = await lint({ files, config, cwd: folder, engine: 'spectral' });
        expect(viaSpectral.results).toEqual(direct.results);

        const actual = direct.results.filter((result) => result.code === ruleId);
        expect(actual.map((result) => result.path)).toEqual(scenario.errors.map((error) => error.path));
        scenario.errors.forEach((error, position) => checkResult(actual[position], error, folder));
      });
    });
  });
}

function checkResult(result: LintResult, expected: ExpectedResult, folder: string): void {
  expect(path.relative(folder, result.source)).toBe(expected.file ?? 'openapi.yaml');
  if (expected.message !== undefined) expect(result.message).toContain(expected.message);
  if (expected.line !== undefined) expect(result.range.start.line + 1).toBe(expected.line);
  if (expected.mtls !== undefined) expect(result.mtls).toMatchObject(expected.mtls);
  expect(result.message).toContain('NSURLErrorDomain -1206');
}
