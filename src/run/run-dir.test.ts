import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { isProcessAlive, readProcStat } from './proc-linux.js';
import { openRunDir, runDirParent } from './run-dir.js';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function parentDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gohot-rundir-'));
  temps.push(dir);
  return dir;
}

describe('openRunDir', () => {
  it('creates a private gohot-* directory with the owner record, and removes it', async () => {
    const parent = await parentDir();
    const { dir, reaped } = openRunDir(parent);
    expect(reaped).toEqual([]);
    expect(path.dirname(dir.path)).toBe(parent);
    expect(path.basename(dir.path)).toMatch(/^gohot-/);
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
    const record = JSON.parse(readFileSync(path.join(dir.path, 'owner.json'), 'utf8'));
    expect(record).toEqual({ gohotPid: process.pid });

    dir.recordApp(process.pid);
    const withApp = JSON.parse(readFileSync(path.join(dir.path, 'owner.json'), 'utf8'));
    expect(withApp).toMatchObject({ gohotPid: process.pid, appPid: process.pid });
    expect(withApp.appStartTime).toBeGreaterThan(0);

    dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });

  it('reaps what a dead gohot left in the same parent first, and returns it as a value', async () => {
    const parent = await parentDir();
    const stale = path.join(parent, 'gohot-stale');
    await mkdir(stale, { mode: 0o700 });
    const deadGohot = spawnSync('true').pid!;
    // Its app: a detached sleep in its own group, run from a binary in its directory.
    const bin = path.join(stale, 'app-1');
    copyFileSync(spawnSync('sh', ['-c', 'command -v sleep']).stdout.toString().trim(), bin);
    chmodSync(bin, 0o755);
    const app = spawn(bin, ['60'], { detached: true, stdio: 'ignore' });
    app.unref();
    const appPid = app.pid!;
    const appStartTime = readProcStat(appPid)!.startTime;
    await writeFile(
      path.join(stale, 'owner.json'),
      JSON.stringify({ gohotPid: deadGohot, appPid, appStartTime }),
    );
    const { dir, reaped } = openRunDir(parent);
    expect(reaped).toEqual([{ appPid, gohotPid: deadGohot }]);
    await waitFor(() => !isProcessAlive(appPid), { what: 'the orphaned app to die' });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(dir.path)).toBe(true);
  });

  it('lives under the temporary directory (TMPDIR) by default', () => {
    expect(runDirParent()).toBe(os.tmpdir());
  });
});
