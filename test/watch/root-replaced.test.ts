import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { predicateFilter } from '../../src/classify/watch-filter.js';
import type { BackendKind, Watcher } from '../../src/watch/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { recordWatcher } from '../helpers/watch-recorder.js';

const filter = predicateFilter({ ignoreDir: () => false, trackFile: (p) => p.endsWith('.go') });
// Only the fix can deliver these changes: reconciliation would take 23 days.
const NO_RECONCILE = { reconcileIntervalMs: 2_000_000_000 };
const open: Watcher[] = [];
let base: string;
let mod: string;

async function writeModule(dir: string, main: string): Promise<void> {
  await mkdir(join(dir, 'pkg'), { recursive: true });
  await writeFile(join(dir, 'main.go'), main);
  await writeFile(join(dir, 'same.go'), 'package main // same\n');
  await writeFile(join(dir, 'pkg', 'p.go'), 'package pkg\n');
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'gohot-root-replaced-'));
  mod = join(base, 'mod');
  await writeModule(mod, 'package main\n');
  await writeFile(join(mod, 'gone.go'), 'package main // gone\n');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  await rm(base, { recursive: true, force: true });
});

describe.each(['native', 'poll'] as const)(
  'a replaced watch root (%s backend)',
  (backend: BackendKind) => {
    const last = (kinds: string[]) => kinds[kinds.length - 1];

    // Finding 12: `rm -rf` and re-creation of the module directory itself went unnoticed until
    // the 30 s reconciliation (its watch died with the old directory).
    it('is watched again at once after rm -rf and re-creation, and its changes reported', async () => {
      const rec = await recordWatcher({ roots: [mod], filter, backend, ...NO_RECONCILE }, open);
      await rm(mod, { recursive: true });
      await writeModule(mod, 'package main // changed\n');
      const main = join(mod, 'main.go');
      const gone = join(mod, 'gone.go');
      await waitFor(() => ['created', 'modified'].includes(last(rec.kinds(main)) ?? ''), {
        what: 'main.go reported again after the root came back',
        describe: rec.dump,
      });
      await waitFor(() => last(rec.kinds(gone)) === 'deleted', { describe: rec.dump });
      // Watched, not just swept once: a later edit deep in the new tree arrives by itself.
      const p = join(mod, 'pkg', 'p.go');
      const before = rec.kinds(p).length;
      await writeFile(p, 'package pkg // edited\n');
      await waitFor(() => rec.kinds(p).length > before && last(rec.kinds(p)) !== 'deleted', {
        describe: rec.dump,
      });
      await rec.watcher.sync();
      expect(rec.watcher.stats()).toMatchObject({
        trackedFiles: 3,
        watchedDirs: backend === 'native' ? 2 : 0,
        misses: 0,
        polledTrees: backend === 'native' ? 0 : 1,
      });
    });

    it('reports only the differences when a complete new tree is renamed into its place', async () => {
      const rec = await recordWatcher({ roots: [mod], filter, backend, ...NO_RECONCILE }, open);
      const staged = join(base, 'staged');
      await writeModule(staged, 'package main // changed\n');
      await rename(mod, join(base, 'old'));
      await rename(staged, mod);
      const main = join(mod, 'main.go');
      await waitFor(() => ['created', 'modified'].includes(last(rec.kinds(main)) ?? ''), {
        describe: rec.dump,
      });
      await waitFor(() => last(rec.kinds(join(mod, 'gone.go'))) === 'deleted', {
        describe: rec.dump,
      });
      // The old tree moved away: its edits are no business of ours any more.
      await writeFile(join(base, 'old', 'pkg', 'p.go'), 'package pkg // old tree\n');
      writeFileSync(join(mod, 'marker.go'), 'package main\n');
      await rec.expectChange(join(mod, 'marker.go'), 'created');
      await rec.watcher.sync();
      if (backend === 'native') {
        // The watch saw only the final state: identical files are no change.
        expect(rec.changes.map((c) => `${c.kind} ${c.path.slice(mod.length + 1)}`).sort()).toEqual([
          'created marker.go',
          'deleted gone.go',
          'modified main.go',
        ]);
      } else {
        for (const file of ['same.go', join('pkg', 'p.go')]) {
          expect(last(rec.kinds(join(mod, file))) ?? 'created').toBe('created');
        }
      }
      expect(rec.watcher.stats()).toMatchObject({ trackedFiles: 4, misses: 0 });
    });
  },
);
