import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Poller } from './poller.js';
import { Snapshot, type Verdict } from './snapshot.js';
import { TreeScanner } from './tree-scanner.js';
import type { WatchFilter } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Files under a `cold` directory are cold, `.txt` files untracked, the rest hot. */
const filter: WatchFilter = {
  dir: () => ({ watched: true }),
  file: (abs) =>
    abs.endsWith('.txt')
      ? { tracked: false, reason: { by: 'no-match' } }
      : {
          tracked: true,
          reason: { by: 'glob', pattern: '**' },
          tier: abs.includes(`${path.sep}cold${path.sep}`) ? 'cold' : 'hot',
        },
};

interface Sweep {
  readonly full: boolean;
  readonly verdicts: Verdict[];
}

/** A started poller over a tree of `files`; every sweep is logged with what it reported. */
async function started(files: string[]) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gohot-poller-'));
  for (const f of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), f);
  }
  const snapshot = new Snapshot();
  const scanner = new TreeScanner(snapshot, filter, () => {});
  await scanner.baseline(root, {});
  const sweeps: Sweep[] = [];
  const sweep = scanner.sweep.bind(scanner);
  scanner.sweep = (dir, out, full, ...rest) => {
    sweeps.push({ full: full ?? true, verdicts: out });
    return sweep(dir, out, full, ...rest);
  };
  const waiters: (() => void)[] = [];
  const poller = new Poller({
    scanner,
    intervalMs: 20,
    onVerdicts: () => {
      for (const w of waiters.splice(0)) w();
    },
  });
  poller.add(root);
  poller.start();
  cleanups.push(async () => {
    await poller.close();
    await rm(root, { recursive: true, force: true });
  });
  /** The index of the sweep that reports `path` (waits for it). */
  const reported = async (file: string): Promise<number> => {
    for (;;) {
      const i = sweeps.findIndex((s) => s.verdicts.some((v) => v.path === file));
      if (i >= 0) return i;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { root, sweeps, reported };
}

describe('Poller', () => {
  it('a change in a directory without hot files is reported by the first full sweep after it at the latest; while that directory is warm, by the next sweep', async () => {
    const { root, sweeps, reported } = await started(['hot.go', 'cold/a.go', 'docs/readme.txt']);
    // Written between sweeps (none runs while this synchronous code does).
    const first = path.join(root, 'cold', 'b.go');
    const writtenAt = sweeps.length;
    writeFileSync(first, 'b');
    const at = await reported(first);
    const firstFull = sweeps.findIndex((s, i) => i >= writtenAt && s.full);
    expect(firstFull).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThanOrEqual(firstFull);
    // The directory changed: it is warm, and the very next sweep (a hot one, unless a full
    // one is due) lists it. Written right after the sweep that reported the first file.
    const second = path.join(root, 'cold', 'c.go');
    const secondAt = sweeps.length;
    writeFileSync(second, 'c');
    expect(await reported(second)).toBe(secondAt);
    // The same for a directory with no tracked file (its new file is hot).
    const third = path.join(root, 'docs', 'x.go');
    const thirdWrittenAt = sweeps.length;
    writeFileSync(third, 'x');
    const thirdAt = await reported(third);
    const thirdFull = sweeps.findIndex((s, i) => i >= thirdWrittenAt && s.full);
    expect(thirdAt).toBeLessThanOrEqual(thirdFull);
  });

  it('an edit of a hot file is reported by the next sweep', async () => {
    const { root, sweeps, reported } = await started(['hot.go', 'cold/a.go']);
    const file = path.join(root, 'hot.go');
    const writtenAt = sweeps.length;
    writeFileSync(file, 'package main // edited\n');
    expect(await reported(file)).toBe(writtenAt);
  });
});
