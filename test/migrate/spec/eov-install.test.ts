import { describe, expect, it } from 'vitest';
import { runSpecFiles, runSpecProject, type SpecReport } from '../../helpers/spec-run.js';

// Session 46: express-openapi-validator 3 installs itself on the app: `new OpenApiValidator({ apiSpec,
// operationHandlers, validateSecurity }).install(app)` / `.installSync(app)`. Before, neither was read: both
// documents' mTLS operations had "no handler found" and their handlers' and security handler's 403s were left
// alone as reached from no mTLS operation.

describe('migrate --spec: express-openapi-validator 3 install(app) / installSync(app)', () => {
  it('routes the operations of an installed validator to their handlers, and runs its security handlers first', async () => {
    const { report } = await runSpecProject('spellings-eov-install', {
      spec: ['orders.yaml', 'reports.yaml'],
    });
    const handled = report.coverage.handled
      .flatMap((h) => h.routes.map((r) => `${h.operation} <- ${r.file}:${r.line}`))
      .sort();
    expect(handled).toEqual([
      'GET /orders/{orderId} <- src/handlers/orders.js:3',
      'GET /reports/{reportId} <- src/handlers/reports.ts:3',
    ]);
    expect(report.coverage.noHandler).toEqual([]);
  });

  it('names an installed validator whose document is computed at run time', async () => {
    const { report } = await runSpecFiles<SpecReport>({
      'package.json': JSON.stringify({ dependencies: { express: '^4', 'express-openapi-validator': '^3' } }),
      'openapi.yaml': [
        'openapi: 3.0.3',
        "info: { title: t, version: '1' }",
        'paths:',
        '  /items:',
        "    get: { x-eov-operation-handler: items, operationId: list, responses: { '200': { description: ok } } }",
        '',
      ].join('\n'),
      'src/app.js': [
        "const express = require('express');",
        "const { OpenApiValidator } = require('express-openapi-validator');",
        'const app = express();',
        'new OpenApiValidator({ apiSpec: process.env.API_SPEC, operationHandlers: __dirname + "/handlers" })',
        '  .installSync(app);',
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/handlers/items.js': 'exports.list = (req, res) => res.status(403).end();\n',
    });
    expect(report.coverage.unresolved.map((u) => `${u.file}:${u.line} ${u.reason}`)).toEqual([
      expect.stringMatching(
        /^src\/app\.js:\d+ express-openapi-validator routes operations to handlers, but its apiSpec is computed at run time/,
      ),
    ]);
  });
});
