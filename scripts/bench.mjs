#!/usr/bin/env node
// `npm run bench`: every row of the performance table (issue 11 / README "Performance"), each an A/B pair run
// interleaved in the same process, with medians, the ratio and its target, and the load average beside every
// figure (the machine may be shared). Then bench-lint.mjs (mtls-fix vs stock Spectral, DESIGN §7).
// Needs `npm run build` first. Environment:
//   BENCH_RUNS      rounds for the small and medium rows (default 5)
//   BENCH_BIG_RUNS  rounds for the 20,000-path and 16,000-route rows (default 3)
//   BENCH_ONLY      comma-separated row ids to run (fix-scale, fix-linear, lint-yaml, lint-yaml-equal, lint-json, startup,
//                   startup-lean, migrate, migrate-cold, migrate-spec); default all
//   BENCH_SPECTRAL  0 to skip bench-lint.mjs
//   BENCH_RUNTIME   0 to skip bench-runtime.mjs (the runtime guard over mutual TLS)
//   BENCH_DIR       scratch folder (default .bench/table; emptied first)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, interleave, run, summarize } from './bench-lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const work = path.resolve(process.env.BENCH_DIR ?? path.join(root, '.bench', 'table'));
const shared = path.resolve(root, '../shared/bench');
const cli = path.join(root, 'bin', 'run.js');
const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const bigRuns = Number(process.env.BENCH_BIG_RUNS ?? 3);
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (id) => !only || only.includes(id);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const rows = [];

/**
 * Prints and keeps one row: B against A, ratio of medians (wall; CPU beside it), target `<= max`; `max` null for
 * a row printed only as context for another (no target).
 */
function row(id, label, a, b, max, extra = '') {
  const sa = summarize(a.results);
  const sb = summarize(b.results);
  const ratio = sb.wall / sa.wall;
  const cpuRatio = sa.cpu && sb.cpu ? sb.cpu / sa.cpu : undefined;
  const ok = max === null ? undefined : ratio <= max;
  console.log(`\n[${id}] ${label}`);
  console.log(`  A ${a.name}: ${describe(sa)}`);
  console.log(`  B ${b.name}: ${describe(sb)}`);
  console.log(
    `  ratio B/A ${ratio.toFixed(2)}x wall${cpuRatio ? `, ${cpuRatio.toFixed(2)}x CPU` : ''}; ` +
      `${max === null ? 'no target (context)' : `target <= ${max}x: ${ok ? 'met' : 'NOT met'}`}${extra ? `; ${extra}` : ''}`,
  );
  rows.push({ id, label, ratio, cpuRatio, max, ok, extra });
}

/** Runs one row; a row that fails says why and the others still run. */
function safely(id, body) {
  if (!wanted(id)) return;
  try {
    body();
  } catch (error) {
    console.log(`\n[${id}] FAILED: ${error.message.split('\n').slice(0, 5).join(' | ')}`);
    rows.push({ id, label: id, ratio: NaN, max: NaN, ok: false, extra: 'the row failed; see above' });
  }
}

const gen = (script, ...args) =>
  execFileSync(node, [path.join(shared, script), ...args], { encoding: 'utf8' });
const failIfNot = (expected) => (result) => {
  if (!expected.includes(result.code)) {
    throw new Error(
      `exit ${result.code} (expected ${expected.join(' or ')}): ${result.stderr.slice(0, 2000)}`,
    );
  }
};
// The TypeScript compiler's V8 code cache (src/util/compile-cache.cts) lives in the scratch folder: the rows run
// with it warm (an untimed run first, as every run after a user's first), and the migrate-cold row measures the
// first run after an install (an empty cache folder before each run).
const compileCache = path.join(work, 'compile-cache');
const mtlsFix = (args, cwd, prepare, codes = [0, 1], cache = compileCache) => ({
  command: node,
  args: [cli, ...args],
  options: { cwd, env: { ...process.env, NODE_COMPILE_CACHE: cache } },
  prepare,
  check: failIfNot(codes),
});
/** One untimed run, so the compile cache is warm for the timed ones. */
const warmUp = (spec) => {
  spec.prepare?.();
  run(spec.command, spec.args, spec.options);
};
const nodeScript = (code, args, cwd) => ({
  command: node,
  args: ['--input-type=module', '-e', code, ...args],
  options: { cwd },
  check: failIfNot([0]),
});
const bareYaml = `import { readFileSync } from 'node:fs'; import jsYaml from '${path.join(root, 'node_modules/js-yaml/dist/js-yaml.mjs')}'; jsYaml.load(readFileSync(process.argv[1], 'utf8'));`;
const bareJson = `import { readFileSync } from 'node:fs'; JSON.parse(readFileSync(process.argv[1], 'utf8'));`;

