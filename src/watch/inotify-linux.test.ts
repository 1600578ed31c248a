import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  type FSWatcher,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  watch,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/helpers/wait-for.js';
import {
  type InotifyUsage,
  readFileMax,
  readInotifyLimits,
  readInotifyUsage,
  readOpenFilesLimit,
  readProcNumber,
} from './inotify-linux.js';

const root = mkdtempSync(join(tmpdir(), 'gohot-inotify-'));
const dirs = Array.from({ length: 4 }, (_, i) => join(root, `d${i}`));
for (const d of dirs) mkdirSync(d);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Reads until `ok` holds and returns that value; the timeout error shows the last one. */
function until<T>(what: string, read: () => T, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  return waitUntil(
    what,
    () => {
      last = read();
      return ok(last) ? last : undefined;
    },
    { timeoutMs: 5_000, describe: () => `last: ${JSON.stringify(last)}` },
  );
}

describe('readInotifyLimits', () => {
  it('reads the three sysctls as numbers', () => {
    const file = (name: string) => Number(readFileSync(`/proc/sys/fs/inotify/${name}`, 'utf8'));
    expect(readInotifyLimits()).toEqual({
      maxUserWatches: file('max_user_watches'),
      maxUserInstances: file('max_user_instances'),
      maxQueuedEvents: file('max_queued_events'),
    });
    expect(readInotifyLimits().maxUserWatches).toBeGreaterThan(0);
  });
});

describe('readProcNumber and friends', () => {
  it('returns undefined for a missing or non-numeric file', () => {
    expect(readProcNumber(join(root, 'missing'))).toBeUndefined();
    expect(readProcNumber('/proc/self/comm')).toBeUndefined();
    expect(readProcNumber('/proc/sys/fs/file-max')).toBe(readFileMax());
    expect(readFileMax()).toBeGreaterThan(0);
  });

  it('reads the soft open-files limit of this process', () => {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))!;
    expect(readOpenFilesLimit()).toBe(Number(line.split(/\s+/)[3]));
    expect(readOpenFilesLimit(process.pid)).toBe(readOpenFilesLimit());
  });
});

describe('readInotifyUsage', () => {
  const watchers: FSWatcher[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const w of watchers.splice(0)) w.close();
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('counts an opened descriptor', () => {
    // Background libuv work can open descriptors too; a few attempts rule that noise out.
    let delta = 0;
    for (let attempt = 0; attempt < 5 && delta !== 1; attempt++) {
      const before = readInotifyUsage().fds;
      const fd = openSync(join(root, 'f'), 'w');
      const after = readInotifyUsage().fds;
      closeSync(fd);
      delta = after - before;
    }
    expect(delta).toBe(1);
  });

  it('sees the watches of fs.watch appear and go away again', async () => {
    const before = readInotifyUsage();
    for (const d of dirs) watchers.push(watch(d));
    const during = await until(
      'the watches to show up',
      readInotifyUsage,
      (u) => u.inotifyWatches === before.inotifyWatches + dirs.length,
    );
    expect(during.inotifyFds).toBeGreaterThanOrEqual(1);
    // libuv shares one inotify instance per event loop (docs/facts.md#shared-inotify-instance).
    expect(during.inotifyFds).toBeLessThanOrEqual(before.inotifyFds + 1);

    for (const w of watchers.splice(0)) w.close();
    const after = await until(
      'the watches to go away',
      readInotifyUsage,
      (u) => u.inotifyWatches === before.inotifyWatches,
    );
    expect(after.inotifyWatches).toBe(before.inotifyWatches);
  });

  it('reads another process by pid: one shared instance, one watch per directory', async () => {
    const script = `
      const fs = require('node:fs');
      const ws = ${JSON.stringify(dirs)}.map((d) => fs.watch(d));
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    });
    const usage: InotifyUsage = await until(
      'the child to hold its watches',
      () => readInotifyUsage(child.pid!),
      (u) => u.inotifyWatches === dirs.length,
    );
    expect(usage.inotifyFds).toBe(1);
    expect(usage.fds).toBeGreaterThan(usage.inotifyFds);
  });

  it('reports zeros for a process that does not exist', () => {
    expect(readInotifyUsage(2 ** 30)).toEqual({ fds: 0, inotifyFds: 0, inotifyWatches: 0 });
  });
});
