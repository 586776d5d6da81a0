import { describe, expect, it } from 'vitest';
import { Companions } from '../../../src/migrate/analysis/companions.js';
import { Constants } from '../../../src/migrate/analysis/constants.js';
import { StatusEvaluator } from '../../../src/migrate/analysis/evaluation.js';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import { snippet, ts } from './parse.js';

function companions(text: string, target = 401) {
  const s = snippet(text);
  const imports = new FileImports(s.sourceFile);
  const constants = new Constants(imports, undefined);
  const evaluator = new StatusEvaluator(s.sourceFile, text, target, imports, constants);
  return { s, c: new Companions(s.sourceFile, target, imports, constants, evaluator) };
}

describe('analysis/companions', () => {
  it('phrases, codes and status mirrors in the same expression follow the status', () => {
    const text = `res.status(403).json({ message: 'Forbidden', code: 'FORBIDDEN', statusCode: 403, hint: 'forbidden' });`;
    const { s, c } = companions(text);
    const form = s.find('res.status(403)', ts.isCallExpression);
    expect(s.apply(c.companionEdits(form))).toBe(
      `res.status(403).json({ message: 'Unauthorized', code: 'UNAUTHORIZED', statusCode: 401, hint: 'forbidden' });`,
    );
  });

  it('neighbour statements on the same receiver are the same response, until another status or a throw', () => {
    const text = [
      `res.writeHead(403);`,
      `res.end('Forbidden');`,
      `other.end('Forbidden');`,
      `res.statusCode = 500; res.end('Forbidden');`,
    ].join('\n');
    const { s, c } = companions(text);
    const form = s.find('res.writeHead(403)', ts.isCallExpression);
    expect(s.apply(c.companionEdits(form))).toBe(
      [
        `res.writeHead(403);`,
        `res.end('Unauthorized');`,
        `other.end('Forbidden');`,
        `res.statusCode = 500; res.end('Forbidden');`,
      ].join('\n'),
    );
    const cover = c.companionCover(form);
    expect(text.slice(cover.start, cover.end)).toBe(
      `res.writeHead(403);\nres.end('Unauthorized');`.replace('Unauthorized', 'Forbidden'),
    );
  });

  it('translation keys, object keys and GraphQL extensions are left alone', () => {
    const text = `res.status(403).send({ msg: t('Forbidden'), Forbidden: 1, extensions: { code: 'FORBIDDEN' } });`;
    const { s, c } = companions(text);
    expect(c.companionEdits(s.find('res.status(403)', ts.isCallExpression))).toEqual([]);
  });

  it('library phrase companions: ReasonPhrases, getReasonPhrase, STATUS_CODES lookups', () => {
    const text = [
      `import { ReasonPhrases, getReasonPhrase } from 'http-status-codes';`,
      `import { STATUS_CODES } from 'http';`,
      `x(ReasonPhrases.FORBIDDEN, getReasonPhrase(403), STATUS_CODES[403], STATUS_CODES['403_MESSAGE']);`,
    ].join('\n');
    const { s, c } = companions(text);
    const call = s.find(
      `x(ReasonPhrases.FORBIDDEN, getReasonPhrase(403), STATUS_CODES[403], STATUS_CODES['403_MESSAGE'])`,
      ts.isCallExpression,
    );
    const edits = call.arguments.flatMap((a) => c.phraseCompanion(a));
    expect(s.apply(edits)).toContain(
      `x(ReasonPhrases.UNAUTHORIZED, getReasonPhrase(401), STATUS_CODES[401], STATUS_CODES['401_MESSAGE']);`,
    );
  });

  it('phraseEdit keeps the quotes; setsChallenge sees WWW-Authenticate in the block', () => {
    const text = `function h(res) {\n  res.set('WWW-Authenticate', 'Bearer');\n  res.status(403).send("Forbidden");\n}\nres.status(403);`;
    const { s, c } = companions(text);
    expect(s.apply([c.phraseEdit(s.find('"Forbidden"', ts.isStringLiteral), 'Unauthorized')])).toContain(
      'send("Unauthorized")',
    );
    const inside = s.find('res.status(403).send("Forbidden")', ts.isCallExpression);
    expect(c.setsChallenge(inside)).toBe(true);
    const outside = (s.sourceFile.statements[1] as ts.ExpressionStatement).expression;
    expect(c.setsChallenge(outside)).toBe(false);
  });
});
