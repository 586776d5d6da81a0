import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openapiOverlay } from 'openapi-format';
import { describe, expect, it } from 'vitest';
import { normalizedPath } from '../../src/fix/overlay.js';
import type { OverlayDocument } from '../../src/fix/types.js';
import { parseSource } from '../../src/openapi/index.js';
import { copyWritable } from '../helpers/cli.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/paths.js';
import { readTree, runFix, tempCopy, type FixtureOptions } from './helpers.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/fix');

/** Applies an overlay with a maintained implementation from npm (openapi-format). */
async function applyOverlay(document: unknown, overlay: OverlayDocument): Promise<unknown> {
  const result = await openapiOverlay(structuredClone(document), {
    overlaySet: overlay as unknown as Parameters<typeof openapiOverlay>[1]['overlaySet'],
  });
  // Every action must have hit its target: an action that matches nothing is a wrong JSONPath.
  expect((result.resultData as { unusedActions: unknown[] }).unusedActions).toEqual([]);
  return result.data;
}

function parse(file: string): unknown {
  return parseSource(readFileSync(file), file).data;
}

/** The overlay applied to the original gives the data of the in-place fix. */
async function expectOverlayEqualsInPlace(
  folder: string,
  document: string,
  options: FixtureOptions,
): Promise<number> {
  const original = parse(path.join(folder, document));
  const overlayRun = runFix(folder, document, options, 'overlay');
  const overlay = overlayRun.overlay!;
  expect(overlay.overlay).toBe('1.0.0');
  const inPlace = tempCopy(folder);
  runFix(inPlace, document, options);
  if (overlay.actions.length === 0) return 0;
  const applied = await applyOverlay(original, overlay);
  const fixed = parse(path.join(inPlace, document));
  // isDeepStrictEqual ignores key order (an Overlay update appends keys) and is fast on 4 MB documents.
  if (!isDeepStrictEqual(applied, fixed)) expect(applied).toEqual(fixed);
  return overlay.actions.length;
}

describe('fix --overlay: openapi-format applying the overlay gives the in-place result', () => {
  const fixtures = readdirSync(FIXTURES).filter(
    (name) => existsSync(path.join(FIXTURES, name, 'input')) && name !== 'multi-file',
  );
  for (const name of fixtures) {
    it(name, async () => {
      const folder = tempCopy(path.join(FIXTURES, name, 'input'));
      const before = readTree(folder);
      const optionsFile = path.join(FIXTURES, name, 'options.json');
      const options = existsSync(optionsFile)
        ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as FixtureOptions & { remaining?: unknown })
        : {};
      delete options.remaining;
      const document = readdirSync(folder).find((file) => /^openapi\.(ya?ml|json)$/.test(file))!;
      expect(await expectOverlayEqualsInPlace(folder, document, options)).toBeGreaterThan(0);
      expect(readTree(folder)).toEqual(before); // the document itself is not touched
    });
  }

  it('a key in another file is not in the overlay: it is reported as skipped', () => {
    const folder = tempCopy(path.join(FIXTURES, 'multi-file', 'input'));
    const report = runFix(folder, 'openapi.yaml', { renameComponents: true }, 'overlay');
    const changes = report.documents[0].changes;
    expect(changes.map((change) => change.action)).toEqual(['skipped', 'skipped']);
    expect(changes[0].reason).toMatch(/an Overlay addresses the root document only/);
    expect(report.overlay!.actions).toEqual([]);
  });

  it('targets are RFC 9535 normalized paths naming one node', () => {
    expect(normalizedPath(['paths', "/a/{id}/it's", 'get', 'responses', '403'])).toBe(
      "$['paths']['/a/{id}/it\\'s']['get']['responses']['403']",
    );
    expect(normalizedPath(['x', 0, 'back\\slash', 'tab\t'])).toBe("$['x'][0]['back\\\\slash']['tab\\t']");
  });
});

const CORPUS = existsSync(CORPUS_DIR)
  ? readdirSync(CORPUS_DIR).filter((name) => /\.(ya?ml|json)$/.test(name))
  : [];

describe.skipIf(CORPUS.length === 0)(
  'fix --overlay --mtls-everywhere on the corpus equals the in-place fix',
  () => {
    for (const document of CORPUS) {
      it(document, async () => {
        const folder = mkdtempSync(path.join(tmpdir(), 'mtls-fix-overlay-'));
        copyWritable(path.join(CORPUS_DIR, document), path.join(folder, document));
        await expectOverlayEqualsInPlace(folder, document, { mtlsEverywhere: true });
      });
    }
  },
);
