import path from 'node:path';
import ts from '../typescript.cjs';
import type { FileAnalysis } from './analysis.js';
import type { Occurrence } from './census-occurrences.js';
import type { ProjectLinks } from './links.js';
import type { Site } from './types.js';
import { compareText } from '../util/compare.js';
import { lineAndCharacterAt } from '../util/lines.js';

/**
 * A 403 held in a JSON module the code imports (`import errors from './errors.json'` under `resolveJsonModule`,
 * `require('./errors.json')`), read as a status by a site this run rewrites (`res.status(errors.noCert.status)`
 * -> `res.status(401)`; breaker31 #06). The read is rewritten as a TypeScript enum member's is, and the JSON
 * keeps its 403 (mtls-fix writes no data file): every other reader of that table (the same object sent as the
 * body, a computed `errors[k].status` elsewhere) still gets 403. So each 403 of such a JSON file becomes a manual
 * site there, named by file:line with the reads this run replaced, and is counted in the census, as the enum's
 * member is (census-values.ts `memberGoneReason`).
 */
export interface JsonValues {
  /** Manual sites in the JSON files, by file then offset. */
  sites: Site[];
  /** Relative JSON path -> its 403 occurrences (each under one of `sites`). */
  occurrences: Map<string, Occurrence[]>;
}

/** A read of a JSON value in a code file: where, and whether a site of this run rewrote it. */
interface JsonRead {
  /** `file:line form` of the read, for reasons. */
  where: string;
  rewritten: boolean;
}

/**
 * The 403s of the JSON modules the analysed files import whose value a rewritten site reads (see `JsonValues`).
 *
 * @param analyses the run's analyses by absolute path (server files; their sites decided).
 * @param rewritten whether a site was rewritten (or would be) by this run.
 * @param textOf a file's text (absolute path); throws what `readFileSync` throws.
 * @param target the agreed status.
 */
export function jsonValueSites(
  cwd: string,
  analyses: ReadonlyMap<string, FileAnalysis>,
  links: ProjectLinks,
  rewritten: (site: Site) => boolean,
  textOf: (absolute: string) => string,
  target: number,
): JsonValues {
  // JSON file (absolute) -> value offset -> reads.
  const reads = new Map<string, Map<number, JsonRead[]>>();
  const trees = new Map<string, ts.JsonSourceFile | undefined>();
  const treeOf = (absolute: string): ts.JsonSourceFile | undefined => {
    if (!trees.has(absolute)) {
      let tree: ts.JsonSourceFile | undefined;
      try {
        tree = ts.parseJsonText(absolute, textOf(absolute));
      } catch {
        tree = undefined;
      }
      trees.set(absolute, tree);
    }
    return trees.get(absolute);
  };
  for (const [absolute, analysis] of analyses) {
    if (analysis.options.testFile) continue;
    const jsonOf = new Map<string, { file: string; path: string[] }>();
    for (const [local, binding] of analysis.imports) {
      if (binding.name === '*' && !/\.json$/.test(binding.module)) continue;
      const file = links.resolve(binding.module, absolute);
      if (!file?.endsWith('.json')) continue;
      jsonOf.set(local, {
        file,
        path: binding.name === 'default' || binding.name === '*' ? [] : [binding.name],
      });
    }
    if (!jsonOf.size) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && !ts.isPropertyAccessExpression(node.parent)) {
        const chain = memberPath(node);
        const held = chain && jsonOf.get(chain.root);
        const tree = held && treeOf(held.file);
        const value = held && tree ? valueAt(tree, [...held.path, ...chain.path]) : undefined;
        if (held && value && is403(value)) {
          const start = node.getStart(analysis.sourceFile);
          const site = analysis.sites.find((s) => s.edits.some((e) => e.start <= start && node.end <= e.end));
          const line = lineAndCharacterAt(analysis.sourceFile, start).line + 1;
          const byValue = reads.get(held.file) ?? new Map<number, JsonRead[]>();
          const list = byValue.get(value.pos) ?? [];
          list.push({
            where: `${analysis.file}:${line} ${site ? site.form : node.getText(analysis.sourceFile)}`,
            rewritten: site !== undefined && rewritten(site),
          });
          byValue.set(value.pos, list);
          reads.set(held.file, byValue);
        }
      }
      node.forEachChild(visit);
    };
    visit(analysis.sourceFile);
  }
  const out: JsonValues = { sites: [], occurrences: new Map() };
  for (const [file, byValue] of [...reads].sort(([a], [b]) => compareText(a, b))) {
    if (![...byValue.values()].some((list) => list.some((r) => r.rewritten))) continue;
    const tree = treeOf(file);
    if (!tree) continue;
    const relative = path.relative(cwd, file).split(path.sep).join('/');
    const occurrences: Occurrence[] = [];
    for (const { node, key } of values403(tree)) {
      const start = node.getStart(tree);
      const done = (byValue.get(node.pos) ?? []).filter((r) => r.rewritten).map((r) => r.where);
      const line = lineAndCharacterAt(tree, start).line + 1;
      out.sites.push({
        file: relative,
        start,
        end: node.end,
        span: { start, end: node.end },
        framework: 'json',
        form: `"${key}": ${node.getText(tree)}`,
        kind: 'manual',
        edits: [],
        imports: [],
        replacement: null,
        reason: jsonReason(key, relative, line, done, target),
        scope: { functionStart: 0, functionEnd: 0 },
        operation: null,
      });
      occurrences.push({ start, end: node.end, text: node.getText(tree), form: 'number' });
    }
    out.occurrences.set(relative, occurrences);
  }
  return out;
}

