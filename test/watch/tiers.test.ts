import { watch, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  BackendKind,
  Watcher,
  WatcherOptions,
  WatchFilter,
  WatchFn,
} from '../../src/watch/types.js';
import { type Recorder, recordWatcher } from '../helpers/watch-recorder.js';

// Saves whose reports are counted exactly are written with writeFileSync, as in
// watcher.test.ts: the watcher runs on this thread and cannot look between truncate and write.

/** What the filter says; tests change it and call refilter(). */
interface FilterState {
  /** Tracked files that are cold (the rest are hot). */
  cold: (abs: string) => boolean;
  untracked: (abs: string) => boolean;
  /** Directory names that are not watched. */
  skippedDirs: Set<string>;
}

function stateFilter(state: FilterState): WatchFilter {
  return {
    dir: (abs) =>
      state.skippedDirs.has(basename(abs))
        ? { watched: false, reason: { by: 'name', name: basename(abs) } }
        : { watched: true },
    file: (abs) =>
      abs.endsWith('~') || state.untracked(abs)
        ? { tracked: false, reason: { by: 'no-match' } }
        : {
            tracked: true,
            reason: { by: 'glob', pattern: '**' },
            tier: state.cold(abs) ? 'cold' : 'hot',
          },
  };
}

const inDir = (name: string) => (abs: string) => abs.includes(`${sep}${name}${sep}`);
const never = () => false;

const open: Watcher[] = [];
const recorders: Recorder[] = [];
let root: string;
let state: FilterState;

async function record(
  backend: BackendKind,
  options: Partial<Pick<WatcherOptions, 'hashOnReady' | 'watchFn'>> = {},
): Promise<Recorder> {
  const rec = await recordWatcher(
    { roots: [root], filter: stateFilter(state), backend, ...options },
    open,
  );
  recorders.push(rec);
  return rec;
}

/** A filter that edits `file` once, when the walk asks it about directory `dir`. */
function editWhenListing(dir: string, file: string) {
  let written = false;
  const filter: WatchFilter = {
    ...stateFilter(state),
    filesIn: (d) => {
      if (d === dir && !written) {
        written = true;
        writeFileSync(file, 'package x // edited\n');
      }
      return undefined;
    },
  };
  return { filter, written: () => written };
}

/** Writes files stamped 10 s in the past: not racily clean, so their hashes can be deferred. */
async function writeOld(files: Record<string, string>): Promise<void> {
  const past = new Date(Date.now() - 10_000);
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
    await utimes(abs, past, past);
  }
}

/** A change after the ones under test proves the watcher was looking; returns when seen. */
async function marker(rec: Recorder, name = 'marker.go'): Promise<string> {
  const file = join(root, name);
  writeFileSync(file, `marker ${rec.changes.length}\n`);
  await rec.expectChange(file, 'created');
  await rec.watcher.sync();
  return file;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gohot-tiers-'));
  state = { cold: never, untracked: never, skippedDirs: new Set() };
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  expect(recorders.splice(0).flatMap((r) => r.duplicateBatches)).toEqual([]);
  await rm(root, { recursive: true, force: true });
});

describe.each(['native', 'poll'] as const)('cold files (%s backend)', (backend) => {
  it('are counted apart from hot ones, and their creation and deletion are reported', async () => {
    state.cold = inDir('cold');
    await writeOld({ 'hot.go': 'package hot\n', 'cold/c.go': 'package cold\n' });
    const rec = await record(backend);
    expect(rec.watcher.stats()).toMatchObject({
      trackedFiles: 2,
      hotFiles: 1,
      coldFiles: 1,
      unhashedFiles: 0,
    });
    const created = join(root, 'cold', 'new.go');
    writeFileSync(created, 'package cold\n');
    await rec.expectChange(created, 'created');
    await rm(join(root, 'cold', 'c.go'));
    await rec.expectChange(join(root, 'cold', 'c.go'), 'deleted');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([
      ['created', created],
      ['deleted', join(root, 'cold', 'c.go')],
    ]);
    expect(rec.watcher.stats()).toMatchObject({ hotFiles: 1, coldFiles: 1 });
  });

  it('a cold file appearing in a new directory is reported created', async () => {
    state.cold = inDir('cold');
    const rec = await record(backend);
    const file = join(root, 'cold', 'deep', 'x.go');
    await mkdir(dirname(file), { recursive: true });
    writeFileSync(file, 'package deep\n');
    await rec.expectChange(file, 'created');
    await rec.watcher.sync();
    expect(rec.kinds(file)).toEqual(['created']);
    expect(rec.watcher.stats().coldFiles).toBe(1);
  });
});

