import { describe, expect, it } from 'vitest';
import { astroFrontmatter, astroScript } from '../../src/migrate/astro.js';
import { parseFailureHint, parseSource, syntaxErrors } from '../../src/migrate/parse.js';

const PAGE = [
  '---',
  "import Layout from '../layouts/Layout.astro';",
  'if (!Astro.locals.user) {',
  '  Astro.response.status = 403;',
  '}',
  '---',
  '<Layout><p>403: {Astro.url.pathname}</p></Layout>',
  '',
].join('\n');

describe('astroFrontmatter', () => {
  it('returns the script between the fences and its offset', () => {
    const frontmatter = astroFrontmatter(PAGE)!;
    expect(frontmatter.offset).toBe(4);
    expect(frontmatter.code.startsWith('import Layout')).toBe(true);
    expect(frontmatter.code.endsWith('}\n')).toBe(true);
    expect(PAGE.slice(frontmatter.offset, frontmatter.offset + frontmatter.code.length)).toBe(
      frontmatter.code,
    );
  });

  it('handles CRLF and a BOM', () => {
    const text = `\uFEFF---\r\nconst a = 403;\r\n---\r\n<p/>\r\n`;
    expect(astroFrontmatter(text)).toEqual({ code: 'const a = 403;\r\n', offset: 6 });
  });

  it('is undefined for a template-only component', () => {
    expect(astroFrontmatter('<p>403</p>\n')).toBeUndefined();
  });
});

describe('astroScript', () => {
  it('keeps the length, the lines and the frontmatter; blanks the template', () => {
    const script = astroScript(PAGE);
    expect(script).toHaveLength(PAGE.length);
    expect(script.split('\n')).toHaveLength(PAGE.split('\n').length);
    expect(script).toContain('Astro.response.status = 403;');
    expect(script).not.toContain('<Layout>');
    expect(script).not.toContain('---');
  });

  it('parses as TypeScript at the file offsets', () => {
    const sourceFile = parseSource('src/pages/admin.astro', PAGE);
    expect(syntaxErrors(sourceFile)).toHaveLength(0);
    const at = PAGE.indexOf('403;');
    expect(sourceFile.text.slice(at, at + 3)).toBe('403');
  });
});

describe('parseFailureHint', () => {
  it('names Flow for a file with the @flow pragma', () => {
    expect(parseFailureHint('/* @flow */\nexport type T = {| a: 1 |};\n')).toMatch(/Flow-only syntax/);
    expect(parseFailureHint("// @flow strict\n'use strict';\n")).toMatch(/Flow-only syntax/);
  });

  it('says nothing for other files', () => {
    expect(parseFailureHint('const a = (;\n// @flow later\n')).toBeUndefined();
  });
});
