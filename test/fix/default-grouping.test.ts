import { describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { documentText, VERSIONS } from '../helpers/default-documents.js';

// Session 14: `fix` printed one line per `default` response it leaves (Plaid: 283 lines of the same advice),
// while lint's human reports group them. Now more than three of one file make one line that counts them, names
// the first three with their lines, and says `fix --json` lists each; json lists each; a `4XX` keeps its own line.

interface JsonLeft {
  operations: string[];
  file: string;
  line: number;
  code: string;
}

describe('fix groups the default responses it leaves in its human report; --json lists each', () => {
  for (const version of VERSIONS) {
    for (const syntax of ['yaml', 'json'] as const) {
      it(`${version} ${syntax}: 5 defaults are one line naming 3, json lists 5; 3 are not grouped`, async () => {
        const name = `spec.${syntax}`;
        const cwd = tempProject({
          [name]: documentText(version, syntax, 5),
          [`three.${syntax}`]: documentText(version, syntax, 3),
        });
        const json = await runCliAsync(['fix', name, '--dry-run', '--json'], { cwd });
        const left = (JSON.parse(json.stdout) as { documents: { left: JsonLeft[] }[] }).documents[0].left;
        const defaults = left.filter((entry) => entry.code === 'default');
        expect(defaults.map((entry) => entry.operations.join())).toEqual([
          'GET /d0',
          'GET /d1',
          'GET /d2',
          'GET /d3',
          'GET /d4',
        ]);
        expect(left.filter((entry) => entry.code === '4XX')).toHaveLength(1);

        const human = await runCliAsync(['fix', name, '--dry-run'], { cwd });
        expect(human.code).toBe(0);
        const named = defaults
          .slice(0, 3)
          .map((entry) => `${entry.operations.join()} (line ${entry.line})`)
          .join('; ');
        const lines = human.stdout.split('\n');
        expect(lines.filter((line) => line.includes("'default'"))).toEqual([
          `  5 'default' responses left as they are (${named} and 2 more): 'default' stands for every status not ` +
            'listed, a 403 included, and is not one status to rename; make sure the code answers 401 instead of ' +
            '403 (`mtls-fix migrate`). `fix --json` lists each.',
        ]);
        expect(lines.filter((line) => line.includes('4XX left as it is'))).toHaveLength(1);
        expect(human.stdout).toContain('6 4XX/default responses left as they are (listed above).');

        const three = await runCliAsync(['fix', `three.${syntax}`, '--dry-run'], { cwd });
        expect(three.stdout.match(/ {2}GET \/d\d {2}default left as it is: /g)).toHaveLength(3);
      });
    }
  }
});