describe('cold files (poll backend)', () => {
  it('a touch, a no-op save or an edit of a cold file is not reported', async () => {
    state.cold = inDir('cold');
    await writeOld({ 'cold/c.go': 'package cold\n' });
    const rec = await record('poll');
    const file = join(root, 'cold', 'c.go');
    const now = new Date();
    await utimes(file, now, now);
    writeFileSync(file, 'package cold\n');
    writeFileSync(file, 'package cold // edited\n');
    await rec.watcher.sync();
    const mark = await marker(rec);
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([['created', mark]]);
    // Sweeps of cold-only directories come COLD_POLL_FACTOR intervals apart (or later, when
    // sweeps are slow on a busy machine).
    const intervals = rec.watcher.stats().pollIntervals;
    expect(intervals?.hotMs).toBeGreaterThanOrEqual(50);
    expect(intervals?.coldMs).toBeGreaterThanOrEqual(10 * 50);
  });
});

describe('cold files (native backend)', () => {
  it('an event for a cold file is a change when its stat differs: an edit, even a no-op save', async () => {
    state.cold = inDir('cold');
    await writeOld({ 'cold/c.go': 'package cold\n' });
    const rec = await record('native');
    const file = join(root, 'cold', 'c.go');
    writeFileSync(file, 'package cold // edited\n');
    await rec.expectChange(file, 'modified');
    await rec.watcher.sync();
    expect(rec.kinds(file)).toEqual(['modified']);
    // Cold files are never read: only the stat tells, and a save changes it.
    writeFileSync(file, 'package cold // edited\n');
    await rec.watcher.sync();
    await marker(rec);
    expect(rec.kinds(file)).toEqual(['modified', 'modified']);
    expect(rec.watcher.stats().pollIntervals).toBeUndefined();
  });
});

describe('refilter (native backend)', () => {
  it('a subtree polled because it could not be watched stops being polled once it is not watched', async () => {
    await writeOld({ 'polled/a.go': 'package polled\n', 'b.go': 'package b\n' });
    // The watch limit is hit for one directory: its subtree is polled instead.
    const limited: WatchFn = (dir, options, listener) => {
      if (basename(dir) === 'polled') {
        throw Object.assign(new Error(`ENOSPC: System limit reached, watch '${dir}'`), {
          code: 'ENOSPC',
        });
      }
      return watch(dir, options, listener);
    };
    const rec = await record('native', { watchFn: limited });
    expect(rec.watcher.stats()).toMatchObject({ polledTrees: 1, trackedFiles: 2 });
    state.skippedDirs = new Set(['polled']);
    await rec.watcher.refilter();
    expect(rec.watcher.stats()).toMatchObject({ polledTrees: 0, trackedFiles: 1 });
    writeFileSync(join(root, 'polled', 'a.go'), 'package polled // edited\n');
    await rec.watcher.sync();
    const mark = await marker(rec);
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([['created', mark]]);
  });
});

describe.each(['native', 'poll'] as const)('deferred hashing (%s backend)', (backend) => {
  it('ready() comes before the hashes; until one is recorded, any other stat is a change', async () => {
    await writeOld({ 'a.go': 'package a\n', 'b.go': 'package b\n' });
    const rec = await record(backend, { hashOnReady: false });
    expect(rec.watcher.stats()).toMatchObject({ hotFiles: 2, unhashedFiles: 2 });
    const a = join(root, 'a.go');
    const b = join(root, 'b.go');
    writeFileSync(a, 'package a // edited\n');
    await rec.expectChange(a, 'modified');
    // No hash to compare with: a no-op save cannot be told from an edit yet.
    writeFileSync(b, 'package b\n');
    await rec.expectChange(b, 'modified');
    await rec.watcher.sync();
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([
      ['modified', a],
      ['modified', b],
    ]);
    // Each verification recorded the hash it needed.
    expect(rec.watcher.stats().unhashedFiles).toBe(0);
  });

  it('once refilter() has resolved, a no-op save is no change and an edit is one', async () => {
    await writeOld({ 'c.go': 'package c\n' });
    const rec = await record(backend, { hashOnReady: false });
    expect(rec.watcher.stats().unhashedFiles).toBe(1);
    await rec.watcher.refilter();
    expect(rec.watcher.stats().unhashedFiles).toBe(0);
    const c = join(root, 'c.go');
    writeFileSync(c, 'package c\n');
    await rec.watcher.sync();
    const mark = await marker(rec);
    expect(rec.changes.map((x) => [x.kind, x.path])).toEqual([['created', mark]]);
    writeFileSync(c, 'package c // edited\n');
    await rec.expectChange(c, 'modified');
    await rec.watcher.sync();
    expect(rec.kinds(c)).toEqual(['modified']);
  });
});

