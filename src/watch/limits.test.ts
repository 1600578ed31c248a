import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GohotError } from '../errors.js';
import { describeWatchLimitError, type LimitProbe } from './limits.js';

const DIR = '/home/me/proj/internal/api';

// Shaped exactly like what Node 20 throws from fs.watch (captured on this machine):
//   ENOSPC: watch limit hit in a user namespace with user.max_inotify_watches=3
//   EMFILE: inotify_init1 with user.max_inotify_instances=1, and with `ulimit -n 40`
//   (both give the same error: syscall "watch", errno -24).
function watchError(code: string, errno: number, text: string, path = DIR): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${text}, watch '${path}'`), {
    errno,
    syscall: 'watch',
    code,
    path,
    filename: path,
  });
}
const ENOSPC_WATCH = watchError('ENOSPC', -28, 'System limit for number of file watchers reached');
const EMFILE_WATCH = watchError('EMFILE', -24, 'too many open files');

function syscallError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall} '${DIR}'`), {
    code,
    syscall,
    path: DIR,
  });
}

const probe = (
  over: Partial<{
    watches: number;
    instances: number;
    open: number;
    limit: number;
    fileMax: number;
  }> = {},
): LimitProbe => ({
  inotifyLimits: () => ({
    maxUserWatches: over.watches ?? 8192,
    maxUserInstances: over.instances ?? 128,
    maxQueuedEvents: 16384,
  }),
  openFds: () => over.open ?? 30,
  openFilesLimit: () => over.limit ?? 1024,
  fileMax: () => over.fileMax ?? 9_223_372,
});

describe('describeWatchLimitError', () => {
  it('names the watch limit, its current value, the sysctl fix, how to persist it and --poll', () => {
    const err = describeWatchLimitError(ENOSPC_WATCH, DIR, probe({ watches: 8192 }));
    expect(err).toBeInstanceOf(GohotError);
    expect(err?.code).toBe('INOTIFY_WATCH_LIMIT');
    expect(err?.message).toContain(DIR);
    expect(err?.message).toContain('fs.inotify.max_user_watches=8192');
    expect(err?.hint).toContain('`sudo sysctl fs.inotify.max_user_watches=524288`');
    expect(err?.hint).toContain('/etc/sysctl.d/');
    expect(err?.hint).toContain('--poll');
    expect(err?.cause).toBe(ENOSPC_WATCH);
  });

  it('reads the current watch limit from /proc by default', () => {
    const current = Number(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8'));
    const err = describeWatchLimitError(ENOSPC_WATCH, DIR);
    expect(err?.message).toContain(`fs.inotify.max_user_watches=${current})`);
  });

  it('says so when the limit cannot be read', () => {
    const blind: LimitProbe = { ...probe(), inotifyLimits: () => ({}) };
    expect(describeWatchLimitError(ENOSPC_WATCH, DIR, blind)?.message).toContain(
      'fs.inotify.max_user_watches could not be read',
    );
  });

  it('names the instance limit for EMFILE from a watch call while descriptors are to spare', () => {
    const err = describeWatchLimitError(
      EMFILE_WATCH,
      DIR,
      probe({ instances: 128, open: 25, limit: 1024 }),
    );
    expect(err?.code).toBe('INOTIFY_INSTANCE_LIMIT');
    expect(err?.message).toContain('fs.inotify.max_user_instances=128');
    expect(err?.message).toContain(DIR);
    expect(err?.hint).toContain('`sudo sysctl fs.inotify.max_user_instances=1024`');
    expect(err?.hint).toContain('/etc/sysctl.d/');
    expect(err?.hint).toContain('--poll');
  });

  it.each([
    ['at the limit', 1024, 1024],
    ['just under it', 1000, 1024],
    ['tiny ulimit', 38, 40],
  ])(
    'names ulimit -n for EMFILE from a watch call when descriptors ran out (%s)',
    (_, open, limit) => {
      const err = describeWatchLimitError(EMFILE_WATCH, DIR, probe({ open, limit }));
      expect(err?.code).toBe('FD_LIMIT');
      expect(err?.message).toContain(`ulimit -n is ${limit}`);
      expect(err?.hint).toContain('ulimit -n');
      expect(err?.hint).toContain('--poll');
    },
  );

  it.each(['open', 'scandir', 'opendir', 'lstat'])(
    'names ulimit -n for EMFILE from %s',
    (syscall) => {
      const err = describeWatchLimitError(
        syscallError('EMFILE', syscall),
        DIR,
        probe({ open: 30, limit: 1024 }),
      );
      expect(err?.code).toBe('FD_LIMIT');
      expect(err?.message).toContain('ulimit -n is 1024');
    },
  );

  it('names fs.file-max and ulimit -n for ENFILE', () => {
    const err = describeWatchLimitError(
      syscallError('ENFILE', 'watch'),
      DIR,
      probe({ fileMax: 50_000 }),
    );
    expect(err?.code).toBe('FD_LIMIT');
    expect(err?.message).toContain('fs.file-max=50000');
    expect(err?.message).toContain('ulimit -n is 1024');
  });

  it.each([
    ['disk full while writing', syscallError('ENOSPC', 'write')],
    ['disk full while opening', syscallError('ENOSPC', 'open')],
    ['missing directory', syscallError('ENOENT', 'watch')],
    ['permission', syscallError('EACCES', 'watch')],
    ['plain Error', new Error('boom')],
    ['string', 'ENOSPC'],
    ['undefined', undefined],
    ['null', null],
  ])('returns undefined for other errors (%s)', (_, err) => {
    expect(describeWatchLimitError(err, DIR, probe())).toBeUndefined();
  });
});

describe('describeWatchLimitError with a real kernel limit', () => {
  const root = mkdtempSync(join(tmpdir(), 'gohot-limits-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('recognizes the ENOSPC that fs.watch throws when the watch limit is hit', () => {
    for (let i = 0; i < 5; i++) mkdirSync(join(root, `d${i}`));
    // A private user namespace gets its own inotify watch limit (user.max_inotify_watches),
    // so the limit can be hit without touching the machine-wide sysctl others rely on.
    const script = `
      const fs = require('node:fs');
      for (let i = 0; i < 5; i++) {
        try { fs.watch(${JSON.stringify(root)} + '/d' + i); }
        catch (e) { console.log(JSON.stringify({ i, message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path })); process.exit(0); }
      }
      console.log('{}'); process.exit(0);`;
    let out: string;
    try {
      out = execFileSync(
        'unshare',
        [
          '-Ur',
          'sh',
          '-c',
          `echo 2 > /proc/sys/user/max_inotify_watches && exec "$0" -e "$1"`,
          process.execPath,
          script,
        ],
        { encoding: 'utf8' },
      );
    } catch (e) {
      throw new Error(
        `This test needs unprivileged user namespaces (\`unshare -Ur\`), e.g. sysctl kernel.unprivileged_userns_clone=1 or kernel.apparmor_restrict_unprivileged_userns=0: ${String(e)}`,
      );
    }
    const seen = JSON.parse(out.trim()) as { i?: number; message: string };
    expect(seen.i).toBe(2);
    const real = Object.assign(new Error(seen.message), seen);
    const err = describeWatchLimitError(real, join(root, 'd2'));
    expect(err?.code).toBe('INOTIFY_WATCH_LIMIT');
    expect(err?.message).toContain(join(root, 'd2'));
  });
});