// ---- fix at scale: fix --mtls-everywhere vs lint --mtls-everywhere (same findings) on gen-spec 20000 YAML
if (wanted('fix-scale') || wanted('lint-yaml'))
  gen('gen-spec.mjs', '20000', path.join(work, 'gen-20000.yaml'));
safely('fix-scale', () => {
  const copy = path.join(work, 'fix-20000.yaml');
  const a = {
    name: 'lint --mtls-everywhere -f json gen-spec 20000 (YAML)',
    results: [],
  };
  const b = { name: 'fix --mtls-everywhere gen-spec 20000 (YAML, a fresh copy each run)', results: [] };
  const r = interleave(
    bigRuns,
    mtlsFix(['lint', 'gen-20000.yaml', '--mtls-everywhere', '-f', 'json'], work),
    mtlsFix(['fix', 'fix-20000.yaml', '--mtls-everywhere'], work, () =>
      cpSync(path.join(work, 'gen-20000.yaml'), copy),
    ),
  );
  a.results = r.a;
  b.results = r.b;
  const peak = summarize(r.b).peakMb;
  row(
    'fix-scale',
    'fix at scale (target also: peak < 1024 MB)',
    a,
    b,
    2,
    `fix peak ${peak?.toFixed(0)} MB (< 1024: ${peak < 1024 ? 'met' : 'NOT met'})`,
  );
});

// ---- fix --check / --dry-run growth 1000 -> 4000 paths (linear: 4x the input, <= 4.5x the time)
safely('fix-linear', () => {
  gen('gen-spec.mjs', '1000', path.join(work, 'gen-1000.yaml'));
  gen('gen-spec.mjs', '4000', path.join(work, 'gen-4000.yaml'));
  for (const mode of ['--check', '--dry-run']) {
    const r = interleave(
      runs,
      mtlsFix(['fix', 'gen-1000.yaml', '--mtls-everywhere', mode], work),
      mtlsFix(['fix', 'gen-4000.yaml', '--mtls-everywhere', mode], work),
    );
    row(
      `fix-linear${mode}`,
      `fix ${mode} growth, gen-spec 1000 -> 4000 paths`,
      { name: `fix ${mode} gen-spec 1000`, results: r.a },
      { name: `fix ${mode} gen-spec 4000`, results: r.b },
      4.5,
    );
  }
});

// ---- lint vs bare parse, YAML and JSON, gen-spec 20000
safely('lint-yaml', () => {
  const r = interleave(
    bigRuns,
    nodeScript(bareYaml, ['gen-20000.yaml'], work),
    mtlsFix(['lint', 'gen-20000.yaml', '-f', 'json'], work),
  );
  row(
    'lint-yaml',
    'lint gen-spec 20000 YAML vs a bare js-yaml load of the file (whole processes)',
    { name: 'node: js-yaml load', results: r.a },
    { name: 'lint -f json', results: r.b },
    1.5,
  );
});

// Context for the row above: our YAML loader compacts js-yaml's sparse `responses` maps as they close
// (src/openapi/yaml-load.ts), which makes lint's own parse cheaper than the bare load the issue names as the
// floor. This row times lint against js-yaml with that same listener: equal parse work.
const hookedYaml = `import { readFileSync } from 'node:fs'; import jsYaml from '${path.join(root, 'node_modules/js-yaml/dist/js-yaml.mjs')}'; import { compactSparseIndexKeys } from '${path.join(root, 'dist/src/openapi/yaml-load.js')}'; jsYaml.load(readFileSync(process.argv[1], 'utf8'), { listener: compactSparseIndexKeys });`;
safely('lint-yaml-equal', () => {
  if (!existsSync(path.join(work, 'gen-20000.yaml')))
    gen('gen-spec.mjs', '20000', path.join(work, 'gen-20000.yaml'));
  const r = interleave(
    bigRuns,
    nodeScript(hookedYaml, ['gen-20000.yaml'], work),
    mtlsFix(['lint', 'gen-20000.yaml', '-f', 'json'], work),
  );
  row(
    'lint-yaml-equal',
    "lint gen-spec 20000 YAML vs js-yaml with our loader's listener (equal parse work; context for lint-yaml)",
    { name: 'node: js-yaml load + compactSparseIndexKeys', results: r.a },
    { name: 'lint -f json', results: r.b },
    null,
  );
});
safely('lint-json', () => {
  gen('gen-spec.mjs', '20000', path.join(work, 'gen-20000.json'));
  const r = interleave(
    bigRuns,
    nodeScript(bareJson, ['gen-20000.json'], work),
    mtlsFix(['lint', 'gen-20000.json', '-f', 'json'], work),
  );
  row(
    'lint-json',
    'lint gen-spec 20000 JSON vs a bare JSON.parse of the file (whole processes)',
    { name: 'node: JSON.parse', results: r.a },
    { name: 'lint -f json', results: r.b },
    3,
  );
});

