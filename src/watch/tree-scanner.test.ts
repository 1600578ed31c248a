import { mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { predicateFilter } from '../classify/watch-filter.js';
import { FilterChange } from './refilter.js';
import { Snapshot, type Verdict } from './snapshot.js';
import { TreeScanner } from './tree-scanner.js';
import type { WatchFilter } from './types.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function setup() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gohot-scanner-'));
  roots.push(root);
  const snapshot = new Snapshot();
  const scanner = new TreeScanner(
    snapshot,
    predicateFilter({
      ignoreDir: (d) => path.basename(d) === '.git',
      trackFile: (f) => f.endsWith('.go'),
    }),
    () => {},
  );
  return { root, snapshot, scanner };
}

describe('TreeScanner.sweep', () => {
  it('reports nothing for an unchanged tree and finds a new, a changed and a deleted file', async () => {
    const { root, scanner } = await setup();
    await mkdir(path.join(root, 'pkg'));
    await writeFile(path.join(root, 'pkg', 'a.go'), 'package pkg\n');
    await writeFile(path.join(root, 'pkg', 'b.go'), 'package pkg\n');
    await writeFile(path.join(root, 'README.md'), 'x');
    await scanner.scan(root, true, {}, []);

    const quiet: Verdict[] = [];
    await scanner.sweep(root, quiet);
    expect(quiet).toEqual([]);

    await writeFile(path.join(root, 'pkg', 'a.go'), 'package pkg // changed\n');
    await rm(path.join(root, 'pkg', 'b.go'));
    await writeFile(path.join(root, 'pkg', 'c.go'), 'package pkg\n');
    await writeFile(path.join(root, 'README.md'), 'untracked change');
    const out: Verdict[] = [];
    await scanner.sweep(root, out);
    expect(out.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: path.join(root, 'pkg', 'a.go'), kind: 'modified' },
      { path: path.join(root, 'pkg', 'b.go'), kind: 'deleted' },
      { path: path.join(root, 'pkg', 'c.go'), kind: 'created' },
    ]);
  });

  // Regression: the fast sweep stopped reading a listing at the first new entry, so known
  // subdirectories listed after it (readdir order is the file system's, not sorted) were not
  // swept and their edits came one sweep late. 30 new directories make sure at least one is
  // listed before `pkg`, whatever the hash order.
  it('a new directory in a listing does not hide edits in known directories listed after it', async () => {
    const { root, scanner } = await setup();
    await mkdir(path.join(root, 'pkg'));
    const file = path.join(root, 'pkg', 'main.go');
    await writeFile(file, 'package main\n');
    await scanner.scan(root, true, {}, []);

    await writeFile(file, 'package main\n\nfunc main() {}\n');
    for (let i = 0; i < 30; i++) await mkdir(path.join(root, `new${i}`));
    const out: Verdict[] = [];
    await scanner.sweep(root, out);
    expect(out).toEqual([{ path: file, kind: 'modified' }]);
  });

  it('a same-size rewrite with the mtime set back is still found (racy-clean rule)', async () => {
    const { root, scanner } = await setup();
    const file = path.join(root, 'x.go');
    await writeFile(file, 'package a\n');
    const past = new Date(Date.now() - 500);
    await utimes(file, past, past);
    await scanner.scan(root, true, {}, []);
    await writeFile(file, 'package b\n');
    await utimes(file, past, past);
    const out: Verdict[] = [];
    await scanner.sweep(root, out);
    expect(out).toEqual([{ path: file, kind: 'modified' }]);
  });
});

