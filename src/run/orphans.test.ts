import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { reapOrphans } from './orphans.js';
import { isProcessAlive, readProcStat } from './proc-linux.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/** A detached `sleep` in its own group, standing in for an orphaned app. */
function orphanApp(): number {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  child.unref();
  cleanup.push(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  });
  return child.pid!;
}

/** The pid of a process that has exited: a gohot that is gone. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

async function recordIn(tmp: string, record: object): Promise<string> {
  const dir = path.join(tmp, `gohot-${Math.random().toString(36).slice(2)}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'owner.json'), JSON.stringify(record));
  return dir;
}

describe('reapOrphans', () => {
  it('kills the app of a dead gohot and removes its directory', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const app = orphanApp();
    const gohotPid = deadPid();
    const dir = await recordIn(tmp, {
      gohotPid,
      appPid: app,
      appStartTime: readProcStat(app)!.startTime,
    });
    expect(reapOrphans(tmp)).toEqual([{ appPid: app, gohotPid }]);
    await waitFor(() => !isProcessAlive(app), { what: 'the orphan to die' });
    expect(existsSync(dir)).toBe(false);
  });

  it('never kills a recycled pid (other start time), but removes the stale directory', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const app = orphanApp();
    const dir = await recordIn(tmp, {
      gohotPid: deadPid(),
      appPid: app,
      appStartTime: readProcStat(app)!.startTime - 1,
    });
    expect(reapOrphans(tmp)).toEqual([]);
    expect(isProcessAlive(app)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the directory of a gohot that died before it started an app', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const dir = await recordIn(tmp, { gohotPid: deadPid() });
    expect(reapOrphans(tmp)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves the app of a running gohot and unrelated directories alone', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const app = orphanApp();
    const live = await recordIn(tmp, {
      gohotPid: process.pid,
      appPid: app,
      appStartTime: readProcStat(app)!.startTime,
    });
    const unrelated = path.join(tmp, 'gohot-something-else');
    await mkdir(unrelated);
    expect(reapOrphans(tmp)).toEqual([]);
    expect(isProcessAlive(app)).toBe(true);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});
