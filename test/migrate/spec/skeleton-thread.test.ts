import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject } from '../../helpers/cli.js';
import { FIXTURES, projectSources, shape } from '../../helpers/route-projects.js';
import { parseSource } from '../../../src/migrate/parse.js';
import { CANDIDATE } from '../../../src/migrate/prefilter.js';
import { scannedSkeleton } from '../../../src/migrate/routes/skeleton-scan.js';
import { routeFactMethods } from '../../../src/migrate/routes/route-facts.js';
import { skeletonText, trimForRoutes, wiringMethodNames } from '../../../src/migrate/routes/skeleton.js';
import { WIRINGS } from '../../../src/migrate/routes/wirings.js';
import type { startSkeletons } from '../../../src/migrate/routes/skeleton-thread.js';

// Issue 9 §3: under `--spec` one worker thread reads each source file once, for the prefilter pass (its answers
// replace read-ahead.ts's thread) and for the route skeletons; the trimmed trees are made by the worker from
// the front and by the main thread from the back (routes/skeleton-thread.ts). Each way must give the prefilter's
// own answers and, for every route file with no 403 form, the tree `trimForRoutes` leaves. The worker runs
// from dist (`npm run build` first), as in the CLI.
const DIST = path.resolve(import.meta.dirname, '../../../dist/src/migrate/routes/skeleton-thread.js');
type ThreadModule = { startSkeletons: typeof startSkeletons };
const WIRING_METHODS = wiringMethodNames(WIRINGS);
const FACT_METHODS = routeFactMethods(WIRINGS);
/** A generated project: route files with trimmable handler bodies, one holding a 403, one using an outer name. */
function generatedProject(): string {
  const files: Record<string, string> = {
    'package.json': '{"name":"x","dependencies":{"express":"4"}}',
    'src/app.ts': ["import express from 'express';", 'const app = express();']
      .concat(
        Array.from({ length: 12 }, (_, i) => [
          `import { router${i} } from './routes/module${i}';`,
          `app.use('/m${i}', router${i});`,
        ]).flat(),
      )
      .join('\n'),
  };
  for (let i = 0; i < 12; i++) {
    const handler = (h: number): string =>
      [
        `// Handler ${h}: looks up an item.`,
        `router${i}.get('/items${h}/:id', async (req: Request, res: Response) => {`,
        '  const id = String(req.params.id);',
        `  const item = { id, index: ${h}${i === 3 ? ', limit: LIMIT' : ''} };`,
        `  ${i === 5 && h === 1 ? 'if (!id) return res.status(403).end();' : ''}`,
        '  return res.status(200).json(item);',
        '});',
      ].join('\n');
    files[`src/routes/module${i}.ts`] = [
      "import { Router, Request, Response } from 'express';",
      // Only module3 reads LIMIT; the others are wholly route facts (route-facts.ts) but for module5's 403.
      ...(i === 3 ? ['const LIMIT = 10;'] : []),
      `export const router${i} = Router();`,
      ...[0, 1, 2].map(handler),
    ].join('\n');
  }
  return tempProject(files);
}

