import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/migrate/frameworks/index.js';
import { migrateSource, type SourceResult } from '../../src/migrate/transform.js';

// breaker50 (Sails apps: YazanRawashdeh/yardk-sails, jcharrell/sailsjs-api-boilerplate, mowses/WYSIRWYG): the
// template a render call names, `res.view('403', …)`, was "a 403 in a shape mtls-fix does not know", and in
// `res.status(403).view('403')` "a 403 inside a form this run rewrites … still answers 403" after the status was
// rewritten. It is the page shown, census kind `view-name`, for every framework's render call.

/** The class of each occurrence: its not-an-emit kind, or the covering site's kind (`rewrite` / `manual`). */
function classes(result: SourceResult): string[] {
  return result.occurrences.map((o) => {
    if (o.kind) return o.kind;
    const covering = result.sites.find((s) => s.span.start <= o.start && o.end <= s.span.end);
    return covering ? covering.kind : 'UNCLASSIFIED';
  });
}

function run(file: string, code: string): string[] {
  return classes(migrateSource(file, code, { target: 401, frameworks: FRAMEWORKS, testFile: false }));
}

const EXPRESS = `const app = require('express')();\n`;

const scenarios: { name: string; file: string; code: string; expected: string[] }[] = [
  {
    name: 'Express res.status(403).render(403 page): the status is rewritten, the template is a view name',
    file: 'src/app.js',
    code: `${EXPRESS}app.get('/a', (req, res) => res.status(403).render('403'));\n`,
    expected: ['rewrite', 'view-name'],
  },
  {
    name: "Sails' generated forbidden response: res.view('403', { data }, cb)",
    file: 'api/responses/forbidden.js',
    code: `module.exports = function (data) {\n  const res = this.res;\n  return res.view('403', { data: data }, function (err, html) { res.send(html); });\n};\n`,
    expected: ['view-name'],
  },
  {
    name: "koa-views ctx.render('403'), through parentheses and a string key",
    file: 'src/koa.js',
    code: `const Koa = require('koa');\nmodule.exports = async (ctx) => { await ctx.render(('403')); await ctx['render']("403"); };\n`,
    expected: ['view-name', 'view-name'],
  },
  {
    name: "hapi vision h.view('403').code(403): the code is rewritten",
    file: 'src/hapi.js',
    code: `const Hapi = require('@hapi/hapi');\nmodule.exports = (request, h) => h.view('403').code(403);\n`,
    expected: ['view-name', 'rewrite'],
  },
  {
    name: "Nest @Render('403')",
    file: 'src/app.controller.ts',
    code: `import { Controller, Get, Render } from '@nestjs/common';\n@Controller()\nexport class AppController {\n  @Get('denied')\n  @Render('403')\n  denied() {\n    return {};\n  }\n}\n`,
    expected: ['view-name'],
  },
];

describe("a '403' template name is no status", () => {
  for (const { name, file, code, expected } of scenarios)
    it(name, () => {
      expect(run(file, code)).toEqual(expected);
    });

  it("a '403' status string given to a status slot is still rewritten", () => {
    expect(
      run('src/app.js', `${EXPRESS}app.get('/a', (req, res) => res.status('403').render('denied'));\n`),
    ).toEqual(['rewrite']);
  });
});
