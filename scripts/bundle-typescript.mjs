#!/usr/bin/env node
// Writes dist/vendor/typescript-<version>.js: the installed TypeScript compiler (typescript/lib/typescript.js,
// 9 MB) minified by esbuild (3.75 MB; licence comments kept). src/typescript.cts loads it in place of the package's
// own file (src/util/compile-cache.cts `preloadWithCodeCache`), as the same module: every `migrate` reads the
// whole compiler source and builds one string of it (V8 needs the source beside its code cache), and on this
// project's machines each fresh page of memory that takes costs ~25 us, so the 9 MB file was ~0.2 s of the start-up.
// The version is in the name: a later `npm install` of another TypeScript leaves the copy unused until the next
// build (the package's own file is loaded then). The copy is build output, never committed (dist/ is ignored).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(path.join(root, 'package.json'));
const source = require.resolve('typescript');
const { version } = JSON.parse(readFileSync(path.join(path.dirname(source), '..', 'package.json'), 'utf8'));
const outdir = path.join(root, 'dist/vendor');

const { code } = await esbuild.transform(readFileSync(source, 'utf8'), {
  loader: 'js',
  // Whitespace and local names (the exported API, properties, keeps its names). Not the syntax pass: it folds
  // the compiler's `//# ${"sourceMappingURL"}=` into a literal that reads as a source-map comment (the package
  // test looks for those), for 4% of the size.
  minifyWhitespace: true,
  minifyIdentifiers: true,
  // The Apache-2.0 notice (`/*! ... */`) stays at the top of the copy.
  legalComments: 'inline',
  // The package's own target (it runs on every Node.js the package supports): nothing is lowered.
  target: 'esnext',
  logLevel: 'warning',
});
if (code.includes('//# sourceMappingURL='))
  throw new Error(
    'bundle-typescript: the minified compiler holds a source-map comment; see the options above',
  );
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeFileSync(path.join(outdir, `typescript-${version}.js`), code);
