// @ts-check
/**
 * The floors of mtls-fix (docs/architecture.md), checked by test/architecture.test.ts on every `npm test`.
 * Imports point down only: commands -> library -> face (rules/) -> model -> base, and no module takes part
 * in an import circle. Type-only and dynamic imports count like any other.
 *
 *   commands  bin/, src/commands/, src/cli/, src/index.ts (the programmatic API)
 *   library   src/lint, src/fix, src/migrate, src/detect, src/proxy, src/explain, src/runtime, src/init
 *             (siblings may use each other, never in a circle)
 *   face      rules/: the Spectral ruleset, a thin face over src/findings
 *   model     src/findings (the rules' decisions) -> src/config -> src/openapi, each using only the ones after it
 *   base      src/errors.ts, src/util/
 */

const COMMANDS = '^(bin/|src/commands/|src/cli/|src/index\\.ts$)';
const LIBRARY = '^src/(lint|fix|migrate|detect|proxy|explain|runtime|init)/';
const FACE = '^rules/';
const BASE = '^src/(errors\\.ts$|util/)';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: move what both modules share to a module both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'library-not-to-commands',
      severity: 'error',
      comment: 'Library code returns data; only commands parse flags and print. Move the shared part down.',
      from: { path: LIBRARY },
      to: { path: COMMANDS },
    },
    {
      name: 'face-not-up',
      severity: 'error',
      comment:
        'rules/ is a thin Spectral face over the model: decisions live in src/findings, not in a runner.',
      from: { path: FACE },
      to: { path: `${COMMANDS}|${LIBRARY}` },
    },
    {
      name: 'model-not-up',
      severity: 'error',
      comment: 'The model (src/openapi, src/config, src/findings) knows no library, face or command.',
      from: { path: '^src/(openapi|config|findings)/' },
      to: { path: `${COMMANDS}|${LIBRARY}|${FACE}` },
    },
    {
      name: 'config-not-to-findings',
      severity: 'error',
      comment: 'Config produces values of the model; the rules decisions sit above it.',
      from: { path: '^src/config/' },
      to: { path: '^src/findings/' },
    },
    {
      name: 'openapi-not-to-config',
      severity: 'error',
      comment: 'The document model owns its types (e.g. MtlsDetection); config produces values of them.',
      from: { path: '^src/openapi/' },
      to: { path: '^src/(config|findings)/' },
    },
    {
      name: 'base-not-up',
      severity: 'error',
      comment: 'src/errors.ts and src/util/ are used by every floor and use none of them.',
      from: { path: BASE },
      to: { path: '^(bin/|rules/|src/)', pathNot: BASE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are edges too: a circle through types is still a circle for a reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
    exclude: { path: '^(dist|node_modules|test/fixtures)/' },
  },
};
