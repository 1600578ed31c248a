import { watch, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CookieJar } from './cookie.js';
import { NativeTree } from './native-tree.js';
import { Snapshot } from './snapshot.js';
import { TreeScanner } from './tree-scanner.js';
import type { FileChange, WatchFilter, WatchFn } from './types.js';

// The stats the start-up walk leaves (hashOnReady false): each test steps the walk, the
// stats and an event's handling through one interleaving the event loop allows, by holding
// the scanner's yields and the snapshot's verify at chosen points.

const filter: WatchFilter = {
  dir: () => ({ watched: true }),
  file: () => ({ tracked: true, reason: { by: 'glob', pattern: '**' }, tier: 'hot' }),
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Files stamped 10 s in the past (not racily clean), under a new temporary root. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gohot-native-tree-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const past = new Date(Date.now() - 10_000);
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
    await utimes(abs, past, past);
  }
  return root;
}

/**
 * A native tree over `root` whose event names are also handed to `onName`; events `drop`
 * names never reach the tree, and each one dropped first hands it a burst of events (as an
 * overflowing inotify queue does: the events queued before the overflow, then nothing).
 */
function nativeTree(
  root: string,
  snapshot: Snapshot,
  scanner: TreeScanner,
  onName: (name: string) => void = () => {},
  drop: (name: string) => boolean = () => false,
  onBatch: (batch: readonly FileChange[]) => void = () => {},
) {
  const changes: FileChange[] = [];
  const cookies = new CookieJar();
  const watchFn: WatchFn = (dir, options, listener) =>
    watch(dir, options, (event, name) => {
      if (name !== null && drop(name.toString())) {
        for (let i = 0; i < 250; i++) listener('rename', `gone-${i}.tmp`);
      } else listener(event, name);
      if (name !== null) onName(name.toString());
    });
  const native = new NativeTree({
    root,
    snapshot,
    scanner,
    filter,
    cookies,
    watchFn,
    cookieTimeoutMs: 5000,
    hashOnReady: false,
    reconcileIntervalMs: 600_000,
    observe: () => {},
    onChanges: (batch) => {
      changes.push(...batch);
      onBatch(batch);
    },
    onFallback: () => {},
    isPolled: () => false,
    onMisses: () => {},
  });
  cleanups.push(async () => {
    cookies.close();
    await native.close();
  });
  return { native, changes };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('NativeTree: the stats the start-up walk leaves', () => {
  // The walk hands the event loop back every few ms: an event can arrive, and be queued, while
  // the walk goes on. A file written after its directory was listed, whose event came before
  // the walk ended, had that write taken into the stat taken after the walk.
  it('a file written after it was listed, its event arriving during the walk, is reported modified', async () => {
    const root = await tree({ 'x.go': 'package x\n', 'd/y.go': 'package d\n' });
    const x = join(root, 'x.go');
    const snapshot = new Snapshot();
    const scanner = new TreeScanner(snapshot, filter, () => {});
    const seen = deferred();
    const yieldIfDue = scanner.yieldIfDue.bind(scanner);
    let yields = 0;
    // The walk yields before each directory: the root first, then d.
    scanner.yieldIfDue = async () => {
      if (++yields === 2) {
        writeFileSync(x, 'package x // edited\n');
        await seen.promise; // its event arrived during the walk
      }
      return yieldIfDue();
    };
    const { native, changes } = nativeTree(root, snapshot, scanner, (name) => {
      if (name === 'x.go') seen.resolve();
    });
    await native.start();
    await native.sync();
    expect(changes.map((c) => [c.kind, c.path])).toEqual([['modified', x]]);
  });

  // An event is handled in two steps: a stat of the path, then Snapshot.verify. The stats run
  // beside the queue: between the two they may take the stat of that very file, after the
  // write the event is about, and verify then finds nothing changed.
  it('a file whose stat is taken while its event is being handled is reported modified', async () => {
    const root = await tree({ 'x.go': 'package x\n', 'd/y.go': 'package d\n' });
    const x = join(root, 'x.go');
    const snapshot = new Snapshot();
    const scanner = new TreeScanner(snapshot, filter, () => {});
    const yieldIfDue = scanner.yieldIfDue.bind(scanner);
    let yields = 0;
    const statsMayGo = deferred();
    // The walk yields before each directory (the root, d); the third yield is the stats'
    // first, before the root's: it waits until the event is being handled.
    scanner.yieldIfDue = async () => {
      if (++yields === 3) await statsMayGo.promise;
      return yieldIfDue();
    };
    const rootFilled = deferred();
    const fillIn = snapshot.fillIn.bind(snapshot);
    snapshot.fillIn = (dir, skip) => {
      const n = fillIn(dir, skip);
      if (dir === root) rootFilled.resolve();
      return n;
    };
    const verify = snapshot.verify.bind(snapshot);
    snapshot.verify = async (path, tier) => {
      if (path === x) {
        statsMayGo.resolve();
        await rootFilled.promise;
      }
      return verify(path, tier);
    };
    const { native, changes } = nativeTree(root, snapshot, scanner);
    await native.start();
    expect(snapshot.pendingCount).toBe(2);
    writeFileSync(x, 'package x // edited\n');
    await native.sync();
    expect(changes.map((c) => [c.kind, c.path])).toEqual([['modified', x]]);
  });
});

describe('NativeTree: events lost while the stats the start-up walk leaves are taken', () => {
  // A write between a file's listing and its deferred stat is found by its event only: the
  // stat takes it in. When that event is lost (an inotify queue overflow, seen as a burst), the
  // sweep after the burst compares with that stat and finds nothing, unless the stats taken
  // after the listing are marked changed when their ctime is not safely before it.
  // In the stats, z.go, written and reported by its event first, is not reported again by
  // that sweep (events wait for the end of the walk).
  async function lostWrite(when: 'walk' | 'stats') {
    const root = await tree({
      'x.go': 'package x\n',
      'z.go': 'package x\n',
      'd/y.go': 'package d\n',
    });
    const x = join(root, 'x.go');
    const z = join(root, 'z.go');
    const zReported = deferred();
    const snapshot = new Snapshot();
    const scanner = new TreeScanner(snapshot, filter, () => {});
    const dropped = deferred();
    const yieldIfDue = scanner.yieldIfDue.bind(scanner);
    let yields = 0;
    // The walk yields before each directory (the root, then d), the stats before the root's.
    const at = when === 'walk' ? 2 : 3;
    scanner.yieldIfDue = async () => {
      if (++yields === at) {
        if (when === 'stats') {
          writeFileSync(z, 'package x // edited\n');
          await zReported.promise;
        }
        writeFileSync(x, 'package x // edited\n');
        await dropped.promise;
      }
      return yieldIfDue();
    };
    const swept = deferred();
    const sweep = scanner.sweep.bind(scanner);
    scanner.sweep = async (...args) => {
      const result = await sweep(...args);
      swept.resolve();
      return result;
    };
    const { native, changes } = nativeTree(
      root,
      snapshot,
      scanner,
      (name) => {
        if (name === 'x.go') dropped.resolve();
      },
      (name) => name === 'x.go',
      (batch) => {
        if (batch.some((c) => c.path === z)) zReported.resolve();
      },
    );
    await native.start();
    await swept.promise; // the sweep after the burst
    await native.sync();
    expect(changes.filter((c) => c.path === x).map((c) => c.kind)).toEqual(['modified']);
    // (Unwritten files changed less than 2 s before their listing, as these, may be reported.)
    if (when === 'stats') {
      expect(changes.filter((c) => c.path === z).map((c) => c.kind)).toEqual(['modified']);
    }
  }

  it('a write after the listing, its event lost in a burst during the walk, is reported', () =>
    lostWrite('walk'));

  it('a write before the deferred stat, its event lost in a burst, is reported', () =>
    lostWrite('stats'));
});

describe('NativeTree: refilter between the deferred stat and the event', () => {
  // refilter() gives known files their new tiers at the call (FilterChange.retier): a file the
  // stats loop stat'ed after a write, made cold before that write's event is handled, kept the
  // stat as a cold one; marking it changed for its event did nothing to a cold file.
  it("a file stat'ed after a write, then made cold, is reported modified by its event", async () => {
    const root = await tree({ 'x.go': 'package x\n', 'd/y.go': 'package d\n' });
    const x = join(root, 'x.go');
    const snapshot = new Snapshot();
    const scanner = new TreeScanner(snapshot, filter, () => {});
    const fillIn = snapshot.fillIn.bind(snapshot);
    snapshot.fillIn = (dir, skip) => {
      if (dir !== root) return fillIn(dir, skip);
      writeFileSync(x, 'package x // edited\n'); // its event cannot come before the stat
      const n = fillIn(dir, skip);
      void snapshot.rebaseline(x, 'cold'); // what retier does; synchronous (no verify runs)
      return n;
    };
    const { native, changes } = nativeTree(root, snapshot, scanner);
    await native.start();
    await native.sync();
    expect(snapshot.tierOf(x)).toBe('cold');
    expect(changes.map((c) => [c.kind, c.path])).toEqual([['modified', x]]);
  });
});
