import { type FSWatcher, watch } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { predicateFilter } from '../../src/classify/watch-filter.js';
import type { BackendKind, Watcher, WatcherOptions, WatchFn } from '../../src/watch/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { recordWatcher } from '../helpers/watch-recorder.js';

const open: Watcher[] = [];
let root: string;

async function record(backend: WatcherOptions['backend'], extra: Partial<WatcherOptions> = {}) {
  const rec = await recordWatcher(
    {
      roots: [root],
      filter: predicateFilter({ ignoreDir: () => false, trackFile: () => true }),
      backend,
      ...extra,
    },
    open,
  );
  return { rec, statuses: rec.statuses };
}

/** fs.watch whose listener never hears about names for which `drop` is true. */
function droppingWatch(drop: (name: string) => boolean): WatchFn {
  return (dir, options, listener) =>
    watch(dir, options, (event, name) => {
      if (name === null || !drop(name)) listener(event, name);
    });
}

async function makeTree(dirs: number, filesPerDir: number): Promise<string[]> {
  const files: string[] = [];
  for (let d = 0; d < dirs; d++) {
    await mkdir(join(root, `d${d}`));
    for (let f = 0; f < filesPerDir; f++) files.push(join(root, `d${d}`, `f${f}.go`));
  }
  await Promise.all(files.map((file) => writeFile(file, `v1 ${file}`)));
  return files;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gohot-resilience-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  await rm(root, { recursive: true, force: true });
});

