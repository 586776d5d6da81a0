import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate/engine.js';

// Session 46 (classes46). A service method (or a function) that returns `new ForbiddenException()` to a route handler
// that returns its result (`@Get() one() { return this.users.deny(); }`, `return await …`) sends the exception as
// a 200 body, as a handler returning it itself does (session 45): no 403 is answered and renaming its class changes
// only the body. It was rewritten like a helper whose caller throws the error; it is named (manual) with the
// handler that returns it (or a constant holding it). A method whose result is thrown (`throw this.users.other()`) is still rewritten.
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('an exception a service returns to a route handler that returns it', () => {
  it('is named at the service, with the handler; a thrown one is rewritten', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mtls-fix-returned-services-'));
    temps.push(cwd);
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ dependencies: { '@nestjs/common': '^10' } }),
      'src/users.service.ts': [
        "import { Injectable, ForbiddenException as Denied } from '@nestjs/common';",
        '@Injectable()',
        'export class UsersService {',
        "  deny() { return new Denied('no'); }",
        '  async check(u: unknown) { if (!u) return new Denied(); return null; }',
        '  refuse = () => new Denied();',
        "  other() { return new Denied('thrown'); }",
        "  held() { return new Denied('held'); }",
        '}',
        '',
      ].join('\n'),
      'src/helpers.ts': [
        "import * as common from '@nestjs/common';",
        'export function denied() { return new common.ForbiddenException(); }',
        '',
      ].join('\n'),
      'src/users.controller.ts': [
        "import { Controller, Get, Post } from '@nestjs/common';",
        "import { UsersService } from './users.service';",
        "import { denied } from './helpers';",
        "@Controller('users')",
        'export class UsersController {',
        '  constructor(private readonly users: UsersService) {}',
        '  @Get() one() { return this.users.deny(); }',
        "  @Get('b') async two() { return await this.users.check(1); }",
        '  @Post() three() { throw this.users.other(); }',
        "  @Get('r') four() { return (this.users.refuse()); }",
        "  @Get('d') five() { return denied(); }",
        "  @Get('h') async six() { const r = await this.users.held(); return r; }",
        '}',
        '',
      ].join('\n'),
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
      writeFileSync(path.join(cwd, name), text);
    }
    const { report } = await migrate({ cwd, status: 401, mode: 'write' });
    const sites = report.sites.map((s) => `${s.action} ${s.file}:${s.line} ${s.form}`);
    expect(sites).toEqual([
      'manual src/helpers.ts:2 new common.ForbiddenException()',
      "manual src/users.service.ts:4 new Denied('no')",
      'manual src/users.service.ts:5 new Denied()',
      'manual src/users.service.ts:6 new Denied()',
      "rewritten src/users.service.ts:7 new Denied('thrown')",
      "manual src/users.service.ts:8 new Denied('held')",
    ]);
    expect(report.sites[1]?.reason).toContain(
      'returned by deny(), whose result the route handler one (src/users.controller.ts:7) returns',
    );
    expect(readFileSync(path.join(cwd, 'src/users.service.ts'), 'utf8')).toContain("return new Denied('no')");
  });
});
