import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { fix } from '../../src/fix/index.js';
import { lint } from '../../src/lint/run.js';
import { runCli, tempProject } from '../helpers/cli.js';

// Session 17 (newuser17): `x-mtls: yes` (or `on`, `'true'`, `1`) was read as no marker at all: YAML 1.2 and JSON
// read those as a string or a number, the model looked only for the boolean `true`, and `lint` said "nothing in
// it declares mTLS (... no x-mtls ...)" with exit 0 for a document that declares it. Now a marker that is not a
// boolean is an input error at its key (mtls-fix-input, exit 2), wherever it is written; the other operations
// are still checked, and `fix` leaves the document as it is.

type Version = 'swagger2' | 'oas30' | 'oas31' | 'oas32';
const VERSIONS: Version[] = ['swagger2', 'oas30', 'oas31', 'oas32'];

/** Where the marker is written: the document parts to add, and the pointer of the marker. */
interface Place {
  place: string;
  /** Added to the document; `marker` is the value under test. */
  parts: (marker: unknown, version: Version) => Record<string, unknown>;
  pointer: string;
  /** The file the marker is written in (default the root). */
  file?: string;
}

const forbidden = { responses: { '403': { description: 'no' } } };

const PLACES: Place[] = [
  { place: 'the root', parts: (marker) => ({ 'x-mtls': marker }), pointer: '/x-mtls' },
  {
    place: 'the path item',
    parts: (marker) => ({ paths: { '/b': { 'x-mtls': marker, get: forbidden } } }),
    pointer: '/paths/~1b/x-mtls',
  },
  {
    place: 'the operation',
    parts: (marker) => ({ paths: { '/b': { get: { ...forbidden, 'x-mtls': marker } } } }),
    pointer: '/paths/~1b/get/x-mtls',
  },
  {
    place: 'a path item in another file',
    parts: () => ({ paths: { '/b': { $ref: 'b.json' } } }),
    pointer: '/x-mtls',
    file: 'b.json',
  },
  {
    place: 'a security scheme',
    parts: (marker, version) => {
      const scheme = { type: 'apiKey', in: 'header', name: 'X-Key', 'x-mtls': marker };
      return {
        security: [{ key: [] }],
        ...(version === 'swagger2'
          ? { securityDefinitions: { key: scheme } }
          : { components: { securitySchemes: { key: scheme } } }),
      };
    },
    pointer: '/~/key/x-mtls',
  },
];

/** The document: `GET /a` is mTLS-secured by its own `x-mtls: true`; `place` adds the marker under test. */
function documentData(version: Version, place: Place, marker: unknown): Record<string, unknown> {
  const head =
    version === 'swagger2'
      ? { swagger: '2.0' }
      : { openapi: { oas30: '3.0.3', oas31: '3.1.0', oas32: '3.2.0' }[version] };
  const parts = place.parts(marker, version);
  const paths = { '/a': { get: { ...forbidden, security: [], 'x-mtls': true } }, ...(parts.paths as object) };
  if (!('paths' in parts) || Object.keys(parts.paths as object).length === 0) {
    (paths as Record<string, unknown>)['/b'] = { get: forbidden };
  }
  return { ...head, info: { title: 't', version: '1' }, ...parts, paths };
}

const config = resolveConfig({});

describe('an x-mtls marker that is not a boolean is named where it is written', () => {
  const markers: unknown[] = ['yes', 'true', 1, 'on'];
  for (const version of VERSIONS) {
    for (const place of PLACES) {
      for (const marker of markers) {
        it(`${version}: ${JSON.stringify(marker)} on ${place.place}`, async () => {
          const data = documentData(version, place, marker);
          const files: Record<string, string> = { 'spec.json': JSON.stringify(data, null, 2) + '\n' };
          if (place.file) files[place.file] = JSON.stringify({ 'x-mtls': marker, get: forbidden }, null, 2);
          const folder = tempProject(files);
          const report = await lint({ files: ['spec.json'], cwd: folder, config });
          expect(report.results.map((result) => result.code).sort()).toEqual([
            'mtls-fix-input',
            'mtls-no-403',
          ]);
          const error = report.inputErrors[0];
          const pointer = place.pointer.replace(
            '/~/',
            version === 'swagger2' ? '/securityDefinitions/' : '/components/securitySchemes/',
          );
          expect(error?.location?.key).toBe(pointer);
          expect(error?.location?.file).toBe(place.file ?? 'spec.json');
          expect(error?.message).toBe(
            `'x-mtls' must be true or false, not the ${typeof marker} ${JSON.stringify(marker)}.`,
          );
          // GET /a is still checked; GET /b is not read (never passed as unchecked or clean).
          expect(report.results.find((result) => result.code === 'mtls-no-403')?.message).toMatch(
            /^GET \/a /,
          );
          expect(report.summary).toMatchObject({ operations: 1, operationsUnread: 1 });

          const fixed = fix({ files: ['spec.json'], cwd: folder, config, mode: 'write' });
          expect(fixed.unread.map((unread) => unread.location?.key)).toEqual([pointer]);
          expect(readFileSync(path.join(folder, 'spec.json'), 'utf8')).toBe(files['spec.json']);
        });
      }
    }
  }

  it('true and false are read as before; YAML True is a boolean', async () => {
    const yaml = (marker: string): string =>
      `openapi: 3.1.0\ninfo: { title: t, version: '1' }\nx-mtls: ${marker}\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n`;
    for (const [marker, codes] of [
      ['true', ['mtls-no-403']],
      ['True', ['mtls-no-403']],
      // x-mtls: false at the root declares the document has no mTLS endpoints: nothing left unchecked (session 20).
      ['false', []],
    ] as const) {
      const folder = tempProject({ 'spec.yaml': yaml(marker) });
      const report = await lint({ files: ['spec.yaml'], cwd: folder, config });
      expect(report.results.map((result) => result.code)).toEqual(codes);
    }
  });

  it('the command line: one line at the key, exit 2; stock Spectral names it too', async () => {
    const text = `openapi: 3.0.3\ninfo: { title: t, version: '1' }\nx-mtls: yes\npaths:\n  /a: { get: { responses: { '403': { description: no } } } }\n`;
    const cwd = tempProject({ 'openapi.yaml': text });
    const run = runCli(['lint', 'openapi.yaml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `mtls-fix: openapi.yaml:3:1 (/x-mtls): 'x-mtls' must be true or false, not the string "yes". Write x-mtls: true (or false) without quotes: YAML reads yes, on and quoted values as strings.`,
    );
    expect(run.stdout).not.toMatch(/nothing in it declares mTLS/);
    const spectral = await lint({ files: ['openapi.yaml'], cwd, config, engine: 'spectral' });
    expect(spectral.results.map((result) => result.code)).toEqual(['mtls-fix-input']);
  });
});