// ---- start-up: the pre-commit case
safely('startup', () => {
  cpSync(path.join(root, 'examples', 'openapi.yaml'), path.join(work, 'example.yaml'));
  const r = interleave(
    runs * 2,
    { command: node, args: ['-e', ''], options: { cwd: work }, check: failIfNot([0]) },
    mtlsFix(['lint', 'example.yaml', '-f', 'stylish'], work),
  );
  row(
    'startup',
    "lint -f stylish examples/openapi.yaml vs bare `node -e ''` (whole processes)",
    { name: "node -e ''", results: r.a },
    { name: 'lint -f stylish', results: r.b },
    2,
  );
});

// ---- the lean start-up path against the same run through oclif (MTLS_FIX_LEAN=0), same command and output
safely('startup-lean', () => {
  cpSync(path.join(root, 'examples', 'openapi.yaml'), path.join(work, 'example.yaml'));
  const viaOclif = mtlsFix(['lint', 'example.yaml', '-f', 'stylish'], work);
  viaOclif.options = { cwd: work, env: { ...process.env, MTLS_FIX_LEAN: '0' } };
  const r = interleave(runs * 2, viaOclif, mtlsFix(['lint', 'example.yaml', '-f', 'stylish'], work));
  row(
    'startup-lean',
    'lint -f stylish examples/openapi.yaml: the lean path (src/cli/lean.ts) vs the same run through oclif',
    { name: 'through oclif (MTLS_FIX_LEAN=0)', results: r.a },
    { name: 'lean path', results: r.b },
    1,
  );
});

// ---- migrate vs ast-grep at equal work, in a clean git repository (no --force: the git check users pay for)
/** A gen-code tree committed to a fresh git repository, so `migrate` runs its work-tree check. */
function gitTree(dir, files, spec) {
  gen('gen-code.mjs', String(files), dir);
  if (spec)
    execFileSync(node, [
      path.join(here, 'gen-routes-spec.mjs'),
      String(files),
      path.join(dir, 'openapi.yaml'),
    ]);
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.test', ...args], {
      cwd: dir,
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'generated');
}
/** Restores a tree to its commit (untimed), so every run starts from the same clean state. */
const reset = (dir) => () => {
  execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: dir });
  execFileSync('git', ['clean', '-qfd'], { cwd: dir });
};
// The same four rewrites migrate makes on gen-code: the three status forms, and the `{ error: 'forbidden' }` body
// that follows a rewritten `res.status(403).json(...)` (the status rule must not fire inside that one).
const BODY_FORM = "res.status(403).json({ error: 'forbidden' })";
const AST_GREP_RULES = [
  `id: body\nlanguage: TypeScript\nrule:\n  pattern: "${BODY_FORM}"\nfix: "res.status(401).json({ error: 'unauthorized' })"`,
  `id: status\nlanguage: TypeScript\nrule:\n  pattern: res.status(403)\n  not:\n    inside:\n      pattern: "${BODY_FORM}"\nfix: res.status(401)`,
  'id: sendStatus\nlanguage: TypeScript\nrule:\n  pattern: res.sendStatus(403)\nfix: res.sendStatus(401)',
  'id: codes\nlanguage: TypeScript\nrule:\n  pattern: StatusCodes.FORBIDDEN\nfix: StatusCodes.UNAUTHORIZED',
].join('\n---\n');

/** ast-grep applying AST_GREP_RULES to a tree restored to its commit before each run. */
const astGrepScan = (astGrep, dir) => ({
  command: astGrep,
  args: ['scan', '--inline-rules', AST_GREP_RULES, '-U', '.'],
  options: { cwd: dir },
  prepare: reset(dir),
  check: failIfNot([0]),
});

function sameTrees(a, b) {
  const routes = (dir) => path.join(dir, 'src', 'routes');
  let differ = 0;
  for (const file of readdirSync(routes(a))) {
    if (readFileSync(path.join(routes(a), file), 'utf8') !== readFileSync(path.join(routes(b), file), 'utf8'))
      differ++;
  }
  return differ;
}

