#!/usr/bin/env node
// Builds dist/src/cli/lean-bundle/lean.js: the lean `lint` start-up path (src/cli/lean.ts, which bin/run.js loads first)
// and every module of ours it reaches, in a few files: one for what every run loads, and one chunk per part loaded
// on demand (a format's module, the glob walker, the Spectral engine), so nothing loads earlier than it did. A pre-commit hook pays Node's module loading once per file:
// resolving, reading and linking ~45 small ES modules cost about as much CPU as the lint itself. Packages stay
// outside (they load as usual, each only when reached), and so does the Spectral ruleset (rules/index.ts, only
// when the Spectral engine runs). The modules are the same compiled ones dist/src holds (tsc output), so the
// bundle runs the very code the oclif command runs; test/cli/lean-bundle.test.ts checks it stays that way.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist/src/cli/lean.js');
const outdir = path.join(root, 'dist/src/cli/lean-bundle');
const rulesDir = path.join(root, 'dist/rules');

/**
 * Packages left to Node's loader: Spectral's (loaded only for the Spectral engine and the text/junit formats),
 * the glob walker (only for a glob), and chalk (only when colour may be on; it reads the terminal when it loads).
 * The small packages every `lint` loads (js-yaml, lilconfig, strip-ansi, text-table) are bundled.
 */
const PACKAGES_OUTSIDE = ['@stoplight/*', '@oclif/*', 'tinyglobby', 'chalk', 'ajv', 'ajv/*'];

/** Imports of the compiled ruleset stay imports, re-pointed from the bundle's own folder. */
const rulesExternal = {
  name: 'rules-external',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!target.startsWith(rulesDir + path.sep)) return undefined;
      const relative = path.relative(outdir, target).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
};

/**
 * jsonc-parser's `main` is a UMD build whose factory loads its own modules with `require('./impl/format')`, which
 * a bundle cannot follow: a bundle that holds it takes its ES module build instead (the package's `module` field).
 * Not for the migrate bundle, which leaves packages outside for Node to load (Node takes the UMD build whole).
 */
const JSONC_PARSER_ESM = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };

/** What both bundles share: split ES modules for Node 20, chunk names with a content hash. */
const ESM_FOR_NODE = {
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS packages inside an ES module bundle ask `require` for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
};

// Chunk names carry a content hash: an earlier build's chunks must not linger beside the new ones.
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [entry],
  outdir,
  ...ESM_FOR_NODE,
  external: PACKAGES_OUTSIDE,
  alias: JSONC_PARSER_ESM,
  plugins: [rulesExternal],
});

// `migrate` on the lean path (src/cli/lean-migrate.ts, which lean.ts loads): the command's own modules and the
// engine's, ~150 small ES modules that Node resolved, read and linked one by one (~0.2 s of CPU before any work),
// bundled into a few files. Packages stay outside, typescript among them (required as before, through the
// src/typescript.cts module). The engine's worker threads find their modules next to the code that starts them
// (sources.ts, routes/skeleton-thread.ts, routes/operations-thread.ts): each worker is an entry point of this
// bundle, so it sits beside the chunk that starts it. The oclif command keeps loading dist/src module by module.
const migrateOut = path.join(root, 'dist/src/cli/migrate-bundle');
/**
 * src/typescript.cts (the compiler, required) stays a module of its own, imported from dist/src as Node imports
 * it: bundled, esbuild's CommonJS interop would copy each of the compiler's ~2,500 exports onto a new object
 * (about a second of CPU).
 */
const typescriptExternal = {
  name: 'typescript-external',
  setup(build) {
    build.onResolve({ filter: /typescript\.cjs$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      const relative = path.relative(migrateOut, target).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
};
/**
 * The YAML library (`yaml`, ~60 CommonJS modules) is loaded when first called, not when the bundle loads: only
 * `--spec` documents and OpenAPI locations use it, and loading it cost every plain `migrate` ~40 ms of the main
 * thread's start-up (CPU profile of gen-code 5000, session 15). The functions the bundled modules import from it
 * are wrappers that require it on first use; a name not listed here fails the build ("No matching export"), so
 * add it to YAML_FUNCTIONS (functions only: a class would need the module itself).
 */
const YAML_FUNCTIONS = [
  'parse',
  'parseDocument',
  'parseAllDocuments',
  'isMap',
  'isPair',
  'isScalar',
  'isSeq',
];
const lazyYaml = {
  name: 'lazy-yaml',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'lazy-yaml' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({
      contents: [
        "import { createRequire } from 'node:module';",
        'let loaded;',
        "const yaml = () => (loaded ??= createRequire(import.meta.url)('yaml'));",
        ...YAML_FUNCTIONS.map(
          (name) => `export function ${name}(...args) { return yaml().${name}(...args); }`,
        ),
      ].join('\n'),
      resolveDir: migrateOut,
      loader: 'js',
    }));
  },
};
rmSync(migrateOut, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    'lean-migrate': path.join(root, 'dist/src/cli/lean-migrate.js'),
    'sources-worker': path.join(root, 'dist/src/migrate/sources-worker.js'),
    'skeleton-worker': path.join(root, 'dist/src/migrate/routes/skeleton-worker.js'),
    'operations-worker': path.join(root, 'dist/src/migrate/routes/operations-worker.js'),
  },
  outdir: migrateOut,
  ...ESM_FOR_NODE,
  packages: 'external',
  plugins: [typescriptExternal, lazyYaml],
});
