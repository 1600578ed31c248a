import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/helpers/wait-for.js';
import { errnoCode } from '../errors.js';
import {
  type GroupExecBuild,
  groupExecPath,
  isUsableHelper,
  lookPath,
  prepareGroupExec,
  runsAsHelper,
} from './group-exec-linux.js';
import { isProcessAlive, listGroupMembers, readProcStat } from './proc-linux.js';
import { spawnGroupLeader, terminateGroup, useGroupExec } from './process-group.js';
import { runCommand } from './runner.js';
import { killGroupNow } from './supervisor.js';
import type { GroupLeader } from './types.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gohot-pgrp-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The session id of `pid` (field 6 of /proc/<pid>/stat). */
function sessionOf(pid: number | 'self'): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[3]);
}

const goBuild: GroupExecBuild = {
  goBin: 'go',
  run: async (args, cwd, env) => {
    const r = await runCommand({ command: 'go', args, cwd, env }, { timeoutMs: 120_000 });
    return r.status === 'exited' && r.code === 0;
  },
};

describe('lookPath', () => {
  it('finds a bare name in PATH (an empty entry is cwd), a path with a slash from cwd', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'here'), '#!/bin/sh\n', { mode: 0o755 });
    expect(lookPath('tool', `/nonexistent:${join(dir, 'bin')}`, '/')).toEqual({
      found: true,
      file: join(dir, 'bin', 'tool'),
    });
    expect(lookPath('here', '/nonexistent:', dir)).toEqual({
      found: true,
      file: join(dir, 'here'),
    });
    expect(lookPath('./bin/tool', '', dir)).toEqual({
      found: true,
      file: join(dir, 'bin', 'tool'),
    });
    // A slash means no PATH search.
    expect(lookPath('bin/tool', join(dir, 'bin'), '/')).toEqual({ found: false, code: 'ENOENT' });
  });

  it('says ENOENT for nothing, EACCES for a file that is not executable or a directory', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plain'), 'x', { mode: 0o644 });
    await mkdir(join(dir, 'sub'));
    expect(lookPath('nothing-here', dir, '/')).toEqual({ found: false, code: 'ENOENT' });
    expect(lookPath('plain', dir, '/')).toEqual({ found: false, code: 'EACCES' });
    // Node's spawn (execvp) says EACCES for a directory, with or without a slash.
    expect(lookPath('sub', dir, '/')).toEqual({ found: false, code: 'EACCES' });
    expect(lookPath('./sub', '', dir)).toEqual({ found: false, code: 'EACCES' });
    // Without PATH, execvp searches /bin:/usr/bin (not /usr/local/bin).
    expect(lookPath('sh', undefined, '/')).toEqual({ found: true, file: '/bin/sh' });
  });
});

