import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predicateFilter } from '../../src/classify/watch-filter.js';
import { describeObservation } from '../../src/report/describe.js';
import { readInotifyUsage } from '../../src/watch/inotify-linux.js';
import type { BackendKind } from '../../src/watch/types.js';

type WatchLog = ReturnType<typeof describeObservation>;

import { createWatcher } from '../../src/watch/watcher.js';
import { strength } from '../helpers/strength.js';

// Every createWatcher + ready + close cycle must give back every descriptor and every
// inotify watch (a deleted or closed directory's FSWatcher left open leaks both). A leak in
// every cycle shows after the first; the repetitions are for leaks that need a race.
// GOHOT_LEAK_CYCLES=<n> sets the cycles per backend (default 40, 500 with GOHOT_DEEP=1, as
// `npm run test:deep` does).
const CYCLES = strength('GOHOT_LEAK_CYCLES', 40, 500);
const DIRS = 1000;
const FILES_EVERY_N_DIRS = 10;
// 500 cycles took ~31 s (native) and ~21 s (poll) alone on the 2-core machine; the timeout's
// margin is for a loaded CI box.

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gohot-leak-'));
  const dirs: string[] = [];
  for (let a = 0; a < DIRS / 100; a++) {
    for (let b = 0; b < 100; b++) dirs.push(join(root, `a${a}`, `b${b}`));
  }
  await Promise.all(dirs.map((dir) => mkdir(dir, { recursive: true })));
  await Promise.all(
    dirs
      .filter((_, i) => i % FILES_EVERY_N_DIRS === 0)
      .map((dir) => writeFile(join(dir, 'x.go'), 'package x\n')),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** One cycle; returns the watched directory count and the inotify watches while open. */
async function cycle(
  backend: BackendKind,
  logs: WatchLog[],
): Promise<{ watched: number; openWatches: number }> {
  const watcher = createWatcher({
    roots: [root],
    filter: predicateFilter({ ignoreDir: () => false, trackFile: () => true }),
    backend,
    pollIntervalMs: 50,
    onChanges: () => undefined,
    onObservation: (o) => logs.push(describeObservation(o)),
  });
  await watcher.ready();
  const watched = watcher.stats().watchedDirs;
  const openWatches = readInotifyUsage().inotifyWatches;
  await watcher.close();
  return { watched, openWatches };
}

describe.each(['native', 'poll'] as const)('leaks (%s backend)', (backend) => {
  it(`gives back every descriptor and inotify watch over ${CYCLES} cycles on ${DIRS} directories`, async () => {
    const logs: WatchLog[] = [];
    // One warm-up cycle: libuv opens its one inotify descriptor on first use and keeps it.
    const first = await cycle(backend, logs);
    const expected = backend === 'native' ? DIRS + DIRS / 100 + 1 : 0;
    expect(first).toEqual({ watched: expected, openWatches: expected });
    const before = readInotifyUsage();
    const started = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      const { watched } = await cycle(backend, logs);
      if (watched !== expected)
        expect.fail(`cycle ${i} watched ${watched} directories, not ${expected}`);
    }
    const elapsedMs = performance.now() - started;
    const after = readInotifyUsage();
    console.info(
      `leak check (${backend}): ${CYCLES} cycles in ${Math.round(elapsedMs)} ms ` +
        `(${(elapsedMs / CYCLES).toFixed(1)} ms each); before ${JSON.stringify(before)}, ` +
        `after ${JSON.stringify(after)}`,
    );
    expect(after).toEqual(before);
    expect(before.inotifyWatches).toBe(0);
    expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
  }, 150_000);
});