describe('TreeScanner tiers', () => {
  /** Files under a `cold` directory are cold, `.txt` files untracked unless `tracksText`. */
  function tieredSetup(options: { clock?: () => number } = {}) {
    const calls: string[] = [];
    const state = { tracksText: false };
    const snapshot = new Snapshot({ clock: options.clock });
    const filter: WatchFilter = {
      dir: () => ({ watched: true }),
      file: (abs) => {
        calls.push(path.basename(abs));
        if (abs.endsWith('.txt') && !state.tracksText) {
          return { tracked: false, reason: { by: 'no-match' } };
        }
        const cold = abs.includes(`${path.sep}cold${path.sep}`);
        return {
          tracked: true,
          reason: { by: 'glob', pattern: '**' },
          tier: cold ? 'cold' : 'hot',
        };
      },
    };
    const scanner = new TreeScanner(snapshot, filter, () => {});
    return { snapshot, scanner, filter, calls, state };
  }

  async function tree(files: string[]): Promise<string> {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gohot-scanner-'));
    roots.push(root);
    for (const f of files) {
      await mkdir(path.dirname(path.join(root, f)), { recursive: true });
      await writeFile(path.join(root, f), f);
    }
    return root;
  }

  it('a hot sweep lists the directories with hot files, not the cold-only ones; a full sweep lists all', async () => {
    const root = await tree(['hot/a.go', 'cold/b.go']);
    const { snapshot, scanner } = tieredSetup();
    await scanner.baseline(root, {});
    expect([snapshot.hotCount, snapshot.coldCount]).toEqual([1, 1]);
    await writeFile(path.join(root, 'hot', 'a.go'), 'edited');
    await writeFile(path.join(root, 'hot', 'new.go'), 'new');
    await writeFile(path.join(root, 'cold', 'new.go'), 'new');
    const hot: Verdict[] = [];
    await scanner.sweep(root, hot, false);
    expect(hot.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: path.join(root, 'hot', 'a.go'), kind: 'modified' },
      { path: path.join(root, 'hot', 'new.go'), kind: 'created' },
    ]);
    const full: Verdict[] = [];
    await scanner.sweep(root, full, true);
    expect(full).toEqual([{ path: path.join(root, 'cold', 'new.go'), kind: 'created' }]);
  });

  it('reads a listing again only when the directory stat changed', async () => {
    const root = await tree(['pkg/a.go', 'pkg/README.txt']);
    // A clock well ahead of the file system's: no stamp is racily clean.
    const { scanner, calls } = tieredSetup({ clock: () => Date.now() + 60_000 });
    await scanner.baseline(root, {});
    calls.length = 0;
    await scanner.sweep(root, [], true);
    expect(calls).toEqual([]); // the untracked README is judged only when its listing is read
    await writeFile(path.join(root, 'pkg', 'b.go'), 'b');
    const out: Verdict[] = [];
    await scanner.sweep(root, out, true);
    expect(out).toEqual([{ path: path.join(root, 'pkg', 'b.go'), kind: 'created' }]);
    expect(calls).toContain('README.txt');
  });

  it('refilter lets in silently the ignored names it saw, and leaves unseen ones to be reported', async () => {
    const root = await tree(['seen.txt', 'a.go']);
    const { snapshot, scanner, filter, state } = tieredSetup();
    await scanner.baseline(root, {});
    await writeFile(path.join(root, 'unseen.txt'), 'new');
    state.tracksText = true;
    const change = new FilterChange(snapshot, filter, scanner);
    await change.retier();
    await change.refilterTree(root, {});
    expect(snapshot.hasFile(path.join(root, 'seen.txt'))).toBe(true);
    expect(snapshot.hasFile(path.join(root, 'unseen.txt'))).toBe(false);
    const out: Verdict[] = [];
    await scanner.sweep(root, out, true);
    expect(out).toEqual([{ path: path.join(root, 'unseen.txt'), kind: 'created' }]);
  });

  const sorted = (out: Verdict[]) => [...out].sort((x, y) => x.path.localeCompare(y.path));

  it('a hot sweep lists the root, the directories with hot files and their ancestors; the others only full sweeps', async () => {
    const root = await tree(['lib/hot/a.go', 'cold/b.go', 'docs/readme.txt', 'empty/.keep.txt']);
    const { scanner } = tieredSetup();
    await scanner.baseline(root, {});
    const j = (...p: string[]) => path.join(root, ...p);
    await writeFile(j('lib', 'hot', 'new.go'), 'new'); // a hot directory
    await mkdir(j('lib', 'pkg')); // next to a hot package: its parent is listed
    await writeFile(j('lib', 'pkg', 'p.go'), 'p');
    await writeFile(j('top.go'), 'top'); // the root
    await writeFile(j('cold', 'new.go'), 'new'); // cold files only
    await writeFile(j('docs', 'x.go'), 'x'); // untracked files only
    await writeFile(j('empty', 'y.go'), 'y'); // no tracked file
    const hot: Verdict[] = [];
    await scanner.sweep(root, hot, false, {}, 60_000);
    expect(sorted(hot)).toEqual([
      { path: j('lib', 'hot', 'new.go'), kind: 'created' },
      { path: j('lib', 'pkg', 'p.go'), kind: 'created' },
      { path: j('top.go'), kind: 'created' },
    ]);
    const full: Verdict[] = [];
    await scanner.sweep(root, full, true, {}, 60_000);
    expect(sorted(full)).toEqual([
      { path: j('cold', 'new.go'), kind: 'created' },
      { path: j('docs', 'x.go'), kind: 'created' },
      { path: j('empty', 'y.go'), kind: 'created' },
    ]);
  });

  it('a directory a sweep found changed is warm: hot sweeps list it until it cools down, full sweeps always', async () => {
    const root = await tree(['hot.go', 'cold/b.go']);
    const { scanner } = tieredSetup();
    await scanner.baseline(root, {});
    const j = (...p: string[]) => path.join(root, ...p);
    // Found by a full sweep, a new directory included: both directories are warm now.
    await mkdir(j('cold', 'new'));
    await writeFile(j('cold', 'new', 'n.go'), 'n');
    const full: Verdict[] = [];
    await scanner.sweep(root, full, true, {}, 60_000);
    expect(full).toEqual([{ path: j('cold', 'new', 'n.go'), kind: 'created' }]);
    expect(scanner.warmCount).toBe(2);
    // Warm: a hot sweep sees the next changes there, a rename included; this sweep gives
    // the two directories 1 ms more.
    await writeFile(j('cold', 'new', 'm.go'), 'm');
    await rename(j('cold', 'b.go'), j('cold', 'd.go'));
    const warm: Verdict[] = [];
    await scanner.sweep(root, warm, false, {}, 1);
    expect(sorted(warm)).toEqual([
      { path: j('cold', 'b.go'), kind: 'deleted' },
      { path: j('cold', 'd.go'), kind: 'created' },
      { path: j('cold', 'new', 'm.go'), kind: 'created' },
    ]);
    // Left alone, they cool down: hot sweeps drop them.
    while (scanner.warmCount > 0) await scanner.sweep(root, [], false, {}, 1);
    await writeFile(j('cold', 'new', 'o.go'), 'o');
    await rm(j('cold', 'd.go'));
    const cold: Verdict[] = [];
    await scanner.sweep(root, cold, false, {}, 1);
    expect(cold).toEqual([]);
    // A cold directory is still listed by every full sweep.
    await scanner.sweep(root, cold, true, {}, 1);
    expect(sorted(cold)).toEqual([
      { path: j('cold', 'd.go'), kind: 'deleted' },
      { path: j('cold', 'new', 'o.go'), kind: 'created' },
    ]);
  });

  it('a sweep without a warm period (native reconciliation) leaves no directory warm', async () => {
    const root = await tree(['hot.go', 'docs/readme.txt']);
    const { scanner } = tieredSetup();
    await scanner.baseline(root, {});
    await writeFile(path.join(root, 'docs', 'x.go'), 'x');
    const out: Verdict[] = [];
    await scanner.sweep(root, out, true);
    expect(out).toEqual([{ path: path.join(root, 'docs', 'x.go'), kind: 'created' }]);
    expect(scanner.warmCount).toBe(0);
  });
});
