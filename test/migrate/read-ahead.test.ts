import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import { CANDIDATE } from '../../src/migrate/prefilter.js';
import { outsideSpecifiers } from '../../src/migrate/import-specifiers.js';
import { READ_AHEAD_MIN_FILES, readAhead, sourceReader } from '../../src/migrate/read-ahead.js';
import { reexportsIn } from '../../src/migrate/reexported-modules.js';
import { tempProject } from '../helpers/cli.js';

const COUNT = READ_AHEAD_MIN_FILES + 50;
const name = (i: number): string => `src/m${String(i).padStart(4, '0')}.ts`;

/** COUNT files; a few hold a 403 form, one of them far down the list, and `src/m0007.ts` is a folder. */
function project(): { folder: string; files: string[] } {
  const files: Record<string, string> = {};
  for (let i = 0; i < COUNT; i++) files[name(i)] = `export const value${i} = ${i};\n`;
  files[name(3)] =
    `import { Response } from 'express';\nexport const f = (res: Response) => res.sendStatus(403);\n`;
  files[name(COUNT - 2)] = `// forbidden unless the certificate matches\nexport const g = 1;\n`;
  files[name(1)] =
    `import { x } from '../lib/x';\nimport './local';\nconst _ = require("lodash");\nexport { y } from '../lib/x';\n`;
  delete files[name(7)];
  const folder = tempProject(files);
  mkdirSync(path.join(folder, name(7)));
  return { folder, files: Array.from({ length: COUNT }, (_, i) => path.join(folder, name(i))) };
}

/** A non-candidate's answer: its re-exports ride along when there are any (read-ahead.ts `ReadFile.reexports`). */
function withReexports(
  entry: { candidate: false; imports: string[] },
  text: string,
): { candidate: false; imports: string[]; reexports?: string[] } {
  const reexports = reexportsIn(text);
  return reexports.length ? { ...entry, reexports } : entry;
}

describe('readAhead: files read and prefiltered on a worker thread, in the order given', () => {
  it('gives each file its text and the pattern test, and undefined for one it cannot read', async () => {
    const { files } = project();
    const ahead = readAhead(files, CANDIDATE);
    for (const [i, file] of files.entries()) {
      const got = await ahead.next(file);
      if (i === 7) {
        expect(got, file).toBeUndefined();
        continue;
      }
      const text = readFileSync(file, 'utf8');
      // The text comes back with a match only.
      expect(got, file).toEqual(
        CANDIDATE.test(text)
          ? { text, candidate: true }
          : withReexports({ candidate: false, imports: outsideSpecifiers(text) }, text),
      );
    }
    // The specifiers that may lead outside the folder, each once: the outside-import pass reads no text for them.
    expect((await readAhead(files.slice(0, 2), CANDIDATE).next(files[0]))?.imports).toBeUndefined();
    expect(outsideSpecifiers(readFileSync(files[1], 'utf8'))).toEqual(['../lib/x', 'lodash']);
    // What a file re-exports comes with it: the analysis of its importers need not read it again.
    expect((await readAhead(files, CANDIDATE).next(files[1]))?.reexports).toEqual(['../lib/x']);
    // Every answer came from the thread (none from the fallback reading here).
    expect(ahead.fromThread).toBe(COUNT);
  });

  it('reads texts larger than its young generation (3 MB, sources-prestart.ts READING_THREAD_LIMITS) on the thread', async () => {
    const { files } = project();
    // Three files of ~4 MB (one a candidate), each larger than the reading thread's whole young generation.
    const big = [10, 11, 12].map((i) => files[i]);
    const line = (i: number): string => `export const value${i} = ${i};\n`;
    writeFileSync(big[0], line(0).repeat(180_000) + 'res.sendStatus(403);\n');
    writeFileSync(big[1], line(1).repeat(180_000));
    writeFileSync(big[2], `// ${'x'.repeat(4_000_000)}\n`);
    const ahead = readAhead(files, CANDIDATE);
    for (const [i, file] of files.entries()) {
      const got = await ahead.next(file);
      if (i === 7) continue;
      const text = readFileSync(file, 'utf8');
      expect(got, file).toEqual(
        CANDIDATE.test(text)
          ? { text, candidate: true }
          : withReexports({ candidate: false, imports: outsideSpecifiers(text) }, text),
      );
    }
    expect(ahead.fromThread).toBe(COUNT);
  });

  it('reads a short list here, without a thread', async () => {
    const { files } = project();
    const few = files.slice(0, 5);
    const ahead = readAhead(few, CANDIDATE);
    for (const file of few)
      expect((await ahead.next(file))?.candidate).toBe(CANDIDATE.test(readFileSync(file, 'utf8')));
    expect(ahead.fromThread).toBe(0);
  });

  it.each([
    ['on the thread', COUNT],
    ['here', 5],
  ])('%s: skips files not asked for, and refuses a file asked again or out of order', async (_, count) => {
    const { files } = project();
    const listed = files.slice(0, count);
    const ahead = readAhead(listed, CANDIDATE);
    // The caller may skip files it turned out not to need (a file classified as a test after all).
    const third = await ahead.next(listed[3]);
    expect(third).toEqual({ candidate: true, text: readFileSync(listed[3], 'utf8') });
    await expect(ahead.next(listed[3])).rejects.toThrow(/out of order/);
    await expect(ahead.next(listed[1])).rejects.toThrow(/out of order/);
    await expect(ahead.next(path.join(path.dirname(listed[0]), 'elsewhere.ts'))).rejects.toThrow(
      /out of order/,
    );
    expect((await ahead.next(listed[4]))?.candidate).toBe(false);
  });

  it('sourceReader: a text the run already holds wins; an unreadable file is read here, with its error', async () => {
    const { files } = project();
    const texts = new Map([[files[2], 'res.status(403)']]);
    const read = sourceReader(files, CANDIDATE, texts, (absolute) => readFileSync(absolute, 'utf8'));
    expect(await read(files[0])).toEqual({ candidate: false, imports: [] });
    expect(texts.has(files[0])).toBe(false);
    expect(await read(files[1])).toEqual({
      candidate: false,
      imports: ['../lib/x', 'lodash'],
      reexports: ['../lib/x'],
    });
    expect(await read(files[2])).toEqual({ text: 'res.status(403)', candidate: true });
    expect(await read(files[3])).toEqual({ text: readFileSync(files[3], 'utf8'), candidate: true });
    expect(texts.get(files[3])).toBe(readFileSync(files[3], 'utf8'));
    for (let i = 4; i < 7; i++) await read(files[i]);
    await expect(read(files[7])).rejects.toThrow(/EISDIR/);
  });
});