describe.runIf(process.platform === 'linux')('the setpgid helper', () => {
  let helper: string;
  const leaders: GroupLeader[] = [];
  beforeAll(async () => {
    const state = await tempDir();
    const built = await prepareGroupExec(state, goBuild);
    expect(built).toBe(groupExecPath(state));
    helper = built!;
  }, 180_000);
  afterEach(async () => {
    useGroupExec(undefined);
    for (const l of leaders.splice(0)) await terminateGroup(l, { kind: 'kill' });
  });

  function start(command: string, args: string[], cwd = '/'): GroupLeader {
    useGroupExec(helper);
    const spawned = spawnGroupLeader({ command, args, cwd, env: process.env }, 'ignore');
    if (spawned.status !== 'started') throw new Error(`${command} did not start`);
    leaders.push(spawned.leader);
    return spawned.leader;
  }

  it('is built once: a second gohot finds it and builds nothing', async () => {
    const state = join(helper, '..', '..');
    const never: GroupExecBuild = {
      goBin: 'go',
      run: () => Promise.reject(new Error('built again')),
    };
    expect(await prepareGroupExec(state, never)).toBe(helper);
    expect(isUsableHelper(helper, process.geteuid!())).toBe(true);
  });

  it('a file someone else could change is not used, and an unbuildable helper is undefined', async () => {
    const state = await tempDir();
    const file = groupExecPath(state);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, '#!/bin/sh\n', { mode: 0o777 });
    await chmod(file, 0o777);
    expect(isUsableHelper(file, process.geteuid!())).toBe(false);
    const failing: GroupExecBuild = { goBin: 'go', run: async () => false };
    expect(await prepareGroupExec(state, failing)).toBeUndefined();
  });

  it('a helper that does not run here is neither kept nor used (another CPU, a broken build)', async () => {
    // Regression: a helper was used once it had the right mode, and then no build or app
    // could start (a binary for another architecture in a shared home, GOAMD64, noexec).
    const state = await tempDir();
    const file = groupExecPath(state);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(isUsableHelper(file, process.geteuid!())).toBe(true);
    expect(await runsAsHelper(file)).toBe(false);
    const fake: GroupExecBuild = {
      goBin: 'go',
      run: async (args) => {
        await writeFile(args[args.indexOf('-o') + 1]!, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
        return true;
      },
    };
    expect(await prepareGroupExec(state, fake)).toBeUndefined();
    expect(await runsAsHelper(helper)).toBe(true);
  });

  it("the user's go settings do not reach its build (go env file, GOARCH)", async () => {
    // Regression: GOFLAGS='' still read GOFLAGS from the go env file (-race fails without
    // cgo), and GOARCH built a helper this machine cannot run.
    const state = await tempDir();
    const goenv = join(state, 'go-env');
    await writeFile(goenv, 'GOFLAGS=-race\n');
    const saved = { GOENV: process.env.GOENV, GOARCH: process.env.GOARCH };
    process.env.GOENV = goenv;
    process.env.GOARCH = process.arch === 'arm64' ? 'amd64' : 'arm64';
    try {
      const built = await prepareGroupExec(state, goBuild);
      expect(built).toBe(groupExecPath(state));
      expect(await runsAsHelper(built!)).toBe(true);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }, 180_000);

  it('builds below a repository git cannot read (no VCS stamping)', async () => {
    // Regression: go build stamped VCS information, ran git on the repository around the
    // state directory, and failed with "error obtaining VCS status".
    const repo = await tempDir();
    const git = await runCommand({
      command: 'git',
      args: ['init', '-q', repo],
      cwd: '/',
      env: process.env,
    });
    expect(git).toMatchObject({ status: 'exited', code: 0 });
    await writeFile(join(repo, '.git', 'HEAD'), 'not a ref\n');
    const state = join(repo, 'state');
    await mkdir(state, { mode: 0o700 });
    expect(await prepareGroupExec(state, goBuild)).toBe(groupExecPath(state));
  }, 180_000);

  it('starts the command as leader of its own group in gohot session, same pid, argv0 kept', async () => {
    const leader = start('sleep', ['300']);
    const pgrp = await waitUntil('the leader in a group of its own', () =>
      readProcStat(leader.pid)?.pgrp === leader.pid && readProcStat(leader.pid)?.comm === 'sleep'
        ? true
        : undefined,
    );
    expect(pgrp).toBe(true);
    expect(sessionOf(leader.pid)).toBe(sessionOf('self'));
    expect(readFileSync(`/proc/${leader.pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sleep');
  });

  it('the whole group goes: a child of the leader dies with it', async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'child.pid');
    const leader = start('/bin/sh', ['-c', `sleep 300 & echo $! > ${pidFile}; wait`]);
    const child = await waitUntil('the child pid', () =>
      existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined,
    );
    expect(readProcStat(child)?.pgrp).toBe(leader.pid);
    const end = await terminateGroup(leader, { kind: 'kill' });
    expect(end.leader.signal).toBe('SIGKILL');
    expect(listGroupMembers(leader.pid)).toEqual([]);
    expect(isProcessAlive(child)).toBe(false);
  });

  it('passes the exit code and the signal through', async () => {
    expect(await start('/bin/sh', ['-c', 'exit 7']).exited).toEqual({ code: 7, signal: null });
    expect(await start('/bin/sh', ['-c', 'kill -TERM $$']).exited).toEqual({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('runs a script without #! with sh, as spawn does', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'script'), `echo ran > ${join(dir, 'out')}\n`, { mode: 0o755 });
    expect(await start('./script', [], dir).exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('ran\n');
  });

  it('a missing command fails at once with ENOENT, as spawn does', async () => {
    useGroupExec(helper);
    const spawned = spawnGroupLeader(
      { command: 'no-such-command-here', args: [], cwd: '/', env: process.env },
      'ignore',
    );
    expect(spawned.status).toBe('failed');
    if (spawned.status === 'failed') expect(errnoCode(await spawned.error)).toBe('ENOENT');
  });

  it('a start that fails names the command, not the helper (a missing cwd)', async () => {
    // Regression: the error was "spawn <state dir>/bin/gohot-pgrp-<hash> ENOENT".
    useGroupExec(helper);
    const spawned = spawnGroupLeader(
      { command: 'sh', args: ['-c', 'true'], cwd: '/nonexistent-gohot-cwd', env: process.env },
      'ignore',
    );
    expect(spawned.status).toBe('failed');
    if (spawned.status !== 'failed') return;
    const err = (await spawned.error) as NodeJS.ErrnoException;
    expect(err).toMatchObject({ code: 'ENOENT', path: 'sh', message: 'spawn sh ENOENT' });
  });

  it('the command has no controlling terminal, as in a session of its own', async () => {
    // Regression: in gohot's session the command kept gohot's terminal, and a read of
    // /dev/tty (ssh asking about a host key during go build, a prompt in a hook) stopped
    // its group with SIGTTIN for good; without a terminal the open fails (ENXIO).
    const probe = `if (exec 3</dev/tty) 2>/dev/null; then echo has-tty; else echo no-tty; fi`;
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    // script(1) gives the shell a terminal; `; :` keeps it from exec-ing the helper (a
    // session leader cannot setpgid).
    const line = (cmd: string) => `${cmd}; :`;
    const direct = `/bin/sh -c ${quote(probe)}`;
    const through = `${helper} /bin/sh sh -c ${quote(probe)}`;
    const run = async (cmd: string) => {
      const r = await runCommand(
        {
          command: 'script',
          args: ['-qec', line(cmd), '/dev/null'],
          cwd: '/',
          env: { ...process.env, SHELL: '/bin/sh' },
        },
        { timeoutMs: 30_000 },
      );
      return r.stdout.trim();
    };
    // The check can fail: with a terminal, the probe sees it.
    expect(await run(direct)).toBe('has-tty');
    expect(await run(through)).toBe('no-tty');
  });

  it('killGroupNow kills a leader that has no group yet', async () => {
    // Regression: a second Ctrl-C right after the app started sent SIGKILL to a group that
    // did not exist yet, and the app outlived gohot.
    for (let i = 0; i < 5; i++) {
      const leader = start('sleep', ['300']);
      expect(killGroupNow(leader)).toBe(true);
      expect(await leader.exited).toEqual({ code: null, signal: 'SIGKILL' });
    }
  });

  it('a stop signal the helper would catch and drop, sent before its setpgid, still ends it', async () => {
    // Regression: SIGUSR1 (a run.stopSignal) reached the helper's Go runtime, which ignores
    // it, and the app then ran until the grace period ended in SIGKILL.
    let hits = 0;
    for (let i = 0; i < 50 && hits < 3; i++) {
      const leader = start('sleep', ['300']);
      // Wait until the Go runtime catches SIGUSR1 (bit 10 of SigCgt) while the helper is
      // still in gohot's group: the moment a signal for the group goes to the pid.
      let inWindow = false;
      for (;;) {
        const stat = readProcStat(leader.pid);
        if (stat === undefined || stat.pgrp === leader.pid) break;
        const status = readFileSync(`/proc/${leader.pid}/status`, 'utf8');
        const caught = BigInt(`0x${/^SigCgt:\s+([0-9a-f]+)/m.exec(status)?.[1] ?? '0'}`);
        if ((caught & (1n << 9n)) !== 0n) {
          inWindow = true;
          break;
        }
      }
      const end = await terminateGroup(leader, {
        kind: 'terminate',
        signal: 'SIGUSR1',
        graceMs: 10_000,
      });
      if (!inWindow) continue;
      hits++;
      // Ended, not left running (the helper's setpgid may race the check above under load).
      expect(end.leader.signal ?? end.leader.code).not.toBeNull();
      expect(isProcessAlive(leader.pid)).toBe(false);
    }
    expect(hits).toBeGreaterThan(0);
  }, 60_000);

  it('a leader stopped before its setpgid still goes (it gets the signal itself)', async () => {
    // Stopped at once: mostly before the helper ran its setpgid, sometimes after.
    for (let i = 0; i < 20; i++) {
      const leader = start('sleep', ['300']);
      const end = await terminateGroup(leader, { kind: 'kill' });
      expect(end.leader.signal).toBe('SIGKILL');
      expect(isProcessAlive(leader.pid)).toBe(false);
    }
  });
});
