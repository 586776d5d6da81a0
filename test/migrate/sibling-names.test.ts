import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 29, silence29. An imported 403 constant whose module exports the agreed status's sibling
// (`UNAUTHORIZED`) was written as the literal 401 when the file already used the name `UNAUTHORIZED` (a local,
// another module's import, a parameter), and its definition was then named a leftover. Now the sibling is
// imported under a free alias, as a renamed class is.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CODES = 'export const FORBIDDEN = 403;\nexport const UNAUTHORIZED = 401;\n';

async function rewrite(
  server: string,
  extra: Record<string, string> = {},
): Promise<{ text: string; manual: number }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-sibling-'));
  temps.push(cwd);
  writeFileSync(
    path.join(cwd, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { express: '*' } }),
  );
  mkdirSync(path.join(cwd, 'src'));
  writeFileSync(path.join(cwd, 'src/codes.ts'), CODES);
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(cwd, name), text);
  writeFileSync(path.join(cwd, 'src/server.ts'), server);
  const { report } = await migrate({ cwd, status: 401, mode: 'write', force: true });
  // The next run reads the renamed code: the definition left holding 403 stays what it was on this run.
  const next = (await migrate({ cwd, status: 401, mode: 'check' })).report;
  return {
    text: readFileSync(path.join(cwd, 'src/server.ts'), 'utf8'),
    manual: report.sites.filter((s) => s.action === 'manual').length + next.sites.length,
  };
}

describe('the sibling of an imported constant, its name taken', () => {
  it.each([
    [
      'a local constant',
      'import express from "express";\nimport { FORBIDDEN } from "./codes";\nconst UNAUTHORIZED = "unauthorized";\nconst app = express();\napp.get("/a", (req, res) => res.status(FORBIDDEN).json({ error: UNAUTHORIZED }));\n',
      'import { UNAUTHORIZED as CodesUNAUTHORIZED } from "./codes";',
      'res.status(CodesUNAUTHORIZED)',
    ],
    [
      "another module's import",
      'import express from "express";\nimport { FORBIDDEN } from "./codes";\nimport { UNAUTHORIZED } from "./messages";\nconst app = express();\napp.get("/a", (req, res) => res.status(FORBIDDEN).json({ error: UNAUTHORIZED }));\n',
      'import { UNAUTHORIZED as CodesUNAUTHORIZED } from "./codes";',
      'res.status(CodesUNAUTHORIZED)',
    ],
    [
      'a require destructuring',
      'const express = require("express");\nconst { FORBIDDEN } = require("./codes");\nconst UNAUTHORIZED = "unauthorized";\nconst app = express();\napp.get("/a", (req, res) => res.status(FORBIDDEN).json({ error: UNAUTHORIZED }));\n',
      'const { UNAUTHORIZED: CodesUNAUTHORIZED } = require("./codes");',
      'res.status(CodesUNAUTHORIZED)',
    ],
    [
      'a name free: the sibling itself',
      'import express from "express";\nimport { FORBIDDEN } from "./codes";\nconst app = express();\napp.get("/a", (req, res) => res.status(FORBIDDEN).end());\n',
      'import { UNAUTHORIZED } from "./codes";',
      'res.status(UNAUTHORIZED)',
    ],
  ])('%s', async (_name, server, imported, use) => {
    const { text, manual } = await rewrite(server, {
      'src/messages.ts': 'export const UNAUTHORIZED = "no";\n',
    });
    expect(text).toContain(imported);
    expect(text).toContain(use);
    expect(text).not.toMatch(/status\(401\)/);
    // The definition keeps its reader of 403 elsewhere or none: nothing was inlined, nothing is a leftover.
    expect(manual).toBe(0);
  });
});