describe.each(['native', 'poll'] as const)('refilter (%s backend)', (backend) => {
  it('a cold file turning hot is baselined silently; then a no-op save is no change, an edit one', async () => {
    state.cold = () => true;
    await writeOld({ 'x.go': 'package x\n' });
    const rec = await record(backend);
    expect(rec.watcher.stats()).toMatchObject({ hotFiles: 0, coldFiles: 1 });
    state.cold = never;
    await rec.watcher.refilter();
    await rec.watcher.sync();
    expect(rec.changes).toEqual([]);
    expect(rec.watcher.stats()).toMatchObject({ hotFiles: 1, coldFiles: 0, unhashedFiles: 0 });
    const x = join(root, 'x.go');
    writeFileSync(x, 'package x\n');
    const now = new Date();
    await utimes(x, now, now);
    await rec.watcher.sync();
    const mark = await marker(rec);
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([['created', mark]]);
    writeFileSync(x, 'package x // edited\n');
    await rec.expectChange(x, 'modified');
    await rec.watcher.sync();
    expect(rec.kinds(x)).toEqual(['modified']);
  });

  it('a hot file turning cold loses its hash: on a polled root its edits are not reported', async () => {
    await writeOld({ 'y.go': 'package y\n' });
    const rec = await record(backend);
    state.cold = () => true;
    await rec.watcher.refilter();
    expect(rec.watcher.stats()).toMatchObject({ hotFiles: 0, coldFiles: 1 });
    const y = join(root, 'y.go');
    writeFileSync(y, 'package y // edited\n');
    await rec.watcher.sync();
    await marker(rec);
    expect(rec.kinds(y)).toEqual(backend === 'native' ? ['modified'] : []);
  });

  it('an untracked file turning tracked is baselined silently; a tracked one turning untracked is dropped', async () => {
    state.untracked = (abs) => abs.endsWith('.txt');
    await writeOld({ 'notes.txt': 'notes\n', 'y.go': 'package y\n' });
    const rec = await record(backend);
    expect(rec.watcher.stats().trackedFiles).toBe(1);
    state.untracked = (abs) => abs.endsWith('.go');
    await rec.watcher.refilter();
    await rec.watcher.sync();
    expect(rec.changes).toEqual([]);
    expect(rec.watcher.stats().trackedFiles).toBe(1);
    writeFileSync(join(root, 'y.go'), 'package y // edited\n');
    const mark = await marker(rec, 'marker.txt');
    expect(rec.changes.map((c) => [c.kind, c.path])).toEqual([['created', mark]]);
    const notes = join(root, 'notes.txt');
    writeFileSync(notes, 'notes, edited\n');
    await rec.expectChange(notes, 'modified');
  });

  it('a directory turning watched is walked silently; one no longer watched is forgotten', async () => {
    state.skippedDirs = new Set(['skip']);
    await writeOld({ 'skip/a.go': 'package skip\n', 'pkg/b.go': 'package pkg\n' });
    const rec = await record(backend);
    expect(rec.watcher.stats()).toMatchObject({
      trackedFiles: 1,
      watchedDirs: backend === 'native' ? 2 : 0,
    });
    state.skippedDirs = new Set(['pkg']);
    await rec.watcher.refilter();
    await rec.watcher.sync();
    expect(rec.changes).toEqual([]);
    expect(rec.watcher.stats()).toMatchObject({
      trackedFiles: 1,
      watchedDirs: backend === 'native' ? 2 : 0,
    });
    const a = join(root, 'skip', 'a.go');
    const created = join(root, 'skip', 'new.go');
    writeFileSync(a, 'package skip // edited\n');
    writeFileSync(created, 'package skip\n');
    writeFileSync(join(root, 'pkg', 'b.go'), 'package pkg // edited\n');
    await rec.expectChange(a, 'modified');
    await rec.expectChange(created, 'created');
    const mark = await marker(rec);
    expect(rec.changes.map((c) => [c.kind, c.path]).sort()).toEqual(
      [
        ['created', created],
        ['created', mark],
        ['modified', a],
      ].sort(),
    );
  });

  it('an edit made while refilter() runs is reported exactly once', async () => {
    state.cold = (abs) => basename(abs) === 'q.go';
    await writeOld({ 'p.go': 'package p\n', 'q.go': 'package q\n' });
    const rec = await record(backend, { hashOnReady: false });
    const p = join(root, 'p.go'); // hot, hash deferred
    const q = join(root, 'q.go'); // cold, turns hot
    state.cold = never;
    const refiltered = rec.watcher.refilter();
    writeFileSync(p, 'package p // edited\n');
    writeFileSync(q, 'package q // edited\n');
    await refiltered;
    await rec.watcher.sync();
    await marker(rec);
    expect(rec.kinds(p)).toEqual(['modified']);
    expect(rec.kinds(q)).toEqual(['modified']);
    expect(rec.watcher.stats().unhashedFiles).toBe(0);
  });

  // Pins the rule that lets refilter() skip the stat of an ignored plain file: a name the walk
  // listed as a file that is a skipped directory now must still be walked once it is let in.
  it('an untracked file replaced by a skipped directory is walked when the directory is let in', async () => {
    state.untracked = (abs) => abs.endsWith(`${sep}gen`);
    state.skippedDirs = new Set(['gen']);
    await writeOld({ gen: 'not go\n', 'x.go': 'package x\n' });
    const rec = await record(backend);
    const gen = join(root, 'gen');
    await rm(gen);
    await mkdir(gen);
    writeFileSync(join(gen, 'a.go'), 'package gen\n');
    await rec.watcher.sync();
    await marker(rec);
    state.skippedDirs = new Set();
    await rec.watcher.refilter();
    await rec.watcher.sync();
    const a = join(gen, 'a.go');
    writeFileSync(a, 'package gen // edited\n');
    await rec.expectChange(a, 'modified');
  });

  // Pins a bug of the first refilter(): it read every listing and recorded any tracked file it
  // did not know as baseline, so a file created just before the call was never reported.
  it('a file created just before refilter() is reported created, not taken into the baseline', async () => {
    state.untracked = (abs) => abs.endsWith('.txt');
    const rec = await record(backend);
    const file = join(root, 'new.txt');
    state.untracked = never;
    writeFileSync(file, 'new\n');
    await rec.watcher.refilter();
    await rec.expectChange(file, 'created');
    await rec.watcher.sync();
    expect(rec.kinds(file)).toEqual(['created']);
  });
});

