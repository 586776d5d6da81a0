import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  watch,
} from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import {
  writeEachAtomic,
  writeFilesAtomic,
  WriteRefusedError,
  type WriteRefusal,
} from '../../src/util/write-atomic.js';
import { tempProject } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

function refusal(run: () => void): WriteRefusal | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WriteRefusedError) return error.refusal;
    throw error;
  }
  return undefined;
}

describe('writeFilesAtomic keeps what a plain write keeps', () => {
  it('writes through a symbolic link: the link stays a link, its target changes', () => {
    const folder = tempProject({ 'real.yaml': 'a: 1\n' });
    symlinkSync('real.yaml', path.join(folder, 'link.yaml'));
    writeFilesAtomic([{ path: path.join(folder, 'link.yaml'), text: 'a: 2\n', display: 'link.yaml' }]);
    expect(lstatSync(path.join(folder, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(folder, 'real.yaml'), 'utf8')).toBe('a: 2\n');
    expect(readdirSync(folder).sort()).toEqual(['link.yaml', 'real.yaml']);
  });

  it('refuses a read-only file (even as root) and writes nothing of the set', () => {
    const folder = tempProject({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    chmodSync(path.join(folder, 'b.yaml'), 0o444);
    const files = ['a.yaml', 'b.yaml'].map((name) => ({
      path: path.join(folder, name),
      text: 'x: 2\n',
      display: name,
    }));
    expect(refusal(() => writeFilesAtomic(files))).toBe('read-only');
    expect(readFileSync(path.join(folder, 'a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(readFileSync(path.join(folder, 'b.yaml'), 'utf8')).toBe('b: 1\n');
    expect(readdirSync(folder).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  it('keeps the mode', () => {
    const folder = tempProject({ 'a.yaml': 'a: 1\n' });
    chmodSync(path.join(folder, 'a.yaml'), 0o640);
    writeFilesAtomic([{ path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml' }]);
    expect(statSync(path.join(folder, 'a.yaml')).mode & 0o7777).toBe(0o640);
  });

  it.runIf(process.getuid?.() === 0)('keeps the owner and group (run as root)', () => {
    const folder = tempProject({ 'a.yaml': 'a: 1\n' });
    chownSync(path.join(folder, 'a.yaml'), 1234, 5678);
    writeFilesAtomic([{ path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml' }]);
    const stats = statSync(path.join(folder, 'a.yaml'));
    expect([stats.uid, stats.gid]).toEqual([1234, 5678]);
  });

  it('refuses a file that changed since it was read, and keeps that change', () => {
    const folder = tempProject({ 'a.yaml': 'a: 1\nb: 2\n' });
    const file = { path: path.join(folder, 'a.yaml'), text: 'a: 9\n', display: 'a.yaml', original: 'a: 1\n' };
    expect(refusal(() => writeFilesAtomic([file]))).toBe('changed');
    expect(readFileSync(path.join(folder, 'a.yaml'), 'utf8')).toBe('a: 1\nb: 2\n');
    expect(readdirSync(folder)).toEqual(['a.yaml']);
  });

  it('compares a large file chunk by chunk: a change past the first chunk, a longer or shorter file are refused', () => {
    // Over 2 chunks of 2^20 UTF-16 units, with pairs and 3-byte characters across the chunk borders.
    const original = '\uFEFFa: ' + 'é€😀x'.repeat(700_000) + '\n';
    const variants: [string, string | Buffer][] = [
      ['same', original],
      ['changed near the end', original.slice(0, -2) + 'y\n'],
      ['longer', original + ' '],
      ['shorter', original.slice(0, -1)],
    ];
    for (const [name, content] of variants) {
      const folder = tempProject({ 'a.yaml': content });
      const file = { path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml', original };
      expect(
        refusal(() => writeFilesAtomic([file])),
        name,
      ).toBe(name === 'same' ? undefined : 'changed');
      expect(readFileSync(file.path, 'utf8'), name).toBe(name === 'same' ? 'a: 2\n' : content);
    }
  });

  it('writes a large text with pairs across chunk borders byte for byte', () => {
    const text = '\uFEFF' + 'x😀é'.repeat(600_000) + '\n';
    const folder = tempProject({ 'a.yaml': 'a: 1\n' });
    writeFilesAtomic([{ path: path.join(folder, 'a.yaml'), text, display: 'a.yaml', original: 'a: 1\n' }]);
    expect(readFileSync(path.join(folder, 'a.yaml')).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('refuses a file that is not UTF-8, naming the line of the first bad byte', () => {
    const latin1 = Buffer.from('a: 1\nb: caf\xe9\n', 'latin1');
    const folder = tempProject({ 'a.yaml': latin1 });
    let caught: unknown;
    try {
      writeFilesAtomic([
        { path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml', original: 'a: 1\n' },
      ]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WriteRefusedError);
    expect((caught as WriteRefusedError).refusal).toBe('not-utf8');
    expect((caught as WriteRefusedError).toLine()).toMatch(/^a\.yaml:2:7: is not UTF-8 text \(byte 0xe9/);
    expect(readFileSync(path.join(folder, 'a.yaml'))).toEqual(latin1);
  });

  it('refuses a file another run holds the advisory lock on', () => {
    const folder = tempProject({ 'a.yaml': 'a: 1\n' });
    const release = lockfile.lockSync(path.join(folder, 'a.yaml'), { realpath: false });
    try {
      expect(
        refusal(() =>
          writeFilesAtomic([{ path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml' }]),
        ),
      ).toBe('locked');
    } finally {
      release();
    }
    expect(readFileSync(path.join(folder, 'a.yaml'), 'utf8')).toBe('a: 1\n');
    writeFilesAtomic([{ path: path.join(folder, 'a.yaml'), text: 'a: 2\n', display: 'a.yaml' }]);
    expect(readFileSync(path.join(folder, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(readdirSync(folder)).toEqual(['a.yaml']);
  });

  it('SIGTERM during a large write leaves no temp file and no half-written set', async () => {
    const count = 200;
    const files: Record<string, string> = {};
    for (let index = 0; index < count; index++) files[`f${index}.yaml`] = 'old\n';
    const folder = tempProject(files);
    const writer = pathToFileURL(path.join(REPO_ROOT, 'dist/src/util/write-atomic.js')).href;
    const script =
      `import { writeFilesAtomic } from ${JSON.stringify(writer)};\n` +
      `const big = 'new\\n'.repeat(100000);\n` +
      `writeFilesAtomic(Array.from({ length: ${count} }, (_, i) => ({ path: ${JSON.stringify(folder)} + '/f' + i + '.yaml', text: big, display: 'f' + i })));\n`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const sawTemp = await new Promise<boolean>((resolve) => {
      const watcher = watch(folder, (_event, name) => {
        if (name && name.endsWith('.tmp')) {
          watcher.close();
          resolve(true);
          child.kill('SIGTERM');
        }
      });
      child.on('exit', () => {
        watcher.close();
        resolve(false);
      });
    });
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve)));
    expect(sawTemp).toBe(true);
    const names = readdirSync(folder);
    expect(names.filter((name) => !name.endsWith('.yaml'))).toEqual([]);
    const contents = new Set(names.map((name) => readFileSync(path.join(folder, name), 'utf8').slice(0, 4)));
    expect(contents.size).toBe(1); // all old or all new
    expect(existsSync(path.join(folder, 'f0.yaml.lock'))).toBe(false);
  }, 60_000);
});

describe('writeEachAtomic: each file its own atomic set, the fsyncs overlapped', () => {
  it('writes every file it may and refuses each other one alone, for the reasons writeFilesAtomic gives', async () => {
    const files: Record<string, string> = {
      'changed.yaml': 'a: 1\nb: 2\n',
      'read-only.yaml': 'a: 1\n',
      'locked.yaml': 'a: 1\n',
      'real.yaml': 'a: 1\n',
    };
    for (let i = 0; i < 40; i++) files[`ok-${i}.yaml`] = 'a: 1\n';
    const folder = tempProject(files);
    chmodSync(path.join(folder, 'read-only.yaml'), 0o444);
    chmodSync(path.join(folder, 'ok-3.yaml'), 0o640);
    symlinkSync('real.yaml', path.join(folder, 'link.yaml'));
    const release = lockfile.lockSync(path.join(folder, 'locked.yaml'), { realpath: false });
    const names = [...Object.keys(files).filter((name) => name !== 'real.yaml'), 'link.yaml'];
    let outcomes: (WriteRefusedError | undefined)[];
    try {
      outcomes = await writeEachAtomic(
        names.map((name) => ({
          path: path.join(folder, name),
          text: 'a: 2\n',
          display: name,
          original: 'a: 1\n',
        })),
        8,
      );
    } finally {
      release();
    }
    const refused = Object.fromEntries(
      names.flatMap((name, index) => (outcomes[index] ? [[name, outcomes[index].refusal]] : [])),
    );
    expect(refused).toEqual({
      'changed.yaml': 'changed',
      'read-only.yaml': 'read-only',
      'locked.yaml': 'locked',
    });
    for (const name of Object.keys(files)) {
      const expected = name in refused ? files[name] : 'a: 2\n';
      expect(readFileSync(path.join(folder, name), 'utf8'), name).toBe(expected);
    }
    expect(lstatSync(path.join(folder, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(statSync(path.join(folder, 'ok-3.yaml')).mode & 0o7777).toBe(0o640);
    // No temp file and no lock folder is left behind.
    expect(readdirSync(folder).sort()).toEqual([...Object.keys(files), 'link.yaml'].sort());
  });

  it('an empty list writes nothing', async () => {
    expect(await writeEachAtomic([])).toEqual([]);
  });
});

describe('a file with several hard links', () => {
  it('is written in place: every link sees the new text, the inode and mode stay, no temp file is left', async () => {
    const folder = tempProject({ 'openapi.yaml': 'a: 1\n', 'server.ts': 'res.status(403);\n' });
    linkSync(path.join(folder, 'openapi.yaml'), path.join(folder, 'copy-of-openapi.yaml'));
    linkSync(path.join(folder, 'server.ts'), path.join(folder, 'server-link.ts'));
    chmodSync(path.join(folder, 'openapi.yaml'), 0o640);
    const inode = statSync(path.join(folder, 'openapi.yaml')).ino;
    writeFilesAtomic([
      {
        path: path.join(folder, 'openapi.yaml'),
        text: 'a: 2\n',
        display: 'openapi.yaml',
        original: 'a: 1\n',
      },
    ]);
    const outcomes = await writeEachAtomic([
      {
        path: path.join(folder, 'server.ts'),
        text: 'res.status(401);\n',
        display: 'server.ts',
        original: 'res.status(403);\n',
      },
    ]);
    expect(outcomes).toEqual([undefined]);
    expect(readFileSync(path.join(folder, 'copy-of-openapi.yaml'), 'utf8')).toBe('a: 2\n');
    expect(readFileSync(path.join(folder, 'server-link.ts'), 'utf8')).toBe('res.status(401);\n');
    expect(statSync(path.join(folder, 'openapi.yaml')).ino).toBe(inode);
    expect(statSync(path.join(folder, 'openapi.yaml')).mode & 0o777).toBe(0o640);
    expect(readdirSync(folder).sort()).toEqual([
      'copy-of-openapi.yaml',
      'openapi.yaml',
      'server-link.ts',
      'server.ts',
    ]);
  });

  it('a longer text and a shorter one both leave exactly the new bytes (the file is truncated)', () => {
    const folder = tempProject({ 'a.yaml': 'x: 123456789\n' });
    linkSync(path.join(folder, 'a.yaml'), path.join(folder, 'b.yaml'));
    writeFilesAtomic([{ path: path.join(folder, 'a.yaml'), text: 'x: 1\n', display: 'a.yaml' }]);
    expect(readFileSync(path.join(folder, 'b.yaml'), 'utf8')).toBe('x: 1\n');
    writeFilesAtomic([
      { path: path.join(folder, 'a.yaml'), text: 'x: 1\ny: ü\n'.repeat(3), display: 'a.yaml' },
    ]);
    expect(readFileSync(path.join(folder, 'b.yaml'), 'utf8')).toBe('x: 1\ny: ü\n'.repeat(3));
  });
});
