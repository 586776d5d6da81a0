import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';
import {
  formatMigrateGithubActions,
  formatMigrateSarif,
  formatSiteList,
} from '../../src/migrate/check-report.js';
import type { MigrateReport } from '../../src/migrate/types.js';

// breaker33 #02: `const table = { denied: 403 }` read only by `res.status(table.denied)` twice. The write edits the
// entry (`denied: 401`, analysis/kept-names.ts keeps the name read), but the report, `--json` sites, SARIF and the
// GitHub annotations said lines 4-5 become `res.status(401)` (they do not change), and the census counted the one
// 403 edited as "not an emit (declaration)", rewritten 0. Now every site whose edit lands elsewhere (a table entry,
// an enum member, a same-file constant, a renamed constant) is reported where the write edits it, with the reads
// it serves, and the census counts that 403 as rewritten: the sites and the diff name the same lines.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-places-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'p',
    dependencies: { express: '^4', koa: '^2', 'http-status-codes': '^2' },
  }),
  // A table entry read twice, an enum member, a plain constant, a folded one.
  'src/table.ts':
    'import express from "express";\nconst app = express();\nconst table = { denied: 403, missing: 404 };\n' +
    'app.get("/b", (req, res) => res.status(table.denied).end());\n' +
    'app.get("/d", (req, res) => res.status(table.denied).end());\nexport default app;\n',
  'src/enum.ts':
    'import express from "express";\nconst app = express();\nenum Http {\n  Ok = 200,\n  Denied = 403,\n}\n' +
    'app.get("/e", (req, res) => res.status(Http.Denied).end());\nexport default app;\n',
  'src/local.ts':
    'import express from "express";\nconst app = express();\nconst code = 403;\nconst folded = 400 + 3;\n' +
    'app.get("/f", (req, res) => res.status(code).end());\n' +
    'app.get("/g", (req, res) => res.status(folded).json({ ok: false }));\nexport default app;\n',
  // A name that says 403: renamed with its value, at the declaration and at the read.
  'src/named.ts':
    'import express from "express";\nconst app = express();\nconst FORBIDDEN = 403;\n' +
    'app.get("/h", (req, res) => res.status(FORBIDDEN).end());\nexport default app;\n',
  // A library constant held by a const (`StatusCodes.UNAUTHORIZED` at the declaration), and koa.
  'src/held.ts':
    'import Koa from "koa";\nimport { StatusCodes } from "http-status-codes";\nconst app = new Koa();\n' +
    'const DENIED = StatusCodes.FORBIDDEN;\napp.use(async (ctx) => {\n  ctx.status = DENIED;\n});\n',
  // A constant of another file: inlined at the read, which is what the report says.
  'src/codes.ts': 'export const REFUSED = 403;\n',
  'src/cross.ts':
    'import express from "express";\nimport { REFUSED } from "./codes";\nconst app = express();\n' +
    'app.get("/i", (req, res) => res.status(REFUSED).end());\nexport default app;\n',
};

/** `file:line` of every line the unified diff removes or changes (old numbering), import lines aside. */
function changedLines(diff: string): Set<string> {
  const lines = new Set<string>();
  let file = '';
  let old = 0;
  for (const line of diff.split('\n')) {
    const header = /^--- a\/(.*)/.exec(line);
    if (header) {
      file = header[1] ?? '';
      continue;
    }
    if (line.startsWith('+++')) continue;
    const hunk = /^@@ -(\d+)/.exec(line);
    if (hunk) old = Number(hunk[1]);
    else if (line.startsWith('-')) {
      if (!/^-import\b/.test(line)) lines.add(`${file}:${old}`);
      old++;
    } else if (line.startsWith(' ')) old++;
  }
  return lines;
}

const rewritten = (report: MigrateReport): string[] =>
  report.sites
    .filter((s) => s.action === 'would-rewrite' || s.action === 'rewritten')
    .map((s) => `${s.file}:${s.line}`);

