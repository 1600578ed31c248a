import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Backoff, lookAtRoot } from './root-presence.js';
import { Snapshot } from './snapshot.js';

describe('lookAtRoot', () => {
  let base: string;
  let root: string;
  let snapshot: Snapshot;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'gohot-root-presence-'));
    root = join(base, 'mod');
    await mkdir(root);
    const st = await stat(root);
    snapshot = new Snapshot();
    snapshot.addDir(root, `${st.dev}:${st.ino}`);
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('tells a root that is still there, gone, or another directory', async () => {
    expect(lookAtRoot(root, snapshot, false)).toBe('same');
    await rename(root, join(base, 'away'));
    expect(lookAtRoot(root, snapshot, true)).toBe('gone');
    await mkdir(join(base, 'other'));
    await rename(join(base, 'other'), root);
    expect(lookAtRoot(root, snapshot, false)).toBe('replaced');
  });

  it('takes a rename event with an unchanged inode as a replaced root, unless a child has its name', async () => {
    // The same inode after the event: moved away and back, or ext4 reusing the number.
    expect(lookAtRoot(root, snapshot, true)).toBe('replaced');
    await mkdir(join(root, basename(root)));
    expect(lookAtRoot(root, snapshot, true)).toBe('same');
  });
});

describe('Backoff', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('doubles the delay with each arm up to the maximum, and starts over on reset', () => {
    vi.useFakeTimers();
    const ticks: number[] = [];
    const started = Date.now();
    const backoff = new Backoff(20, 100, () => {
      ticks.push(Date.now() - started);
      backoff.arm();
    });
    backoff.arm();
    vi.advanceTimersByTime(20 + 40 + 80 + 100 + 100);
    expect(ticks).toEqual([20, 60, 140, 240, 340]);
    backoff.reset();
    vi.advanceTimersByTime(1000);
    expect(ticks).toHaveLength(5);
    backoff.arm();
    vi.advanceTimersByTime(20);
    expect(ticks).toEqual([20, 60, 140, 240, 340, 1360]);
  });
});
