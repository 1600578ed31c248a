import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { isOurApp, reapOrphans } from './orphans.js';
import { isProcessAlive, readProcStat } from './proc-linux.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/**
 * A detached `sleep` in its own group, standing in for an orphaned app. Run from a copy
 * inside `dir` (as gohot runs its builds), unless `dir` is undefined.
 */
function orphanApp(dir?: string): number {
  let bin = 'sleep';
  if (dir !== undefined) {
    bin = path.join(dir, 'app-1');
    copyFileSync(spawnSync('sh', ['-c', 'command -v sleep']).stdout.toString().trim(), bin);
    chmodSync(bin, 0o755);
  }
  const child = spawn(bin, ['60'], { detached: true, stdio: 'ignore' });
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

function newDir(tmp: string): string {
  return path.join(tmp, `gohot-${Math.random().toString(36).slice(2)}`);
}

async function recordIn(tmp: string, record: object, dir = newDir(tmp)): Promise<string> {
  await mkdir(dir, { mode: 0o700, recursive: true });
  await writeFile(path.join(dir, 'owner.json'), JSON.stringify(record));
  return dir;
}

const asNobody = (...cmd: string[]) =>
  spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...cmd]);

describe('reapOrphans', () => {
  it('kills the app of a dead gohot and removes its directory', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const dir = newDir(tmp);
    await mkdir(dir, { mode: 0o700 });
    const app = orphanApp(dir);
    const gohotPid = deadPid();
    await recordIn(tmp, { gohotPid, appPid: app, appStartTime: readProcStat(app)!.startTime }, dir);
    expect(reapOrphans(tmp)).toEqual([{ appPid: app, gohotPid }]);
    await waitFor(() => !isProcessAlive(app), { what: 'the orphan to die' });
    expect(existsSync(dir)).toBe(false);
  });

  it('never kills a recycled pid (other start time), but removes the stale directory', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const dir = newDir(tmp);
    await mkdir(dir, { mode: 0o700 });
    const app = orphanApp(dir);
    await recordIn(
      tmp,
      { gohotPid: deadPid(), appPid: app, appStartTime: readProcStat(app)!.startTime - 1 },
      dir,
    );
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

  // Regression: a record planted by another user in a shared /tmp made root's gohot SIGKILL a
  // process group of its choice; an undeletable directory of another user crashed start-up.
  it("never trusts another user's directory: no kill, no removal, no crash", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    chmodSync(tmp, 0o777);
    const victim = orphanApp();
    const planted = path.join(tmp, 'gohot-planted');
    const record = JSON.stringify({
      gohotPid: deadPid(),
      appPid: victim,
      appStartTime: readProcStat(victim)!.startTime,
    });
    expect(asNobody('mkdir', '-m', '700', planted).status).toBe(0);
    expect(asNobody('sh', '-c', `printf '%s' '${record}' > ${planted}/owner.json`).status).toBe(0);
    const undeletable = path.join(tmp, 'gohot-undeletable');
    expect(asNobody('mkdir', '-m', '500', undeletable).status).toBe(0);
    expect(reapOrphans(tmp)).toEqual([]);
    expect(isProcessAlive(victim)).toBe(true);
    expect(existsSync(path.join(planted, 'owner.json'))).toBe(true);
    expect(existsSync(undeletable)).toBe(true);
  });

  it('never kills a process that does not run a binary from the directory', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const victim = orphanApp();
    await recordIn(tmp, {
      gohotPid: deadPid(),
      appPid: victim,
      appStartTime: readProcStat(victim)!.startTime,
    });
    expect(reapOrphans(tmp)).toEqual([]);
    expect(isProcessAlive(victim)).toBe(true);
  });

  // Regression: `appPid: 1` made gohot call kill(-1, SIGKILL). Checked on the predicate, so a
  // regression cannot take the machine down with it.
  it('never takes pid 1 (or below) for an app', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gohot-orphans-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    for (const appPid of [1, 0, -1]) {
      const record = { gohotPid: deadPid(), appPid, appStartTime: readProcStat(1)?.startTime ?? 0 };
      expect(isOurApp(tmp, record, process.geteuid?.() ?? 0)).toBe(false);
    }
  });
});
