import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { no403Findings, readTree, runFix, tempCopy, type FixtureOptions } from './helpers.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/fix');
/** `MTLS_FIX_UPDATE_FIXTURES=1` writes the outputs (review the diff before committing them). */
const UPDATE = process.env.MTLS_FIX_UPDATE_FIXTURES === '1';

interface Fixture {
  name: string;
  options: FixtureOptions;
  document: string;
  /** Operations lint may still report after the fix (conflicts left by --on-conflict report, skipped keys). */
  remaining: string[];
}

function fixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((name) => existsSync(path.join(FIXTURES, name, 'input')))
    .sort()
    .map((name) => {
      const optionsFile = path.join(FIXTURES, name, 'options.json');
      const raw = existsSync(optionsFile)
        ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as FixtureOptions & { remaining?: string[] })
        : {};
      const { remaining = [], ...options } = raw;
      const input = readdirSync(path.join(FIXTURES, name, 'input'));
      const document = options.document ?? input.find((file) => /^openapi\.(ya?ml|json)$/.test(file)) ?? '';
      return { name, options, document, remaining };
    });
}

describe('fix: input/output fixture pairs', () => {
  for (const fixture of fixtures()) {
    it(fixture.name, async () => {
      const work = tempCopy(path.join(FIXTURES, fixture.name, 'input'));
      const first = runFix(work, fixture.document, fixture.options);
      const output = path.join(FIXTURES, fixture.name, 'output');
      if (UPDATE) {
        rmSync(output, { recursive: true, force: true });
        for (const [file, bytes] of readTree(work)) {
          mkdirSync(path.dirname(path.join(output, file)), { recursive: true });
          writeFileSync(path.join(output, file), bytes);
        }
        writeFileSync(
          path.join(FIXTURES, fixture.name, 'report.json'),
          `${JSON.stringify(summarise(first), null, 2)}\n`,
        );
      }
      // Byte for byte: every file of the fixture, edited or not.
      const expected = readTree(output);
      const actual = readTree(work);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [file, bytes] of expected)
        expect(actual.get(file)?.toString('latin1'), file).toBe(bytes.toString('latin1'));
      // What the run says it did is part of the contract too.
      const report = JSON.parse(
        readFileSync(path.join(FIXTURES, fixture.name, 'report.json'), 'utf8'),
      ) as unknown;
      expect(summarise(first)).toEqual(report);
      // Idempotent: a second run finds nothing to change.
      const second = runFix(work, fixture.document, fixture.options);
      expect(second.documents.flatMap((document) => document.files)).toEqual([]);
      expect(readTree(work)).toEqual(actual);
      // Lint agrees: no mtls-no-403 left but the ones the fixture expects.
      expect((await no403Findings(work, fixture.document, fixture.options)).sort()).toEqual(
        fixture.remaining.sort(),
      );
    });
  }
});

/** The report without file texts (the outputs hold those). */
function summarise(report: ReturnType<typeof runFix>): unknown {
  return report.documents.map(({ document, changes, suppressed, components, files }) => ({
    document,
    changes,
    suppressed,
    components,
    files: files.map((file) => file.file),
  }));
}
