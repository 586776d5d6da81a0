import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The `// expect: rewrite | manual | none [kind=<outcome> ...]` markers of a fixture project
 * (test/fixtures/spec-projects/*): `file:line` -> expected outcome for one run kind. `plain` reads the unkeyed
 * word; another kind reads its `kind=` word, and `mounted` falls back to the unkeyed word. `node_modules` is not
 * read (links to workspace packages are marked where they live).
 */
export function specMarkers(dir: string, kind: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'node_modules') walk(full);
        continue;
      }
      if (!/\.[cm]?[jt]sx?$/.test(name)) continue;
      const relative = path.relative(dir, full).split(path.sep).join('/');
      readFileSync(full, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          const marker = /\/\/ expect: (.*)$/.exec(line)?.[1];
          if (!marker) return;
          const words = marker.trim().split(/\s+/);
          const plain = words.find((w) => !w.includes('='));
          const keyed = words.find((w) => w.startsWith(`${kind}=`))?.split('=')[1];
          const outcome = kind === 'plain' ? plain : (keyed ?? (kind === 'mounted' ? plain : undefined));
          if (outcome) out.set(`${relative}:${index + 1}`, outcome);
        });
    }
  };
  walk(dir);
  return out;
}

/** What a `migrate --json` report did at each site: `file:line` -> `rewrite` | `manual`. */
export function siteOutcomes(
  sites: readonly { file: string; line: number; action: string }[],
): Map<string, string> {
  return new Map(sites.map((s) => [`${s.file}:${s.line}`, s.action === 'manual' ? 'manual' : 'rewrite']));
}
