import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DecisionInputs, watchFilterOf } from '../classify/contexts.js';
import { resolveConfig } from '../config/resolve-config.js';
import { createRootsMatcher } from '../config/roots-matcher.js';
import { createWatcher } from '../watch/watcher.js';
import { countWatchedDirs, probeMtimes } from './gather-watch.js';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gohot-doctor-walk-'));
  temps.push(dir);
  return dir;
}

function filterFor(root: string) {
  const config = resolveConfig(undefined, undefined, {});
  const inputs: DecisionInputs = {
    roots: [root],
    workFile: undefined,
    configFiles: new Set([path.join(root, 'gohot.json')]),
    matcher: createRootsMatcher([root], config.watch.patterns),
    restartMatcher: createRootsMatcher([root], config.watch.restartOnly),
    model: () => undefined,
    lineShifts: config.watch.lineShifts,
  };
  return watchFilterOf(inputs, undefined);
}

describe('countWatchedDirs', () => {
  it('counts what the native watcher watches on the same tree', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    for (const d of ['a/b/c', 'd', 'node_modules/x', '.git/objects', 'testdata/y', 'e/.cache']) {
      await mkdir(path.join(root, d), { recursive: true });
    }
    await writeFile(path.join(root, 'a', 'x.go'), 'package a\n');
    await mkdir(path.join(outside, 'far'));
    // A link out of the root is not followed; a link back into it is an alias, walked once.
    await symlink(outside, path.join(root, 'out'));
    await symlink(path.join(root, 'a'), path.join(root, 'd', 'back'));
    const filter = filterFor(root);

    const counted = await countWatchedDirs([{ path: root, backend: 'native' }], filter);
    const watcher = createWatcher({
      roots: [root],
      filter,
      backend: 'native',
      onChanges: () => {},
    });
    try {
      await watcher.ready();
      expect(counted).toBe(watcher.stats().watchedDirs);
    } finally {
      await watcher.close();
    }
    // root, a, a/b, a/b/c, d, e
    expect(counted).toBe(6);
  });

  it('counts nothing for a polled root', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'a'));
    expect(await countWatchedDirs([{ path: root, backend: 'poll' }], filterFor(root))).toBe(0);
  });
});

describe('probeMtimes', () => {
  it('writes stamps in a private directory and removes it', async () => {
    const root = await tempDir();
    const probe = await probeMtimes(root);
    expect('stampsNs' in probe && probe.stampsNs.length).toBeGreaterThanOrEqual(8);
    expect(await readdir(root)).toEqual([]);
  });

  it('returns the errno when the root cannot hold a directory', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'file'), '');
    expect(await probeMtimes(path.join(root, 'file'))).toEqual({ code: 'ENOTDIR' });
  });
});
