import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFile } from './hash.js';
import { type FileStat, Snapshot, toChanges, type Verdict } from './snapshot.js';

/** A stat that never changes, as on a file system with coarse or restored timestamps. */
function frozenStat(mtimeMs: number): FileStat {
  return { size: 4, mtimeMs, ctimeMs: mtimeMs, ino: 7, mode: 0o100644, isFile: () => true };
}

/** A snapshot over an in-memory file whose stat is frozen and whose content we control. */
function fakeSnapshot(options: { mtimeMs: number; nowMs: number; granularityMs?: number }) {
  const state = { content: 'aaaa', hashes: 0, nowMs: options.nowMs };
  const snapshot = new Snapshot({
    racyGranularityMs: options.granularityMs ?? 2000,
    clock: () => state.nowMs,
    stat: async () => frozenStat(options.mtimeMs),
    hash: async () => {
      state.hashes++;
      return state.content;
    },
  });
  return { snapshot, state };
}

describe('Snapshot racy-clean rule', () => {
  it.each([
    // mtime vs. recorded-at, granularity: racily clean -> the content decides.
    { name: 'mtime equal to the recording time', mtimeMs: 10_000, nowMs: 10_000, racy: true },
    { name: 'mtime within the granularity', mtimeMs: 10_000, nowMs: 11_999, racy: true },
    { name: 'mtime exactly one granularity older', mtimeMs: 10_000, nowMs: 12_000, racy: true },
    { name: 'mtime older than the granularity', mtimeMs: 10_000, nowMs: 12_001, racy: false },
    {
      name: 'a 1 s granularity',
      mtimeMs: 10_000,
      nowMs: 11_500,
      granularityMs: 1000,
      racy: false,
    },
  ])('$name: racy=$racy', async ({ mtimeMs, nowMs, granularityMs, racy }) => {
    const { snapshot, state } = fakeSnapshot({ mtimeMs, nowMs, granularityMs });
    expect(await snapshot.verify('/f')).toBe('created');
    state.content = 'bbbb';
    // Same stat: only a racily clean entry is re-hashed and found modified.
    expect(await snapshot.verify('/f')).toBe(racy ? 'modified' : undefined);
    expect(state.hashes).toBe(racy ? 2 : 1);
    expect(snapshot.isRacilyClean(snapshot.entry('/f')!)).toBe(racy);
  });

  it('stops re-hashing once the entry is recorded long enough after its mtime', async () => {
    const { snapshot, state } = fakeSnapshot({ mtimeMs: 10_000, nowMs: 10_500 });
    await snapshot.verify('/f');
    state.nowMs = 13_000;
    expect(await snapshot.verify('/f')).toBeUndefined();
    expect(state.hashes).toBe(2);
    state.nowMs = 20_000;
    expect(await snapshot.verify('/f')).toBeUndefined();
    expect(state.hashes).toBe(2);
  });
});