describe('a rewrite whose edit lands elsewhere is reported where the write edits it', () => {
  it('the sites, --json, the --check list, SARIF and GitHub annotations name the lines the diff changes', async () => {
    const cwd = project(FILES);
    const { report, diff } = await migrate({ cwd, status: 401, mode: 'dry-run' });
    const changed = changedLines(diff);
    expect(new Set(rewritten(report))).toEqual(changed);
    expect(report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line}`)).toEqual([
      'src/codes.ts:1',
    ]);
    const at = (file: string, line: number) => report.sites.find((s) => s.file === file && s.line === line);
    expect(at('src/table.ts', 3)).toMatchObject({
      column: 25,
      form: 'denied: 403',
      replacement: 'denied: 401',
      reads: [
        { file: 'src/table.ts', line: 4, column: 29, form: 'res.status(table.denied)' },
        { file: 'src/table.ts', line: 5, column: 29, form: 'res.status(table.denied)' },
      ],
    });
    expect(at('src/enum.ts', 5)).toMatchObject({ form: 'Denied = 403', replacement: 'Denied = 401' });
    expect(at('src/local.ts', 3)).toMatchObject({
      form: 'const code = 403;',
      replacement: 'const code = 401;',
    });
    expect(at('src/local.ts', 4)).toMatchObject({
      form: 'const folded = 400 + 3;',
      replacement: 'const folded = 401;',
    });
    expect(at('src/named.ts', 3)).toMatchObject({
      form: 'const FORBIDDEN = 403;',
      replacement: 'const UNAUTHORIZED = 401;',
    });
    // The read is renamed too: its replacement is what is written there, not the number.
    expect(at('src/named.ts', 4)).toMatchObject({
      form: 'res.status(FORBIDDEN)',
      replacement: 'res.status(UNAUTHORIZED)',
    });
    expect(at('src/held.ts', 4)).toMatchObject({
      form: 'const DENIED = StatusCodes.FORBIDDEN;',
      replacement: 'const DENIED = StatusCodes.UNAUTHORIZED;',
    });
    expect(at('src/cross.ts', 4)).toMatchObject({ replacement: 'res.status(401)' });
    expect(at('src/table.ts', 4)).toBeUndefined();
    // Every 403 edited is counted rewritten; none of them "not an emit (declaration)".
    expect(report.census.notAnEmit).toEqual({});
    // The eight 403s written as such and `400 + 3` (a folded occurrence since session 33, silence33) are counted;
    // only codes.ts keeps its own (manual).
    expect(report.census).toMatchObject({ occurrences: 9, rewritten: 8, manual: 1 });

    const list = formatSiteList(report);
    expect(list).toContain(
      'src/table.ts:3:25  denied: 403 -> denied: 401 (read as the status at src/table.ts:4:29 res.status(table.denied), src/table.ts:5:29 res.status(table.denied))',
    );
    const annotated = [...formatMigrateGithubActions(report).matchAll(/^::error file=([^,]+),line=(\d+)/gm)];
    expect(new Set(annotated.map((m) => `${m[1]}:${m[2]}`))).toEqual(changed);
    const sarif = JSON.parse(
      formatMigrateSarif(report, { version: '0', informationUri: 'https://example.invalid' }),
    ) as {
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
          relatedLocations?: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    const results = sarif.runs[0]?.results.filter((r) => r.ruleId === 'mtls-migrate-rewrite') ?? [];
    const located = results.map((r) => {
      const where = r.locations[0]?.physicalLocation;
      return `${where?.artifactLocation.uri ?? ''}:${where?.region.startLine ?? 0}`;
    });
    expect(new Set(located)).toEqual(changed);
    const entry = results[located.indexOf('src/table.ts:3')];
    expect(entry?.relatedLocations?.map((l) => l.physicalLocation.region.startLine)).toEqual([4, 5]);
  });

  it('a write changes the files and lines the sites name, and says as many files changed', async () => {
    const cwd = project(FILES);
    const before = new Map(
      Object.keys(FILES).map((file) => [file, readFileSync(path.join(cwd, file), 'utf8').split('\n')]),
    );
    const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
    const changed = new Set<string>();
    const files = new Set<string>();
    for (const [file, lines] of before) {
      const after = readFileSync(path.join(cwd, file), 'utf8').split('\n');
      if (after.join('\n') !== lines.join('\n')) files.add(file);
      // Same number of lines in every file here (an import dropped aside, which is not a site).
      if (after.length !== lines.length) continue;
      lines.forEach((line, i) => {
        if (after[i] !== line) changed.add(`${file}:${i + 1}`);
      });
    }
    expect(report.summary.filesChanged).toBe(files.size);
    expect(new Set(report.sites.filter((s) => s.action === 'rewritten').map((s) => s.file))).toEqual(files);
    for (const site of rewritten(report).filter((s) => !s.startsWith('src/cross.ts')))
      expect(changed).toContain(site);
    expect(readFileSync(path.join(cwd, 'src/table.ts'), 'utf8')).toContain(
      'const table = { denied: 401, missing: 404 };\napp.get("/b", (req, res) => res.status(table.denied).end());',
    );
  });
});
