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

/** A native tree over `root` whose event names are also handed to `onName`. */
function nativeTree(
  root: string,
  snapshot: Snapshot,
  scanner: TreeScanner,
  onName: (name: string) => void = () => {},
) {
  const changes: FileChange[] = [];
  const cookies = new CookieJar();
  const watchFn: WatchFn = (dir, options, listener) =>
    watch(dir, options, (event, name) => {
      listener(event, name);
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
    onChanges: (batch) => changes.push(...batch),
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
