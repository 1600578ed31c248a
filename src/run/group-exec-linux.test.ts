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
} from './group-exec-linux.js';
import { isProcessAlive, listGroupMembers, readProcStat } from './proc-linux.js';
import { spawnGroupLeader, terminateGroup, useGroupExec } from './process-group.js';
import { runCommand } from './runner.js';
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

  it('says ENOENT for nothing, EACCES for a file that is not executable, skips directories', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plain'), 'x', { mode: 0o644 });
    await mkdir(join(dir, 'sub'));
    expect(lookPath('nothing-here', dir, '/')).toEqual({ found: false, code: 'ENOENT' });
    expect(lookPath('plain', dir, '/')).toEqual({ found: false, code: 'EACCES' });
    expect(lookPath('sub', dir, '/')).toEqual({ found: false, code: 'ENOENT' });
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
