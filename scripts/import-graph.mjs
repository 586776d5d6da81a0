// Prints the folder-level import graph of mtls-fix as a Mermaid flowchart (for docs/architecture.md), from
// dependency-cruiser's reading of the code with the rules of .dependency-cruiser.mjs.
// Usage: node scripts/import-graph.mjs > graph.mmd
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.mjs'));
const { output } = await cruise(
  ['src', 'rules', 'bin'],
  options,
  {},
  { tsConfig: extractTSConfig('tsconfig.json') },
);

/** `src/migrate/analysis/x.ts` -> `src/migrate/analysis`; `src/errors.ts` stays; others -> their folder. */
function folder(file) {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0];
  if (parts.length === 2) return file;
  if (parts[1] === 'migrate' && parts.length > 3) return parts.slice(0, 3).join('/');
  return parts.slice(0, 2).join('/');
}

const ours = (file) => /^(src|rules|bin)\//.test(file);
const edges = new Set();
for (const module of output.modules) {
  if (!ours(module.source)) continue;
  for (const dependency of module.dependencies) {
    if (!ours(dependency.resolved)) continue;
    const from = folder(module.source);
    const to = folder(dependency.resolved);
    if (from !== to) edges.add(`${from} --> ${to}`);
  }
}
const id = (name) => name.replace(/[^a-zA-Z0-9]/g, '_');
const lines = ['flowchart TD'];
for (const edge of [...edges].sort()) {
  const [from, to] = edge.split(' --> ');
  lines.push(`  ${id(from)}["${from}"] --> ${id(to)}["${to}"]`);
}
console.log(lines.join('\n'));
