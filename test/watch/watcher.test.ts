import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { predicateFilter } from '../../src/classify/watch-filter.js';
import type { BackendKind, Watcher, WatcherOptions } from '../../src/watch/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Recorder, recordWatcher } from '../helpers/watch-recorder.js';

// Saves whose reports are counted exactly are written with writeFileSync: the watcher runs
// on this thread, so it cannot look between the truncate and the write of one save. With an
// async write, a loaded machine can see the two apart: two real changes, not one.

// Editors' temp and backup files end in "~"; directories named "skip" are ignored.
const filter = predicateFilter({
  ignoreDir: (abs) => basename(abs) === 'skip',
  trackFile: (abs) => !abs.endsWith('~'),
});

async function record(root: string, backend: WatcherOptions['backend']): Promise<Recorder> {
  const rec = await recordWatcher({ roots: [root], filter, backend }, open);
  recorders.push(rec);
  return rec;
}

const open: Watcher[] = [];
const recorders: Recorder[] = [];
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gohot-watch-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  // A batch must never name a path twice.
  expect(recorders.splice(0).flatMap((r) => r.duplicateBatches)).toEqual([]);
  await rm(root, { recursive: true, force: true });
});

describe.each(['native', 'poll'] as const)('watcher (%s backend)', (backend: BackendKind) => {
  it('reports create, modify, rename and delete of a file', async () => {
    const rec = await record(root, backend);
    const a = join(root, 'a.go');
    const b = join(root, 'b.go');
    writeFileSync(a, 'package a\n');
    await rec.expectChange(a, 'created');
    writeFileSync(a, 'package a // edited\n');
    await rec.expectChange(a, 'modified');
    await rename(a, b);
    await rec.expectChange(a, 'deleted');
    await rec.expectChange(b, 'created');
    await rm(b);
    await rec.expectChange(b, 'deleted');
    await rec.watcher.sync();
    expect(rec.kinds(a)).toEqual(['created', 'modified', 'deleted']);
    expect(rec.kinds(b)).toEqual(['created', 'deleted']);
    expect(rec.changes.every((c) => c.via === (backend === 'native' ? 'event' : 'poll'))).toBe(
      true,
    );
  });

  it('does not report the files that exist at start', async () => {
    await mkdir(join(root, 'pkg'));
    await writeFile(join(root, 'pkg', 'x.go'), 'package pkg\n');
    const rec = await record(root, backend);
    await rec.watcher.sync();
    expect(rec.changes).toEqual([]);
    expect(rec.watcher.stats().trackedFiles).toBe(1);
    expect(rec.watcher.stats().watchedDirs).toBe(backend === 'native' ? 2 : 0);
  });

  it('sees a file written right after mkdir -p of its directories', async () => {
    const rec = await record(root, backend);
    const c = join(root, 'a', 'b', 'c');
    await mkdir(c, { recursive: true });
    await writeFile(join(c, 'x.go'), 'package c\n');
    await rec.expectChange(join(c, 'x.go'), 'created');
    if (backend === 'native') {
      await waitFor(() => rec.watcher.stats().watchedDirs === 4, { describe: rec.dump });
    }
  });

  it('reports an atomic save (temp file + rename over the original) as exactly one modified', async () => {
    const file = join(root, 'main.go');
    await writeFile(file, 'package main\n');
    const rec = await record(root, backend);
    await writeFile(`${file}~`, 'package main\n\nfunc main() {}\n');
    await rename(`${file}~`, file);
    await rec.expectChange(file, 'modified');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([['modified', file]]);
  });

  it('reports nothing for a no-op save, touch or a rename of identical content', async () => {
    const file = join(root, 'main.go');
    await writeFile(file, 'package main\n');
    const rec = await record(root, backend);
    writeFileSync(file, 'package main\n');
    const now = new Date();
    await utimes(file, now, now);
    await writeFile(`${file}~`, 'package main\n');
    await rename(`${file}~`, file);
    await rec.watcher.sync();
    // A change made after the no-ops proves the watcher was looking.
    const marker = join(root, 'marker.go');
    writeFileSync(marker, 'package main\n');
    await rec.expectChange(marker, 'created');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([['created', marker]]);
  });

  it('reports every file of a deleted directory tree and releases its watches', async () => {
    const deep = join(root, 'd', 'e', 'f');
    await mkdir(deep, { recursive: true });
    const files = [join(root, 'd', '1.go'), join(root, 'd', 'e', '2.go'), join(deep, '3.go')];
    for (const f of files) await writeFile(f, f);
    const rec = await record(root, backend);
    expect(rec.watcher.stats().watchedDirs).toBe(backend === 'native' ? 4 : 0);
    await rm(join(root, 'd'), { recursive: true });
    for (const f of files) await rec.expectChange(f, 'deleted');
    await rec.watcher.sync();
    expect(rec.changes.length).toBe(3);
    expect(rec.watcher.stats().trackedFiles).toBe(0);
    expect(rec.watcher.stats().watchedDirs).toBe(backend === 'native' ? 1 : 0);
  });

  it('follows a directory moved within the tree, reporting edits under its new path', async () => {
    await mkdir(join(root, 'src', 'pkg', 'sub'), { recursive: true });
    await mkdir(join(root, 'lib'));
    await writeFile(join(root, 'src', 'pkg', 'x.go'), 'package pkg\n');
    await writeFile(join(root, 'src', 'pkg', 'sub', 'y.go'), 'package sub\n');
    const rec = await record(root, backend);
    const watchedBefore = rec.watcher.stats().watchedDirs;
    await rename(join(root, 'src', 'pkg'), join(root, 'lib', 'pkg'));
    const newX = join(root, 'lib', 'pkg', 'x.go');
    const newY = join(root, 'lib', 'pkg', 'sub', 'y.go');
    await rec.expectChange(join(root, 'src', 'pkg', 'x.go'), 'deleted');
    await rec.expectChange(join(root, 'src', 'pkg', 'sub', 'y.go'), 'deleted');
    await rec.expectChange(newX, 'created');
    await rec.expectChange(newY, 'created');
    writeFileSync(newY, 'package sub // edited\n');
    await rec.expectChange(newY, 'modified');
    await rec.watcher.sync();
    expect(rec.kinds(newY)).toEqual(['created', 'modified']);
    expect(
      rec.changes.some(
        (c) => c.path.startsWith(join(root, 'src', 'pkg', 'sub')) && c.kind !== 'deleted',
      ),
    ).toBe(false);
    expect(rec.watcher.stats().watchedDirs).toBe(watchedBefore);
  });

  it('detects a same-size rewrite whose mtime was set back to the original (coarse timestamps)', async () => {
    const file = join(root, 'gen.go');
    await writeFile(file, 'aaaa');
    // Whole seconds, as a coarse file system (FAT, some NFS and overlay setups) stamps them.
    const second = Math.floor(Date.now() / 1000);
    await utimes(file, second, second);
    const original = await stat(file);
    const rec = await record(root, backend);
    // Two rewrites within one second, same size, mtime restored: only content tells.
    await writeFile(file, 'bbbb');
    await writeFile(file, 'cccc');
    await utimes(file, original.atime, original.mtime);
    expect((await stat(file)).mtimeMs).toBe(original.mtimeMs);
    await rec.expectChange(file, 'modified');
    await rec.watcher.sync();
    const count = rec.kinds(file).length;
    await writeFile(file, 'dddd');
    await utimes(file, original.atime, original.mtime);
    await waitFor(() => rec.kinds(file).length > count, { describe: rec.dump });
    expect(rec.kinds(file).every((k) => k === 'modified')).toBe(true);
  });

  it('does not walk ignored directories and survives a symlink loop', async () => {
    await mkdir(join(root, 'skip'));
    await writeFile(join(root, 'skip', 'ignored.go'), 'x');
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a', 'x.go'), 'x');
    const { symlink } = await import('node:fs/promises');
    await symlink(join(root, 'a'), join(root, 'a', 'loop'));
    const rec = await record(root, backend);
    expect(rec.watcher.stats().trackedFiles).toBe(1);
    await writeFile(join(root, 'skip', 'ignored.go'), 'y');
    writeFileSync(join(root, 'a', 'x.go'), 'y');
    await rec.expectChange(join(root, 'a', 'x.go'), 'modified');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => c.path)).toEqual([join(root, 'a', 'x.go')]);
  });
});