describe('Snapshot on a real file system', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gohot-snapshot-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tracks create, no-op rewrite, modify and delete, and indexes files by directory', async () => {
    const snapshot = new Snapshot();
    const file = join(dir, 'sub', 'x.go');
    await writeFile(join(dir, 'y.go'), 'y');
    expect(await snapshot.verify(file)).toBeUndefined();
    await (await import('node:fs/promises')).mkdir(join(dir, 'sub'));
    snapshot.addDir(dir, 'k1');
    snapshot.addDir(join(dir, 'sub'), 'k2');
    await writeFile(file, 'one');
    expect(await snapshot.verify(file)).toBe('created');
    expect(await snapshot.verify(join(dir, 'y.go'))).toBe('created');
    await writeFile(file, 'one');
    expect(await snapshot.verify(file)).toBeUndefined();
    await writeFile(file, 'two');
    expect(await snapshot.verify(file)).toBe('modified');
    expect(snapshot.filesUnder(dir).sort()).toEqual([file, join(dir, 'y.go')].sort());
    expect(snapshot.dirsUnder(dir)).toEqual([dir, join(dir, 'sub')]);
    expect(snapshot.dirWithKey('k2')).toBe(join(dir, 'sub'));
    await rm(file);
    expect(await snapshot.verify(file)).toBe('deleted');
    expect(await snapshot.verify(file)).toBeUndefined();
    expect(snapshot.fileCount).toBe(1);
    snapshot.forgetDir(join(dir, 'sub'));
    expect(snapshot.dirsUnder(dir)).toEqual([dir]);
    expect(snapshot.dirWithKey('k2')).toBeUndefined();
  });

  it('serializes verifications of one path: concurrent callers report a change once', async () => {
    const snapshot = new Snapshot();
    const file = join(dir, 'x.go');
    await writeFile(file, 'x');
    const results = await Promise.all(Array.from({ length: 8 }, () => snapshot.verify(file)));
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(results.filter((r) => r === undefined)).toHaveLength(7);
  });

  it('hashes content (sha1), not metadata', async () => {
    const file = join(dir, 'x.go');
    await writeFile(file, 'abc');
    expect(await hashFile(file)).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

describe('toChanges', () => {
  const v = (kind: Verdict['kind']): Verdict => ({ path: '/p', kind });
  it.each([
    { verdicts: [v('created')], expected: 'created' },
    { verdicts: [v('created'), v('modified')], expected: 'created' },
    { verdicts: [v('created'), v('deleted')], expected: undefined },
    { verdicts: [v('modified'), v('deleted')], expected: 'deleted' },
    { verdicts: [v('deleted'), v('created')], expected: 'modified' },
    { verdicts: [v('modified'), v('modified')], expected: 'modified' },
  ])('folds $verdicts.length verdicts into $expected', ({ verdicts, expected }) => {
    const changes = toChanges(verdicts, () => 'event');
    expect(changes).toEqual(expected ? [{ path: '/p', kind: expected, via: 'event' }] : []);
  });
});

describe('Snapshot tiers', () => {
  it.each([
    // A cold file is never read: its stat alone decides, against the recorded one.
    { name: 'a new cold file', before: undefined, after: 7, expected: 'created' },
    { name: 'the same stat', before: 7, after: 7, expected: undefined },
    { name: 'another stat', before: 7, after: 8, expected: 'modified' },
    { name: 'a vanished cold file', before: 7, after: undefined, expected: 'deleted' },
  ] as const)('cold, $name: $expected', async ({ before, after, expected }) => {
    let ino: number | undefined = before;
    let hashes = 0;
    const snapshot = new Snapshot({
      stat: async () => {
        if (ino === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
        return { ...frozenStat(1000), ino };
      },
      hash: async () => {
        hashes++;
        return 'h';
      },
    });
    if (before !== undefined) expect(await snapshot.verify('/c', 'cold')).toBe('created');
    ino = after;
    expect(await snapshot.verify('/c', 'cold')).toBe(expected);
    expect(hashes).toBe(0);
    expect(snapshot.coldCount).toBe(after === undefined ? 0 : 1);
    expect(snapshot.hotCount).toBe(0);
  });
});

describe('Snapshot baselines on a real file system', () => {
  let dir: string;
  const past = new Date(Date.now() - 10_000);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gohot-snapshot-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function oldFile(name: string, content: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, content);
    await utimes(file, past, past);
    return file;
  }

  it('a cold file recorded by a walk has no stat: its first verification is a change', async () => {
    const snapshot = new Snapshot();
    const file = await oldFile('c.go', 'c');
    snapshot.recordWalk(dir, 'c.go', `${dir}/`, 'cold', false, true);
    expect(snapshot.entry(file)).toMatchObject({ tier: 'cold', size: -1, hash: undefined });
    expect(await snapshot.verify(file)).toBe('modified');
    expect(await snapshot.verify(file)).toBeUndefined();
  });

  it('a deferred hash: the same stat is no change, complete() records it silently', async () => {
    const snapshot = new Snapshot();
    const file = await oldFile('h.go', 'h');
    snapshot.recordWalk(dir, 'h.go', `${dir}/`, 'hot', false, false);
    expect(snapshot.entry(file)?.hash).toBeUndefined();
    expect(snapshot.unhashed()).toEqual([file]);
    expect(await snapshot.verify(file)).toBeUndefined();
    expect(snapshot.unhashedCount).toBe(1);
    expect(await snapshot.complete(file)).toBeUndefined();
    expect(snapshot.entry(file)?.hash).toBe('27d5482eebd075de44389774fce28c69f45c8a75');
    expect(snapshot.unhashedCount).toBe(0);
    await writeFile(file, 'h');
    expect(await snapshot.verify(file)).toBeUndefined(); // a no-op save: the hash tells
  });

  it('a deferred hash of a file changed since it was recorded is a change', async () => {
    const snapshot = new Snapshot();
    const file = await oldFile('h.go', 'h');
    snapshot.recordWalk(dir, 'h.go', `${dir}/`, 'hot', false, false);
    await writeFile(file, 'h');
    expect(await snapshot.complete(file)).toBe('modified');
    expect(await snapshot.complete(file)).toBeUndefined();
  });

  it('a racily clean file is hashed by the walk even when hashes are deferred', async () => {
    const snapshot = new Snapshot();
    const file = join(dir, 'fresh.go');
    await writeFile(file, 'fresh');
    snapshot.recordWalk(dir, 'fresh.go', `${dir}/`, 'hot', false, false);
    expect(snapshot.entry(file)?.hash).toBeDefined();
    expect(snapshot.unhashedCount).toBe(0);
  });

  it('rebaseline applies a new verdict at once: cold -> hot, hot -> cold, untracked', async () => {
    const snapshot = new Snapshot();
    snapshot.addDir(dir, 'k');
    const file = await oldFile('x.go', 'x');
    snapshot.recordWalk(dir, 'x.go', `${dir}/`, 'cold', false, true);
    expect(snapshot.rebaseline(file, 'hot')).toBeUndefined();
    expect(snapshot.entry(file)).toMatchObject({ tier: 'hot', size: 1, hash: undefined });
    expect(snapshot.rebaseline(file, 'cold')).toBeUndefined();
    expect(snapshot.entry(file)).toMatchObject({ tier: 'cold', size: 1, hash: undefined });
    expect(snapshot.unhashedCount).toBe(0);
    snapshot.rebaseline(file, undefined);
    expect(snapshot.hasFile(file)).toBe(false);
    expect(snapshot.fileCount).toBe(0);
  });

  it('rebaseline waits for a verification of the same path that is running', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const snapshot = new Snapshot({
      stat: async (p) => {
        await gate;
        return (await import('node:fs')).statSync(p);
      },
    });
    const file = await oldFile('y.go', 'y');
    const verifying = snapshot.verify(file, 'cold');
    const pending = snapshot.rebaseline(file, 'hot');
    expect(pending).toBeUndefined(); // not known yet: nothing to give a verdict to
    release();
    expect(await verifying).toBe('created');
    const again = snapshot.verify(file);
    const rebased = snapshot.rebaseline(file, 'hot');
    expect(rebased).toBeInstanceOf(Promise);
    expect(snapshot.entry(file)?.tier).toBe('cold');
    await again;
    await rebased;
    expect(snapshot.entry(file)?.tier).toBe('hot');
  });
});