let thread: ThreadModule;
const before = process.env.MTLS_FIX_SPEC_WORKER;
beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build first`);
  thread = (await import(DIST)) as ThreadModule;
  // Fixture projects are far below BACKGROUND_FILES: the thread is asked for anyway.
  process.env.MTLS_FIX_SPEC_WORKER = 'always';
});
afterAll(() => {
  if (before === undefined) delete process.env.MTLS_FIX_SPEC_WORKER;
  else process.env.MTLS_FIX_SPEC_WORKER = before;
});

describe('the --spec file thread: one read per file, skeletons from both ends', () => {
  for (const name of ['spec-projects/express', 'generated']) {
    for (const share of ['worker', 'main', 'both'] as const) {
      it(`${name}, trees made by ${share}`, async () => {
        const root = name === 'generated' ? generatedProject() : path.join(FIXTURES, name);
        const files = projectSources(root);
        const texts = new Map(files.map((f) => [f.absolute, readFileSync(f.absolute, 'utf8')]));
        const missing = path.join(root, 'no-such-file.ts');
        // The prefilter pass also reads a file that is no route source (a test file), and one that is gone.
        const read = [...files.map((f) => f.absolute), missing];
        const routes = files.slice(0, -1);
        const started = thread.startSkeletons(routes, read, share);
        if (!started) throw new Error('no thread started');

        for (const absolute of [...read].reverse()) {
          const answer = await started.reader.next(absolute);
          const text = texts.get(absolute);
          if (text === undefined) expect(answer).toBeUndefined();
          else if (CANDIDATE.test(text)) expect(answer).toEqual({ candidate: true, text });
          else expect(answer).toEqual({ candidate: false });
        }

        const trees = await started.finish();
        const expected = routes.filter((f) => !CANDIDATE.test(texts.get(f.absolute) ?? ''));
        expect([...trees.keys()].sort()).toEqual(expected.map((f) => f.absolute).sort());
        // Every file of the Express fixture holds a 403 form or a status slot (all are parsed whole); the
        // generated project's route files hold none, so the skeleton path is exercised there.
        if (name === 'generated') expect(expected.length).toBeGreaterThan(0);
        let trimmed = 0;
        let withFacts = 0;
        for (const file of expected) {
          const text = texts.get(file.absolute) ?? '';
          const inPlace = parseSource(file.relative, text);
          const bodies = trimForRoutes(inPlace, WIRING_METHODS);
          trimmed += bodies;
          const made = trees.get(file.absolute);
          if (!made) throw new Error(`no tree for ${file.relative}`);
          const scanned = scannedSkeleton(file.relative, text, WIRING_METHODS, FACT_METHODS);
          if ('routeFacts' in made) {
            // Route facts (route-facts.ts): the tree without their statements, and the plain skeleton on demand.
            withFacts++;
            expect(made.routeFacts).toEqual(scanned?.facts);
            expect(made.sourceFile.text).toBe(scanned?.text);
            expect(shape(made.whole())).toBe(shape(inPlace));
            continue;
          }
          const tree = made;
          expect(scanned?.facts).toBeUndefined();
          expect(shape(tree)).toBe(shape(inPlace));
          // Who made it: the worker sends skeleton texts; the main thread parses the skeleton text of the file's
          // tokens, or where they cannot tell, trims the file's own tree (skeleton-tree.ts).
          const skeleton = skeletonText(text, parseSource(file.relative, text, false), WIRING_METHODS);
          if (share === 'worker') expect(tree.text).toBe(skeleton);
          if (share === 'main') expect(tree.text).toBe(scanned?.text ?? text);
        }
        // All but module3 (it reads LIMIT) and app.ts (its `use` calls are no facts).
        if (name === 'generated') expect(withFacts).toBe(expected.length - 2);
        // The check means something only when bodies were trimmed: 3 in each generated route file given as a
        // route source, but for module3 (its bodies use an outer name) and module5 (it holds a 403).
        if (name === 'generated') {
          const plain = expected.filter((f) => /module(?!3\.)\d+\.ts$/.test(f.relative));
          expect(trimmed).toBe(3 * plain.length);
          expect(trimmed).toBeGreaterThan(20);
        }
      }, 120_000);
    }
  }
});

// The sources thread has tested every file with the prefilter by the time the skeletons start (sources.ts
// `prefiltered`): its answers are taken, not tested again. A file it answered true (a 403 form) gets no skeleton;
// one it answered false gets one without a second test (here a file whose text does hold a 403 form, so a second
// test would show); a file it did not answer is tested as before.
describe('the --spec file thread takes the prefilter answers it is given', () => {
  for (const share of ['worker', 'main', 'both'] as const) {
    it(`trees made by ${share}`, async () => {
      const root = generatedProject();
      const routes = projectSources(root);
      const texts = new Map(routes.map((f) => [f.absolute, readFileSync(f.absolute, 'utf8')]));
      const at = (name: string): string => path.join(root, 'src/routes', name);
      // module5 holds a 403 form, module7 does not.
      const answers = new Map([
        [at('module5.ts'), false],
        [at('module7.ts'), true],
      ]);
      const started = thread.startSkeletons(routes, [], share, (absolute) => answers.get(absolute));
      if (!started) throw new Error('no thread started');
      const trees = await started.finish();
      const expected = routes
        .filter((f) =>
          answers.has(f.absolute)
            ? answers.get(f.absolute) === false
            : !CANDIDATE.test(texts.get(f.absolute) ?? ''),
        )
        .map((f) => f.absolute);
      expect([...trees.keys()].sort()).toEqual(expected.sort());
      expect(trees.has(at('module5.ts'))).toBe(true);
      expect(trees.has(at('module7.ts'))).toBe(false);
    }, 120_000);
  }
});
