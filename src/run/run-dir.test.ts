import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { isGohotError } from '../errors.js';
import { isProcessAlive, readProcStat } from './proc-linux.js';
import { openRunDir } from './run-dir.js';
import { ensurePrivateDir } from './state-dir.js';

const uid = process.geteuid?.() ?? 0;
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gohot-rundir-'));
  temps.push(dir);
  return dir;
}

describe('openRunDir', () => {
  it('takes a stable private directory per project, with the owner record', async () => {
    const state = await stateDir();
    const { dir, reaped } = openRunDir('/home/me/api', state, uid);
    expect(reaped).toEqual([]);
    expect(path.dirname(dir.path)).toBe(state);
    expect(path.basename(dir.path)).toMatch(/^api-[0-9a-f]{16}$/);
    expect(dir.binary).toBe(path.join(dir.path, 'app'));
    expect(dir.goTmpDir).toBe(path.join(dir.path, 'tmp'));
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
    expect(statSync(dir.goTmpDir).mode & 0o777).toBe(0o700);
    const record = JSON.parse(readFileSync(path.join(dir.path, 'owner.json'), 'utf8'));
    expect(record).toEqual({ gohotPid: process.pid });

    dir.recordApp(process.pid);
    const withApp = JSON.parse(readFileSync(path.join(dir.path, 'owner.json'), 'utf8'));
    expect(withApp).toMatchObject({ gohotPid: process.pid, appPid: process.pid });
    expect(withApp.appStartTime).toBeGreaterThan(0);
  });

  // Regression: apps that keep data beside their executable (memos' SQLite database) lost it
  // when gohot removed its whole build directory at exit, and started empty every session.
  it('gives the directory up without deleting what the app wrote there', async () => {
    const state = await stateDir();
    const first = openRunDir('/p', state, uid).dir;
    writeFileSync(first.binary, 'binary');
    writeFileSync(path.join(first.path, 'app.db'), 'data');
    first.remove();
    expect(existsSync(path.join(first.path, 'owner.json'))).toBe(false);
    expect(readFileSync(path.join(first.path, 'app.db'), 'utf8')).toBe('data');
    // The next session gets the same directory and the same binary path (go's early cutoff).
    const second = openRunDir('/p', state, uid).dir;
    expect(second.path).toBe(first.path);
    expect(readFileSync(second.binary, 'utf8')).toBe('binary');
  });

  it('uses a temporary directory while another live gohot holds the stable one', async () => {
    const state = await stateDir();
    const held = openRunDir('/p', state, uid).dir;
    const other = openRunDir('/p', state, uid).dir;
    expect(other.path).toBe(`${held.path}.${process.pid}`);
    other.remove();
    expect(existsSync(other.path)).toBe(false);
  });

  it('reaps what a dead gohot left first, and returns it as a value', async () => {
    const state = await stateDir();
    const stale = openRunDir('/stale', state, uid).dir;
    // Its app: a detached sleep in its own group, run from the run directory's binary.
    copyFileSync(
      spawnSync('sh', ['-c', 'command -v sleep']).stdout.toString().trim(),
      stale.binary,
    );
    chmodSync(stale.binary, 0o755);
    const app = spawn(stale.binary, ['60'], { detached: true, stdio: 'ignore' });
    app.unref();
    const appPid = app.pid!;
    const deadGohot = spawnSync('true').pid!;
    writeFileSync(
      path.join(stale.path, 'owner.json'),
      JSON.stringify({
        gohotPid: deadGohot,
        appPid,
        appStartTime: readProcStat(appPid)!.startTime,
      }),
    );
    const { reaped } = openRunDir('/other', state, uid);
    expect(reaped).toEqual([{ appPid, gohotPid: deadGohot }]);
    await waitFor(() => !isProcessAlive(appPid), { what: 'the orphaned app to die' });
    expect(existsSync(path.join(stale.path, 'owner.json'))).toBe(false);
  });

  // Regression: the build directory was re-created with a recursive mkdir (0755) and
  // accepted whoever owned it; another user could swap the binary that gohot then ran.
  it('verify() refuses a state directory that someone else re-created', async () => {
    // Like /tmp/gohot-<uid> after a tmp cleaner removed it: the parent is world-writable.
    const shared = await stateDir();
    chmodSync(shared, 0o1777);
    const state = path.join(shared, `gohot-${uid}`);
    ensurePrivateDir(state, uid);
    const { dir } = openRunDir('/p', state, uid);
    await rm(state, { recursive: true });
    const asNobody = (...cmd: string[]) =>
      spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...cmd]);
    expect(asNobody('mkdir', '-m', '777', state).status).toBe(0);
    expect(asNobody('mkdir', '-m', '777', dir.path).status).toBe(0);
    let error: unknown;
    try {
      dir.verify();
    } catch (err) {
      error = err;
    }
    expect(isGohotError(error, 'STATE_DIR_UNSAFE')).toBe(true);
    expect((error as Error).message).toContain('belongs to uid 65534');
  });

  it('verify() re-creates a run directory that a cleaner removed', async () => {
    const state = await stateDir();
    const { dir } = openRunDir('/p', state, uid);
    await rm(dir.path, { recursive: true });
    dir.verify();
    expect(statSync(dir.goTmpDir).isDirectory()).toBe(true);
  });

  // Found in review: go leaves its work directory behind when a cancelled build is killed,
  // and the stable directory's GOTMPDIR grew with every cancel.
  it("clears go's leftovers in GOTMPDIR when it takes the directory", async () => {
    const state = await stateDir();
    const first = openRunDir('/p', state, uid).dir;
    const leftover = path.join(first.goTmpDir, 'go-build123');
    writeFileSync(path.join(first.goTmpDir, 'x'), '');
    first.remove();
    const second = openRunDir('/p', state, uid).dir;
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(path.join(second.goTmpDir, 'x'))).toBe(false);
    expect(statSync(second.goTmpDir).isDirectory()).toBe(true);
  });
});
