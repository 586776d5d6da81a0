import { describe, expect, it } from 'vitest';
import { FileImports } from '../../../src/migrate/analysis/file-imports.js';
import { snippet, ts } from './parse.js';

describe('analysis/file-imports', () => {
  const s = snippet(
    [
      `import http from 'node:http';`,
      `import { ForbiddenException as Denied } from '@nestjs/common';`,
      `import * as common from '@nestjs/common';`,
      `const Boom = require('@hapi/boom');`,
      `Denied; common.ForbiddenException; Boom.forbidden; Other;`,
    ].join('\n'),
  );
  const imports = new FileImports(s.sourceFile);

  it('importOf drops the node: prefix and keeps the exported name', () => {
    expect(imports.importOf('http')).toMatchObject({ module: 'http', name: 'default' });
    expect(imports.map.get('http')?.module).toBe('node:http');
    expect(imports.importOf('Denied')).toMatchObject({
      module: '@nestjs/common',
      name: 'ForbiddenException',
    });
    expect(imports.importOf('Boom')).toMatchObject({ module: '@hapi/boom', name: '*' });
    expect(imports.importOf('Other')).toBeUndefined();
  });

  it('importsModule matches a module or a subpath of it, not a prefix of its name', () => {
    expect(imports.importsModule('@nestjs/common')).toBe(true);
    expect(imports.importsModule('@hapi')).toBe(true);
    expect(imports.importsModule('@hapi/bo')).toBe(false);
    expect(imports.importsModule('express', 'http')).toBe(true);
    expect(
      new FileImports(snippet(`import x from '@nestjs/common/enums';`).sourceFile).importsModule(
        '@nestjs/common',
      ),
    ).toBe(true);
  });

  it('resolvesTo follows an alias and a namespace import', () => {
    const nest = ['@nestjs/common'];
    expect(imports.resolvesTo(s.find('Denied', ts.isIdentifier), nest, 'ForbiddenException')).toBe(true);
    expect(
      imports.resolvesTo(
        s.find('common.ForbiddenException', ts.isPropertyAccessExpression),
        nest,
        'ForbiddenException',
      ),
    ).toBe(true);
    expect(imports.resolvesTo(s.find('Other', ts.isIdentifier), nest, 'ForbiddenException')).toBe(false);
    expect(imports.resolvesTo(s.find('Denied', ts.isIdentifier), ['express'], 'ForbiddenException')).toBe(
      false,
    );
  });
});
