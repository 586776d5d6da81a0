import { describe, expect, it } from 'vitest';
import {
  bindsName,
  expressionRoot,
  literalNumber,
  numericValue,
  propertySlot,
  replaceNode,
  rootIdentifier,
  sameCase,
  shorten,
  skipOuter,
} from '../../../src/migrate/analysis/syntax.js';
import { snippet, ts } from './parse.js';

describe('analysis/syntax', () => {
  it('skipOuter strips parentheses, casts, satisfies and non-null', () => {
    const s = snippet('const a = ((403 as number)! satisfies number);');
    const outer = s.find('((403 as number)! satisfies number)', ts.isParenthesizedExpression);
    const inner = skipOuter(outer);
    expect(ts.isNumericLiteral(inner) && inner.text).toBe('403');
  });

  it.each([
    ['403', 403],
    ['0x193', 403],
    ['4_03', 403],
    ['403.0', 403],
    ['401', 401],
  ])('numericValue(%s) = %d', (literal, value) => {
    const s = snippet(`const a = ${literal};`);
    expect(numericValue(s.find(literal, ts.isNumericLiteral))).toBe(value);
  });

  it('literalNumber reads numbers and three-digit strings only', () => {
    const s = snippet(`const a = ['403', '4033', 'x', 403, (0x193)];`);
    expect(literalNumber(s.find(`'403'`, ts.isStringLiteral))).toBe(403);
    expect(literalNumber(s.find(`'4033'`, ts.isStringLiteral))).toBeUndefined();
    expect(literalNumber(s.find(`'x'`, ts.isStringLiteral))).toBeUndefined();
    expect(literalNumber(s.find('(0x193)', ts.isParenthesizedExpression))).toBe(403);
  });

  it('replaceNode keeps the key of a shorthand property', () => {
    const s = snippet('const status = 403; f({ status }); g(status);');
    const shorthand = s.find('{ status }', ts.isObjectLiteralExpression).properties[0];
    if (!ts.isShorthandPropertyAssignment(shorthand)) throw new Error('shorthand expected');
    expect(s.apply([replaceNode(s.sourceFile, shorthand.name, '401')])).toBe(
      'const status = 403; f({ status: 401 }); g(status);',
    );
    const call = s.find('g(status)', ts.isCallExpression);
    expect(s.apply([replaceNode(s.sourceFile, call.arguments[0], '401')])).toBe(
      'const status = 403; f({ status }); g(401);',
    );
  });

  it('sameCase follows the letter case of the model', () => {
    expect(sameCase('forbidden', 'Unauthorized')).toBe('unauthorized');
    expect(sameCase('FORBIDDEN', 'Not Found')).toBe('NOT_FOUND');
    expect(sameCase('Forbidden', 'Unauthorized')).toBe('Unauthorized');
  });

  it('propertySlot reads plain, quoted and shorthand keys, not spreads or methods', () => {
    const s = snippet(`f({ status: 403, 'code': x, statusCode, ...rest, m() {} });`);
    const props = s.find(
      `{ status: 403, 'code': x, statusCode, ...rest, m() {} }`,
      ts.isObjectLiteralExpression,
    ).properties;
    expect(props.map((p) => propertySlot(p)?.key)).toEqual([
      'status',
      'code',
      'statusCode',
      undefined,
      undefined,
    ]);
    expect(propertySlot(props[2])?.value.getText(s.sourceFile)).toBe('statusCode');
  });

  it('bindsName looks inside destructuring', () => {
    const s = snippet('function f({ a, b: [c, , d] }, e) {}');
    const fn = s.find('function f({ a, b: [c, , d] }, e) {}', ts.isFunctionDeclaration);
    expect(['a', 'c', 'd', 'e', 'b'].map((n) => fn.parameters.some((p) => bindsName(p.name, n)))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('rootIdentifier and expressionRoot walk chains and assignments', () => {
    const s = snippet('await res.status(403).json({ message: "no" }); ctx.body = x;');
    const literal = s.find('403', ts.isNumericLiteral);
    const root = expressionRoot(literal);
    expect(root.getText(s.sourceFile)).toBe('await res.status(403).json({ message: "no" })');
    expect(rootIdentifier(root)).toBe('res');
    expect(rootIdentifier(s.find('ctx.body = x', ts.isBinaryExpression))).toBe('ctx');
  });

  it('shorten folds whitespace and cuts at 80 characters', () => {
    expect(shorten('res\n    .status(403)')).toBe('res .status(403)');
    const long = 'x'.repeat(100);
    expect(shorten(long)).toBe(`${'x'.repeat(77)}...`);
    expect(shorten(long)).toHaveLength(80);
  });
});
