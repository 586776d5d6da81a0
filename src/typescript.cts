// The TypeScript compiler API for every module of mtls-fix: `import ts from '<relative>/typescript.cjs'`.
// Loaded with require() from this CommonJS module: an ES-module import of a CommonJS package makes Node lex the
// whole package for its export names first (9 MB for typescript.js, ~0.4 s of start-up through ts-morph), which
// a require() does not. Only the compiler API is used (no ts-morph Project), so the package is required directly.
// Its compiled code comes from a V8 code cache kept between runs (util/compile-cache.cts), compiled from the
// minified copy of typescript.js the build writes to dist/vendor (scripts/bundle-typescript.mjs) when it is there
// for the installed version. Tests import the package itself (vitest.config.ts), so this module runs only from dist.
import path from 'node:path';
import { preloadWithCodeCache } from './util/compile-cache.cjs';
preloadWithCodeCache('typescript', path.join(__dirname, '..', 'vendor'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this module (see above)
import ts = require('typescript');
export = ts;