describe.each(['native', 'poll'] as const)(
  'watcher resilience (%s backend)',
  (backend: BackendKind) => {
    it('reports every one of 5,000 files rewritten as fast as possible', async () => {
      const files = await makeTree(10, 500);
      const { rec } = await record(backend);
      const started = performance.now();
      await Promise.all(files.map((file) => writeFile(file, `v2 ${file}`)));
      const written = performance.now();
      const seen = () =>
        new Set(rec.changes.filter((c) => c.kind === 'modified').map((c) => c.path));
      await waitFor(() => seen().size === files.length, {
        timeoutMs: 50_000,
        what: `${files.length} modified files (have ${seen().size})`,
        describe: rec.dump,
      });
      const allSeen = performance.now();
      await rec.watcher.sync();
      const done = performance.now();
      expect(seen().size).toBe(files.length);
      expect(rec.changes.filter((c) => c.kind !== 'modified')).toEqual([]);
      console.info(
        `storm (${backend}): wrote ${files.length} files in ${Math.round(written - started)} ms, ` +
          `all reported after ${Math.round(allSeen - started)} ms, quiet (sync) after ` +
          `${Math.round(done - started)} ms, ${rec.changes.length} changes, ` +
          `stats ${JSON.stringify(rec.watcher.stats())}`,
      );
    });

    it('falls back to polling a subtree when the watch limit is hit (ENOSPC), and still reports changes there', async () => {
      const files = await makeTree(6, 1);
      let calls = 0;
      const limited: WatchFn = (dir, options, listener) => {
        if (++calls > 3) {
          throw Object.assign(
            new Error(`ENOSPC: System limit for number of file watchers reached, watch '${dir}'`),
            {
              code: 'ENOSPC',
            },
          );
        }
        return watch(dir, options, listener);
      };
      const { rec } = await record(backend, { watchFn: limited });
      if (backend === 'native') {
        expect(
          rec.logs.some(
            (l) => l.level === 'warn' && l.message.includes('fs.inotify.max_user_watches'),
          ),
        ).toBe(true);
        expect(rec.watcher.stats().watchedDirs).toBe(3);
        expect(rec.watcher.stats().polledTrees).toBeGreaterThan(0);
      } else {
        expect(calls).toBe(0);
      }
      await Promise.all(files.map((file) => writeFile(file, `v2 ${file}`)));
      for (const file of files) {
        await waitFor(() => rec.changes.some((c) => c.path === file && c.kind === 'modified'), {
          what: `modified ${file}`,
          describe: rec.dump,
        });
      }
      expect(rec.changes.some((c) => c.via === 'poll')).toBe(true);
    });

    it('counts changes found by reconciliation as misses and switches the root to polling after 3', async () => {
      const { rec } = await record(backend, {
        watchFn: droppingWatch((name) => name.startsWith('hidden')),
        reconcileIntervalMs: 100,
      });
      for (let i = 1; i <= 3; i++) {
        const file = join(root, `hidden${i}.go`);
        await writeFile(file, 'x');
        await waitFor(() => rec.changes.some((c) => c.path === file), { describe: rec.dump });
        const change = rec.changes.find((c) => c.path === file);
        expect(change?.via).toBe(backend === 'native' ? 'reconcile' : 'poll');
        expect(rec.watcher.stats().misses).toBe(backend === 'native' ? i : 0);
      }
      if (backend === 'native') {
        expect(rec.logs.filter((l) => l.message.startsWith('reconciliation found')).length).toBe(3);
        await waitFor(() => rec.watcher.stats().polledTrees === 1, { describe: rec.dump });
        expect(rec.watcher.stats().watchedDirs).toBe(0);
        expect(
          rec.logs.some((l) => l.level === 'warn' && l.message.includes('polling it every 50ms')),
        ).toBe(true);
      }
      const later = join(root, 'later.go');
      await writeFile(later, 'x');
      await waitFor(() => rec.changes.some((c) => c.path === later && c.via === 'poll'), {
        describe: rec.dump,
      });
    });

    it('re-watches a directory whose watcher failed, and reports what changed meanwhile', async () => {
      await makeTree(2, 1);
      const handles = new Map<string, FSWatcher>();
      const tracking: WatchFn = (dir, options, listener) => {
        const handle = watch(dir, options, listener);
        handles.set(basename(dir), handle);
        return handle;
      };
      const { rec } = await record(backend, { watchFn: tracking });
      const watched = rec.watcher.stats().watchedDirs;
      expect(watched).toBe(backend === 'native' ? 3 : 0);
      expect(handles.size).toBe(watched);
      if (backend === 'native') handles.get('d0')?.emit('error', new Error('simulated EIO'));
      const file = join(root, 'd0', 'after-error.go');
      await writeFile(file, 'x');
      await waitFor(() => rec.changes.some((c) => c.path === file && c.kind === 'created'), {
        describe: rec.dump,
      });
      await waitFor(() => rec.watcher.stats().watchedDirs === watched, { describe: rec.dump });
      const again = join(root, 'd0', 'again.go');
      await writeFile(again, 'x');
      await waitFor(() => rec.changes.some((c) => c.path === again), { describe: rec.dump });
    });
  },
);

describe('auto backend', () => {
  it('uses native on a local file system, with the reason from the file-system check', async () => {
    const { rec, statuses } = await record('auto');
    expect(statuses).toEqual([
      { root, backend: 'native', reason: { by: 'fs', fsType: expect.any(String) } },
    ]);
    await writeFile(join(root, 'x.go'), 'x');
    await waitFor(() => rec.changes.length === 1, { describe: rec.dump });
    expect(rec.changes[0]?.via).toBe('event');
  });

  it('switches a root to polling when the canary file produces no event in time', async () => {
    const { rec, statuses } = await record('auto', {
      watchFn: droppingWatch(() => true),
      cookieTimeoutMs: 200,
    });
    expect(statuses).toEqual([
      {
        root,
        backend: 'poll',
        reason: { by: 'no-canary-event', timeoutMs: 200 },
        pollIntervalMs: 50,
      },
    ]);
    expect(rec.watcher.stats().watchedDirs).toBe(0);
    await writeFile(join(root, 'x.go'), 'x');
    await waitFor(() => rec.changes.length === 1, { describe: rec.dump });
    expect(rec.changes[0]?.via).toBe('poll');
  });
});
