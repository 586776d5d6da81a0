import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/cli.js';
import { runFix } from './helpers.js';

// Session 33 (Nebras-Open-Finance/community-standards, Raidiam's trust-framework.yaml): the gateway responses map
// holds a multi-line double-quoted responseTemplates value whose closing line sits at its key's indentation; the
// readers take it, the `yaml` package the editor parses with reports an error, and `fix` skipped the ACCESS_DENIED
// default saying "the gateway responses map could not be located in the file". It is there: the reason is the parse.
const DOC = `openapi: 3.0.0
info: { title: t, version: '1' }
x-mtls: true
paths:
  /a:
    get:
      security: [ { auth: [] } ]
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    auth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer: { type: request, authorizerUri: x }
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    responseTemplates:
      application/json: "{
        \\"errors\\": 1
      }"
`;

describe('a gateway default in a file the editor cannot parse exactly', () => {
  it('is skipped with the parse as the reason, not "could not be located"', () => {
    const folder = tempProject({ 'openapi.yaml': DOC });
    const fixed = runFix(folder, 'openapi.yaml', {}, 'dry-run');
    const reasons = fixed.documents[0]?.changes.map((change) => `${change.action} ${change.reason ?? ''}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^skipped the file does not parse exactly enough to edit in place/),
      expect.stringMatching(/^skipped the file does not parse exactly enough to edit in place/),
    ]);
  });
});
