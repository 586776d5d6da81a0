import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ts from '../../../src/typescript.cjs';
import { Project, type ProjectFile } from '../../../src/migrate/routes/project.js';
import { tempProject } from '../../helpers/cli.js';

// NodeBB (session 30): `module.exports = function (app, middleware, controllers) { … }` route files read a
// parameter in each of their ~400 registrations; every read looked for the function's calls again, over every
// call of every file (exported functions) or every identifier of the name (named ones): 21 s of a 36 s plain
// `migrate` went to the readers' route index. The calls are found once per function now.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const FILES = {
  'src/routes.js': `module.exports = function (app, base) {
  app.get(base + '/a', h);
  app.get(base + '/b', h);
  app.get(base + '/c', h);
};
`,
  'src/named.js': `function mount(app, base) {
  app.get(base + '/d', h);
  app.get(base + '/e', h);
}
mount(app, '/v2');
module.exports = mount;
`,
  'src/index.js': `const routes = require('./routes');
routes(app, '/v1');
`,
};

/** The first arguments of the file's `app.get(…)` registrations. */
function registeredPaths(file: ProjectFile): ts.Expression[] {
  const out: ts.Expression[] = [];
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(file.sourceFile) === 'app.get')
      out.push(node.arguments[0]);
    node.forEachChild(walk);
  };
  walk(file.sourceFile);
  return out;
}

describe('a parameter read by many registrations: its function calls are found once', () => {
  it('reads the same strings, looking for the calls once per function', () => {
    const dir = tempProject(FILES);
    temps.push(dir);
    const files = Object.keys(FILES).map((relative) => ({ absolute: path.join(dir, relative), relative }));
    const project = new Project(dir, files);
    const calls = vi.spyOn(project, 'calls');
    const named = vi.spyOn(project, 'identifiersNamed');

    const exported = project.byRelative('src/routes.js');
    const local = project.byRelative('src/named.js');
    if (!exported || !local) throw new Error('project files not found');
    expect(registeredPaths(exported).map((e) => project.stringOf(exported, e))).toEqual([
      '/v1/a',
      '/v1/b',
      '/v1/c',
    ]);
    // One pass over the project's calls (one `calls` per file) for the exported function, not one per read.
    expect(calls).toHaveBeenCalledTimes(files.length);

    expect(registeredPaths(local).map((e) => project.stringOf(local, e))).toEqual(['/v2/d', '/v2/e']);
    expect(named.mock.calls.filter(([name]) => name === 'mount')).toHaveLength(1);
  });
});