safely('migrate', () => {
  const ours = path.join(work, 'migrate-ours');
  const theirs = path.join(work, 'migrate-ast-grep');
  gitTree(ours, 5000, false);
  gitTree(theirs, 5000, false);
  const astGrep = path.join(root, 'node_modules', '.bin', 'ast-grep');
  const ours1 = mtlsFix(['migrate'], ours, reset(ours), [0]);
  warmUp(ours1);
  const r = interleave(runs, astGrepScan(astGrep, theirs), ours1);
  const differ = sameTrees(ours, theirs);
  row(
    'migrate',
    'migrate gen-code 5000 vs ast-grep applying the same rewrites (750 status edits + 250 bodies), clean git repo, no --force',
    { name: 'ast-grep scan (4 rules: body, status, sendStatus, StatusCodes)', results: r.a },
    { name: 'mtls-fix migrate', results: r.b },
    0.75,
    differ === 0
      ? 'the two trees are byte-identical after the runs'
      : `${differ} route files differ between the two results`,
  );
});

// The same row with the compile cache cold before every run: the first `migrate` after installing mtls-fix.
safely('migrate-cold', () => {
  const ours = path.join(work, 'migrate-ours');
  const theirs = path.join(work, 'migrate-ast-grep');
  if (!existsSync(ours)) gitTree(ours, 5000, false);
  if (!existsSync(theirs)) gitTree(theirs, 5000, false);
  const cold = path.join(work, 'compile-cache-cold');
  const emptyCache = () => {
    rmSync(cold, { recursive: true, force: true });
    mkdirSync(cold);
  };
  const r = interleave(
    runs,
    astGrepScan(path.join(root, 'node_modules', '.bin', 'ast-grep'), theirs),
    mtlsFix(['migrate'], ours, () => (reset(ours)(), emptyCache()), [0], cold),
  );
  row(
    'migrate-cold',
    'migrate gen-code 5000 vs ast-grep as the migrate row, but the first run after an install (compile cache empty)',
    { name: 'ast-grep scan (4 rules)', results: r.a },
    { name: 'mtls-fix migrate, cold compile cache', results: r.b },
    null,
  );
});

safely('migrate-spec', () => {
  const plain = path.join(work, 'routes-plain');
  const withSpec = path.join(work, 'routes-spec');
  gitTree(plain, 1600, true);
  gitTree(withSpec, 1600, true);
  const plainRun = mtlsFix(['migrate'], plain, reset(plain), [0]);
  const specRun = mtlsFix(['migrate', '--spec', 'openapi.yaml'], withSpec, reset(withSpec), [0, 1]);
  warmUp(plainRun);
  warmUp(specRun);
  const r = interleave(bigRuns, plainRun, specRun);
  row(
    'migrate-spec',
    'migrate --spec at 16,000 routes (gen-code 1600 + scripts/gen-routes-spec.mjs) vs plain migrate, same tree',
    { name: 'migrate', results: r.a },
    { name: 'migrate --spec openapi.yaml', results: r.b },
    1.5,
  );
});

console.log('\n| row | ratio (wall) | ratio (CPU) | target | met |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.ratio.toFixed(2)}x | ${r.cpuRatio ? `${r.cpuRatio.toFixed(2)}x` : 'n/a'} | ${r.max === null ? 'none' : `<= ${r.max}x`} | ${r.max === null ? 'context' : r.ok ? 'yes' : 'no'}${r.extra ? ` (${r.extra})` : ''} |`,
  );
}
writeFileSync(path.join(work, 'table.json'), JSON.stringify(rows, null, 2));

if (process.env.BENCH_SPECTRAL !== '0' && !only && existsSync(path.join(here, 'bench-lint.mjs'))) {
  console.log('\n# bench-lint.mjs');
  const { status } = spawnSync(node, [path.join(here, 'bench-lint.mjs')], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

// The runtime guard's overhead (issue 15): its own script, also `npm run bench:runtime`.
if (process.env.BENCH_RUNTIME !== '0' && !only && existsSync(path.join(here, 'bench-runtime.mjs'))) {
  console.log('\n# bench-runtime.mjs');
  const { status } = spawnSync(node, [path.join(here, 'bench-runtime.mjs')], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

// The one writer of fix and migrate against write-file-atomic (issue 14): its own script.
if (process.env.BENCH_WRITER !== '0' && !only && existsSync(path.join(here, 'bench-writer.mjs'))) {
  console.log('\n# bench-writer.mjs');
  const { status } = spawnSync(node, [path.join(here, 'bench-writer.mjs')], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
