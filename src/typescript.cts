// The TypeScript compiler API for every module of mtls-fix: `import ts from '<relative>/typescript.cjs'`.
// Loaded with require() from this CommonJS module: an ES-module import of a CommonJS package makes Node lex the
// whole package for its export names first (9 MB for typescript.js, ~0.4 s of start-up through ts-morph), which
// a require() does not. Only the compiler API is used (no ts-morph Project), so the package is required directly.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this module (see above)
import ts = require('typescript');
export = ts;
