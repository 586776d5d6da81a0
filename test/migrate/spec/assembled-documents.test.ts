import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../../helpers/cli.js';

// Session 35 (carried over from session 34, Flowise's `swagger.yml`; wikimedia/mediawiki-services-mobileapps'
// `spec/page/*.yaml`): a fragment a program assembles into its document at run time is refused, naming what it
// holds and which top-level keys are missing.

describe('migrate --spec: a fragment of a run-time-assembled document', () => {
  it('names the operations it holds and the missing keys, and says how to pass the served document', async () => {
    const cwd = tempProject({
      'package.json': '{ "name": "fragment", "private": true, "dependencies": { "express": "^4.21.0" } }\n',
      'app.js':
        "const app = require('express')();\napp.get('/page/summary/:title', (req, res) => res.sendStatus(403));\n",
      'spec/page/summary.yaml':
        "paths:\n  /{domain}/v1/page/summary/{title}:\n    get: { responses: { '200': { description: ok } } }\n    head: { responses: { '200': { description: ok } } }\n",
    });
    const run = await runCliAsync(['migrate', '--spec', 'spec/page/summary.yaml', '--dry-run'], { cwd });
    expect(run.code).toBe(2);
    // 17dd109d: "not an OpenAPI document: no 'openapi' or 'swagger' key at the top. Pass an OpenAPI 3.x or
    // Swagger 2.0 document."
    expect(run.stderr.trim()).toBe(
      "mtls-fix: spec/page/summary.yaml: not an OpenAPI document: a fragment of one: it holds 'paths' (2 operations) " +
        "but no 'openapi' (or 'swagger') and no 'info' at the top. If a program assembles the document at run time " +
        '(merging fragments, adding the version, info and servers), pass the document it serves: save it once from ' +
        'the running app, or add the missing keys to a copy.',
    );
  });
});
