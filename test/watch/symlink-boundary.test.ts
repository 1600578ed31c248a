import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { predicateFilter } from '../../src/classify/watch-filter.js';
import { describeObservation } from '../../src/report/describe.js';
import type { BackendKind, Watcher } from '../../src/watch/types.js';
import { recordWatcher } from '../helpers/watch-recorder.js';

// Like the default filter: dot-directories are never walked, every file is tracked.
const filter = predicateFilter({
  ignoreDir: (p) => basename(p).startsWith('.'),
  trackFile: () => true,
});
const open: Watcher[] = [];
let root: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gohot-links-'));
  outside = await mkdtemp(join(tmpdir(), 'gohot-links-outside-'));
  await writeFile(join(root, 'main.go'), 'package main\n');
  await mkdir(join(outside, 'sub'));
  await writeFile(join(outside, 'a.go'), 'package a\n');
  await writeFile(join(outside, 'sub', 'b.go'), 'package sub\n');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe.each(['native', 'poll'] as const)('symlinks (%s backend)', (backend: BackendKind) => {
  // Finding 9: a symlink to GOROOT made gohot hash 8,877 files and rebuild on edits in GOROOT;
  // one to `/` took 85 s and 331 MB to start.
  it('leaving every watch root are not walked or tracked, with one note each', async () => {
    await symlink(outside, join(root, 'ext'));
    await symlink(join(outside, 'a.go'), join(root, 'ext.go'));
    const rec = await recordWatcher(
      { roots: [root], filter, backend, reconcileIntervalMs: 20 },
      open,
    );
    expect(rec.watcher.stats()).toMatchObject({
      trackedFiles: 1,
      watchedDirs: backend === 'native' ? 1 : 0,
    });
    // Links made while watching are held to the same rule.
    await symlink(outside, join(root, 'later'));
    await symlink(join(outside, 'sub', 'b.go'), join(root, 'later.go'));
    await writeFile(join(outside, 'a.go'), 'package a // edited\n');
    await writeFile(join(outside, 'sub', 'b.go'), 'package sub // edited\n');
    await writeFile(join(outside, 'c.go'), 'package a\n');
    // Enough syncs for several sweeps and reconciliations (every 20 ms) to read the tree.
    for (let i = 0; i < 10; i++) await rec.watcher.sync();
    const main = join(root, 'main.go');
    writeFileSync(main, 'package main // edited\n');
    await rec.expectChange(main, 'modified');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => c.path)).toEqual([main]);
    expect(rec.watcher.stats()).toMatchObject({ trackedFiles: 1, misses: 0 });

    for (const link of ['ext', 'ext.go', 'later', 'later.go']) {
      const path = join(root, link);
      const notes = rec.observations.filter(
        (o) => o.type === 'link-outside-roots' && o.path === path,
      );
      expect(notes, `${link}\n${rec.dump()}`).toHaveLength(1);
      const { level, text } = describeObservation(notes[0]!);
      expect(level).toBe('warn');
      expect(text).toContain(outside);
      expect(text).toMatch(/go\.work/);
      expect(text).toMatch(/replace/);
    }
  });

  it('inside a watch root are followed as before', async () => {
    // The target is in an ignored directory, so the link is the only way in.
    await mkdir(join(root, '.shared', 'lib'), { recursive: true });
    await writeFile(join(root, '.shared', 'lib', 'lib.go'), 'package lib\n');
    await writeFile(join(root, '.shared', 'one.go'), 'package shared\n');
    await symlink(join(root, '.shared', 'lib'), join(root, 'lib'));
    await symlink(join(root, '.shared', 'one.go'), join(root, 'one.go'));
    const rec = await recordWatcher({ roots: [root], filter, backend }, open);
    expect(rec.watcher.stats().trackedFiles).toBe(3);
    writeFileSync(join(root, '.shared', 'lib', 'lib.go'), 'package lib // edited\n');
    writeFileSync(join(root, '.shared', 'one.go'), 'package shared // edited\n');
    await rec.expectChange(join(root, 'lib', 'lib.go'), 'modified');
    await rec.watcher.sync();
    expect(rec.kinds(join(root, 'one.go'))).toEqual(['modified']);
    expect(rec.logs.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('into another watch root are followed', async () => {
    await symlink(join(outside, 'sub'), join(root, 'sub'));
    const rec = await recordWatcher({ roots: [root, join(outside, 'sub')], filter, backend }, open);
    // b.go once, under the root it belongs to; the link to it is an alias of a walked directory.
    expect(rec.watcher.stats().trackedFiles).toBe(2);
    expect(rec.logs.filter((l) => l.level !== 'debug')).toEqual([]);
  });
});
