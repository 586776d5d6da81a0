import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

/**
 * Session 14 (Engineernoob/opshub-api): a TypeScript file imports `./routes/accounts.js` (nodenext style) and the
 * compiled `accounts.js` is committed beside `accounts.ts`. TypeScript resolves the specifier to the `.ts`
 * source; the route reader took the compiled file, so the source router was "not mounted anywhere" and its
 * sites manual with `--mount` advice.
 */
const ROUTER_TS = `import { Router } from 'express';
const router = Router();
router.get('/:id', (req, res) => {
  res.status(403).json({ error: 'denied' });
});
export default router;
`;

const ROUTER_JS = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const express_1 = require("express");
const router = (0, express_1.Router)();
router.get('/:id', (req, res) => {
    res.status(403).json({ error: 'denied' });
});
exports.default = router;
`;

describe('migrate --spec: a `.js` specifier of a TypeScript file names its `.ts` source', () => {
  it.each([
    ['.js', 'accounts.ts', ROUTER_TS, 'accounts.js', ROUTER_JS],
    ['.mjs', 'accounts.mts', ROUTER_TS, 'accounts.mjs', ROUTER_TS],
  ])(
    'a %s specifier beside the compiled file',
    async (extension, source, sourceText, output, outputText) => {
      const folder = tempProject({
        'package.json': '{"name":"x","type":"module","dependencies":{"express":"4"}}',
        'tsconfig.json':
          '{"compilerOptions":{"module":"nodenext","moduleResolution":"nodenext","strict":true}}',
        'openapi.yaml':
          "openapi: 3.1.0\ninfo: {title: x, version: '1'}\nx-mtls: true\npaths:\n" +
          "  /accounts/{id}: {get: {responses: {'200': {description: ok}}}}\n",
        'src/app.ts': `import express from 'express';\nimport accounts from './routes/accounts${extension}';\nconst app = express();\napp.use('/accounts', accounts);\nexport default app;\n`,
        [`src/routes/${source}`]: sourceText,
        [`src/routes/${output}`]: outputText,
      });
      const run = await runCliAsync(
        ['migrate', '--spec', 'openapi.yaml', '--json', '--dry-run', '--force', '.'],
        {
          cwd: folder,
        },
      );
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as {
        sites: { file: string; action: string; operation: string | null }[];
        coverage: { handled: { routes: { file: string }[] }[] };
      };
      expect(report.sites.find((s) => s.file === `src/routes/${source}`)).toMatchObject({
        action: 'would-rewrite',
        operation: 'GET /accounts/{id}',
      });
      expect(report.coverage.handled.flatMap((h) => h.routes.map((r) => r.file))).toEqual([
        `src/routes/${source}`,
      ]);
    },
    180_000,
  );
});