describe('migrate with the read-ahead thread (more files than READ_AHEAD_MIN_FILES)', () => {
  it('finds the 403 sites and counts every occurrence, however far down the list', async () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ dependencies: { express: '^4.21.0' } }),
    };
    for (let i = 0; i < COUNT; i++) files[name(i)] = `export const value${i} = ${i};\n`;
    files[name(5)] =
      `import { Response } from 'express';\nexport const f = (res: Response) => res.sendStatus(403);\n`;
    files[name(COUNT - 1)] =
      `import { Response } from 'express';\n// 403 here means the certificate did not match\nexport const g = (res: Response) => res.status(403).end();\n`;
    // Phase 2: a file with no 403 form of its own uses a 403 another file exports (its text is read again).
    files[name(10)] = `export const NO_ACCESS = 403;\n`;
    files[name(COUNT - 3)] =
      `import { Response } from 'express';\nimport { NO_ACCESS } from './m0010';\nexport const h = (res: Response) => res.status(NO_ACCESS).end();\n`;
    const folder = tempProject(files);
    const result = await migrate({ cwd: folder, status: 401, mode: 'dry-run' });
    expect(result.report.summary).toMatchObject({ filesScanned: COUNT, filesParsed: 4, filesChanged: 3 });
    expect(result.report.sites.map((s) => `${s.file}:${s.line}`)).toEqual([
      `${name(5)}:2`,
      // The constant whose only read is rewritten keeps 403: named at its definition (session 28).
      `${name(10)}:1`,
      `${name(COUNT - 3)}:3`,
      `${name(COUNT - 1)}:3`,
    ]);
    expect(result.diff).toContain('+export const h = (res: Response) => res.status(401).end();');
    expect(result.diff).toContain('+export const g = (res: Response) => res.status(401).end();');
    // Every 403 in the tree is in the census: m0005's and m0249's statuses (rewritten), m0249's comment and
    // m0010's constant (manual: its only use, in m0247, is rewritten, so the definition would keep 403 unread).
    expect(result.report.census).toMatchObject({
      occurrences: 4,
      rewritten: 2,
      manual: 1,
      notAnEmit: { comment: 1 },
    });
  });
});
