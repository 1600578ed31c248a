import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DoctorGoEnv,
  findExecutable,
  findNearbyModules,
  isToolchainCached,
  probeWritable,
} from './gather-go.js';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gohot-doctor-go-'));
  temps.push(dir);
  return dir;
}

describe('probeWritable', () => {
  it('writes into an existing directory and leaves nothing there', async () => {
    const dir = await tempDir();
    expect(await probeWritable(dir)).toEqual({ ok: true });
    expect(await readdir(dir)).toEqual([]);
  });
  it('judges a missing directory by its nearest existing ancestor', async () => {
    const dir = await tempDir();
    expect(await probeWritable(path.join(dir, 'not', 'yet'))).toEqual({ ok: true });
  });
  it('names the regular file a path goes through (root cannot write below it either)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'file');
    await writeFile(file, '');
    expect(await probeWritable(path.join(file, 'cache', 'x'))).toEqual({
      ok: false,
      at: file,
      code: 'ENOTDIR',
    });
  });
});

describe('findNearbyModules', () => {
  it('finds go.mod files up to two levels below, skipping hidden and vendored trees', async () => {
    const top = await tempDir();
    for (const d of ['backend', 'services/api', 'deep/a/b', '.hidden', 'node_modules/m']) {
      await mkdir(path.join(top, d), { recursive: true });
      await writeFile(path.join(top, d, 'go.mod'), 'module x\n');
    }
    expect(await findNearbyModules(top)).toEqual(['backend', 'services/api']);
  });
});

describe('findExecutable', () => {
  it('finds a bare name on PATH and a path as given; not a directory or a plain file', async () => {
    const dir = await tempDir();
    const cc = path.join(dir, 'mycc');
    await writeFile(cc, '#!/bin/sh\n');
    await chmod(cc, 0o755);
    await writeFile(path.join(dir, 'plain'), '');
    await mkdir(path.join(dir, 'adir'));
    const env = { PATH: `/nonexistent${path.delimiter}${dir}` };
    expect(await findExecutable('mycc', env)).toBe(cc);
    expect(await findExecutable(cc, {})).toBe(cc);
    expect(await findExecutable('adir', env)).toBeUndefined();
    expect(await findExecutable('/nonexistent', env)).toBeUndefined();
    expect(await findExecutable('', env)).toBeUndefined();
  });
});

describe('isToolchainCached', () => {
  it('looks for the toolchain module in the module cache', async () => {
    const cache = await tempDir();
    const goEnv = { GOMODCACHE: cache, GOOS: 'linux', GOARCH: 'amd64' } as DoctorGoEnv;
    expect(isToolchainCached('go1.99.0', goEnv)).toBe(false);
    const bin = path.join(cache, 'golang.org', 'toolchain@v0.0.1-go1.99.0.linux-amd64', 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'go'), '');
    expect(isToolchainCached('go1.99.0', goEnv)).toBe(true);
    expect(isToolchainCached('go1.98.0', goEnv)).toBe(false);
  });
});