describe('deferred stats (native backend)', () => {
  it('the stats taken after ready() are the baseline: after refilter() a no-op save is no change', async () => {
    await writeOld({ 'a.go': 'package a\n', 'b.go': 'package b\n' });
    const rec = await record('native', { hashOnReady: false });
    expect(rec.watcher.stats()).toMatchObject({ hotFiles: 2, unhashedFiles: 2 });
    await rec.watcher.sync();
    await rec.watcher.refilter();
    const a = join(root, 'a.go');
    writeFileSync(a, 'package a\n');
    await rec.watcher.sync();
    await marker(rec);
    expect(rec.kinds(a)).toEqual([]);
    expect(rec.watcher.stats().unhashedFiles).toBe(0);
  });

  // Pins the rule of the stats taken after the walk: a file written after its directory was
  // listed, whose event arrives after the walk, had that write taken into the stat that became
  // its baseline, and the write was never reported.
  it('a file written after it was listed, its event arriving after the walk, is reported modified', async () => {
    await writeOld({ 'x.go': 'package x\n', 'd/y.go': 'package d\n' });
    const x = join(root, 'x.go');
    // The walk lists the root first, then d, the last directory: this write comes after x.go
    // was listed, and nothing yields to the event loop before the walk ends.
    const { filter, written } = editWhenListing(join(root, 'd'), x);
    const rec = await recordWatcher(
      { roots: [root], filter, backend: 'native', hashOnReady: false },
      open,
    );
    recorders.push(rec);
    expect(written()).toBe(true);
    await rec.expectChange(x, 'modified');
    await rec.watcher.sync();
    await marker(rec);
    expect(rec.kinds(x)).toEqual(['modified']);
    expect(rec.kinds(join(root, 'd', 'y.go'))).toEqual([]);
  });
});

describe('deferred stats (auto backend, no events)', () => {
  // Where the canary gets no event, the root is polled and its first sweeps compare with the
  // stats taken after the walk (NativeTree.#fillIn, or fillNow at the switch): no event says
  // that a write came between the listing and that stat.
  it('a file written after it was listed, on a root switched to polling by the canary, is reported modified', async () => {
    await writeOld({ 'x.go': 'package x\n', 'd/y.go': 'package d\n' });
    const x = join(root, 'x.go');
    // The walk lists the root first, then d: this write comes after x.go was listed.
    const { filter, written } = editWhenListing(join(root, 'd'), x);
    const silent: WatchFn = (dir, options) => watch(dir, options, () => {});
    const rec = await recordWatcher(
      {
        roots: [root],
        filter,
        backend: 'auto',
        hashOnReady: false,
        watchFn: silent,
        cookieTimeoutMs: 200,
      },
      open,
    );
    recorders.push(rec);
    expect(rec.statuses[0]).toMatchObject({ backend: 'poll', reason: { by: 'no-canary-event' } });
    expect(written()).toBe(true);
    await rec.watcher.sync();
    expect(rec.kinds(x)).toEqual(['modified']);
  });
});
