import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixture } from '../../test/helpers/go-build.js';
import { waitUntil } from '../../test/helpers/wait-for.js';
import {
  isProcessAlive,
  isZombieState,
  listGroupMembers,
  parseProcStat,
  readProcStat,
} from './proc-linux.js';
import { createSupervisor } from './supervisor.js';

describe('parseProcStat', () => {
  // Fields 7..22 of proc(5); the last one (starttime) is 123.
  const tail = '0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123';
  it.each([
    ['plain', `1234 (go) S 1 1234 1234 ${tail}`, [1234, 'go', 'S', 1, 1234]],
    ['comm with ") ("', `42 (a) (b) R 7 40 40 ${tail}`, [42, 'a) (b', 'R', 7, 40]],
    ['comm with spaces', `43 (my app) Z 7 9 9 ${tail}`, [43, 'my app', 'Z', 7, 9]],
    ['comm that is ")"', `44 ()) D 0 0 0 ${tail}`, [44, ')', 'D', 0, 0]],
    ['trailing newline', `45 (x) S 1 2 3\n`, [45, 'x', 'S', 1, 2]],
  ] as const)('parses %s', (name, line, [pid, comm, state, ppid, pgrp]) => {
    const startTime = name === 'trailing newline' ? Number.NaN : 123;
    expect(parseProcStat(line)).toEqual({ pid, comm, state, ppid, pgrp, startTime });
  });

  it('reads the start time of a real process (stable for its lifetime)', () => {
    const a = readProcStat(process.pid);
    const b = readProcStat(process.pid);
    expect(a?.startTime).toBeGreaterThan(0);
    expect(b?.startTime).toBe(a?.startTime);
  });

  it.each([
    ['empty', ''],
    ['no parens', '42 x S 1 2 3'],
    ['non-numeric pid', 'abc (x) S 1 2 3'],
    ['non-numeric pgrp', '42 (x) S 1 two 3'],
    ['truncated', '42 (x) S 1'],
  ])('rejects %s', (_name, line) => {
    expect(parseProcStat(line)).toBeUndefined();
  });
});

describe('isZombieState', () => {
  it.each([
    ['Z', true],
    ['X', true],
    ['S', false],
    ['R', false],
    ['D', false],
  ])('%s -> %s', (state, expected) => {
    expect(isZombieState(state)).toBe(expected);
  });
});

describe('/proc inspection of real processes', () => {
  it('reads this process', () => {
    const self = readProcStat(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(self?.state).not.toBe('Z');
    expect(listGroupMembers(self!.pgrp)).toContain(process.pid);
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  it('parses a binary whose name contains ") (" and finds it in its own group', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gohot-proc-'));
    const sup = createSupervisor({ stdio: 'pipe', stopTimeoutMs: 300 });
    try {
      const binary = join(dir, 'x) (y z');
      await copyFile(await buildFixture('ignores-sigterm'), binary);
      const pid = sup.start({ binary, args: [], env: process.env, cwd: dir });
      const stat = await waitUntil(`/proc/${pid}/stat of the running fixture`, () =>
        readProcStat(pid),
      );
      expect(stat).toMatchObject({ pid, comm: 'x) (y z', ppid: process.pid, pgrp: pid });
      expect(listGroupMembers(pid)).toEqual([pid]);
      await sup.stop();
      expect(isProcessAlive(pid)).toBe(false);
      expect(listGroupMembers(pid)).toEqual([]);
    } finally {
      await sup.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
