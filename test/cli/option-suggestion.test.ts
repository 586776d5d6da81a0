import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionSuggestion } from '../../src/cli/option-suggestion.js';

const LIST = 'adonis, express, fastify, nestjs, next-basics, node-http, socket.io, ws.';

describe('optionSuggestion: the value a refused flag value most likely meant', () => {
  it.each([
    ['nextjs', '--framework=next-basics'], // a shared start of 4+ wins over a closer distance (nestjs)
    ['expres', '--framework=express'],
    ['Express', '--framework=express'],
    ['fastfy', '--framework=fastify'],
    ['socketio', '--framework=socket.io'],
    ['nodehttp', '--framework=node-http'],
    ['django', undefined],
    ['x', undefined],
  ])('--framework=%s -> %s', (value, expected) => {
    expect(optionSuggestion(`Expected --framework=${value} to be one of: ${LIST}`)).toBe(expected);
  });

  it('answers only for a refused option value', () => {
    expect(optionSuggestion('Nonexistent flag: --frameworks')).toBeUndefined();
    expect(
      optionSuggestion(
        'Expected --format=sarif2 to be one of: github-actions, sarif\nSee more help with --help',
      ),
    ).toBe('--format=sarif');
  });
});

describe('mtls-fix migrate --framework nextjs (end to end)', () => {
  it('names the option meant, on one line, exit 2', () => {
    const bin = path.resolve(__dirname, '../../bin/run.js');
    const run = spawnSync(process.execPath, [bin, 'migrate', '--dry-run', '--framework', 'nextjs'], {
      encoding: 'utf8',
      cwd: path.resolve(__dirname, '../..'),
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Did you mean --framework=next-basics? See --help.');
  });
});
