import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { formatFixReport } from '../../src/fix/format.js';
import { runFix } from './helpers.js';

/**
 * Trial42 (NHSDigital/immunisation-fhir-api): a shared `4XX` response whose description is a table of the
 * statuses sent, `| 403 | FORBIDDEN | … |` among them. `fix` left the range (right: a range is not one status)
 * saying only that "a 403 may be sent under it"; the words that document the 403 were not named, so after the
 * code moved to 401 the document still said 403. Now the line quotes them; `--json` carries them as `described`.
 */
const DOC =
  'openapi: 3.0.3\ninfo: {title: imms, version: "1"}\nx-mtls: true\npaths:\n' +
  "  /a:\n    get:\n      responses:\n        '200': {description: ok}\n" +
  "        4XX: {$ref: '#/components/responses/Errors'}\n" +
  "  /b:\n    get:\n      responses:\n        '200': {description: ok}\n" +
  '        default: {description: Something went wrong}\n' +
  '  /c:\n    get:\n      responses:\n' +
  '        default: {description: "Errors.\\n403 FORBIDDEN: the sender may not read it"}\n' +
  'components:\n  responses:\n    Errors:\n      description: |\n' +
  '        | 400 | INVALID | Invalid payload. |\n' +
  '        | 403 | FORBIDDEN | The sender does not have permissions. |\n';

describe('fix names the description that documents a 403 under a range it leaves', () => {
  it('quotes the line for a 4XX through $ref and for a default; a range without one reads as before', () => {
    const folder = tempProject({ 'openapi.yaml': DOC });
    const report = runFix(folder, 'openapi.yaml', {}, 'dry-run');
    expect(report.errors).toEqual([]);
    expect(
      report.documents[0].left.map((left) => [left.operations.join(), left.code, left.described]),
    ).toEqual([
      ['GET /a', '4XX', '| 403 | FORBIDDEN | The sender does not have permissions. |'],
      ['GET /b', 'default', undefined],
      ['GET /c', 'default', '403 FORBIDDEN: the sender may not read it'],
    ]);
    const lines = formatFixReport(report)
      .split('\n')
      .filter((line) => line.startsWith('  GET'));
    expect(lines[0]).toContain(
      `(\`mtls-fix migrate\`); its description says it answers 403 ("| 403 | FORBIDDEN | The sender does not ` +
        'have permissions. |"): change that text with the code  (openapi.yaml:9)',
    );
    expect(lines[1]).not.toContain('its description');
    expect(lines[2]).toContain(
      'its description says it answers 403 ("403 FORBIDDEN: the sender may not read it")',
    );
  });
});
