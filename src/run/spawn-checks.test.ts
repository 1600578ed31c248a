import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GohotError } from '../errors.js';
import { checkSpawnable } from './spawn-checks.js';
import { RunErrorCode, type StartSpec } from './types.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function thrownBy(fn: () => unknown): GohotError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GohotError);
    return err as GohotError;
  }
  throw new Error('expected the call to throw');
}

describe('checkSpawnable', () => {
  it('returns the absolute path of a runnable binary, relative names against the cwd', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gohot-checks-'));
    dirs.push(dir);
    await writeFile(join(dir, 'app'), '#!/bin/sh\n', { mode: 0o755 });
    const spec: StartSpec = { binary: 'app', args: [], env: {}, cwd: dir };
    expect(checkSpawnable(spec)).toBe(join(dir, 'app'));
  });

  // Pins: the hints sent users to "the working directory in the gohot config" and "the build
  // output path", settings gohot does not have; gohot builds under TMPDIR.
  it.each([
    ['a missing binary under the temp dir', 'missing', RunErrorCode.binaryNotFound, /TMPDIR/],
    ['a binary without execute bits', 'no-x', RunErrorCode.binaryNotExecutable, /chmod \+x/],
    ['a directory', 'dir', RunErrorCode.binaryNotExecutable, /build it again/],
    ['a missing working directory', 'no-cwd', RunErrorCode.cwdNotFound, /started in/],
  ] as const)('%s: a hint about what exists', async (_name, kind, code, hint) => {
    const dir = await mkdtemp(join(tmpdir(), 'gohot-checks-'));
    dirs.push(dir);
    await writeFile(join(dir, 'no-x'), '#!/bin/sh\n');
    await chmod(join(dir, 'no-x'), 0o644);
    await mkdir(join(dir, 'dir'));
    const specs: Record<typeof kind, StartSpec> = {
      missing: { binary: join(dir, 'app-1'), args: [], env: {}, cwd: dir },
      'no-x': { binary: join(dir, 'no-x'), args: [], env: {}, cwd: dir },
      dir: { binary: join(dir, 'dir'), args: [], env: {}, cwd: dir },
      'no-cwd': { binary: join(dir, 'no-x'), args: [], env: {}, cwd: join(dir, 'gone') },
    };
    const err = thrownBy(() => checkSpawnable(specs[kind]));
    expect(err.code).toBe(code);
    expect(err.hint).toMatch(hint);
    expect(err.hint).not.toMatch(/gohot config|output path|output directory/);
  });

  it('names TMPDIR only for a binary under the temp dir', () => {
    const err = thrownBy(() =>
      checkSpawnable({ binary: '/nonexistent-gohot-dir/app', args: [], env: {}, cwd: '/' }),
    );
    expect(err.code).toBe(RunErrorCode.binaryNotFound);
    expect(err.hint).not.toMatch(/TMPDIR/);
  });
});