/** Why a 403 of a JSON module stays for a person (`done`: the reads this run replaced, `file:line form`). */
function jsonReason(
  key: string,
  file: string,
  line: number,
  done: readonly string[],
  target: number,
): string {
  const shown = done.slice(0, 3).join(', ');
  const more = done.length > 3 ? `; ${done.length - 3} more` : '';
  return done.length
    ? `'${key}' of ${file}:${line} still holds 403: this run writes ${target} in place of its reads as a status (${shown}${more}), and mtls-fix does not rewrite JSON, so the table and the code now differ. Wherever else it is read (the same object sent as a body, a computed read such as table[key].status, another service), it still says 403: change it to the agreed status in the JSON where every reader answers an mTLS route, or keep the code reading it (undo that rewrite) and map the status where it is sent.`
    : `'${key}' of ${file}:${line} holds 403 beside entries whose reads this run rewrote, and no status slot of this run reads it by name: where code sends it as a status (a computed read such as table[key].status), that answers 403. Change it to the agreed status where every reader answers an mTLS route, or map it where it is sent.`;
}

/** `root.a.b` (property accesses, string-keyed element accesses) -> root name and keys; undefined otherwise. */
function memberPath(node: ts.Expression): { root: string; path: string[] } | undefined {
  const keys: string[] = [];
  let current: ts.Expression = node;
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      keys.unshift(current.name.text);
      current = current.expression;
    } else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) {
      keys.unshift(current.argumentExpression.text);
      current = current.expression;
    } else if (ts.isParenthesizedExpression(current)) current = current.expression;
    else break;
  }
  return ts.isIdentifier(current) && keys.length ? { root: current.text, path: keys } : undefined;
}

/** The value at `keys` in a JSON document's top-level object, or undefined. */
function valueAt(tree: ts.JsonSourceFile, keys: readonly string[]): ts.Expression | undefined {
  let value: ts.Expression | undefined = tree.statements[0]?.expression;
  for (const key of keys) {
    if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
    const entry: ts.PropertyAssignment | undefined = value.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) &&
        (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) &&
        p.name.text === key,
    );
    value = entry?.initializer;
  }
  return value;
}

/** A JSON value that is the number 403. */
function is403(value: ts.Expression): boolean {
  return ts.isNumericLiteral(value) && Number(value.text) === 403;
}

/** Every number 403 in a JSON document, with the key path that holds it (`noCert.status`). */
function values403(tree: ts.JsonSourceFile): { node: ts.Expression; key: string }[] {
  const found: { node: ts.Expression; key: string }[] = [];
  const visit = (node: ts.Node, keys: readonly string[]): void => {
    if (ts.isPropertyAssignment(node) && (ts.isStringLiteral(node.name) || ts.isIdentifier(node.name))) {
      const next = [...keys, node.name.text];
      if (is403(node.initializer)) found.push({ node: node.initializer, key: next.join('.') });
      else visit(node.initializer, next);
      return;
    }
    node.forEachChild((child) => visit(child, keys));
  };
  visit(tree, []);
  return found;
}
