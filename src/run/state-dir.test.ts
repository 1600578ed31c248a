import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import {
  ancestorsProblem,
  ensurePrivateDir,
  openStateDir,
  privateDirProblem,
  projectDirName,
  stateDirCandidates,
} from './state-dir.js';

const uid = process.geteuid?.() ?? 0;
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gohot-state-test-'));
  temps.push(d);
  return d;
};

describe('state directory', () => {
  it('prefers XDG_RUNTIME_DIR, then XDG_CACHE_HOME or ~/.cache, then tmpdir/gohot-<uid>', () => {
    expect(stateDirCandidates({ XDG_RUNTIME_DIR: '/run/user/7', HOME: '/h' }, 7)).toEqual([
      '/run/user/7/gohot',
      '/h/.cache/gohot',
      path.join(os.tmpdir(), 'gohot-7'),
    ]);
    expect(stateDirCandidates({ XDG_CACHE_HOME: '/c', HOME: '/h' }, 7)[0]).toBe('/c/gohot');
    // Relative values are ignored, as the XDG spec says.
    expect(stateDirCandidates({ XDG_RUNTIME_DIR: 'rel', HOME: 'rel' }, 7)).toEqual([
      path.join(os.tmpdir(), 'gohot-7'),
    ]);
  });

  it('creates a private directory and accepts it again', () => {
    const runtime = temp();
    const dir = openStateDir({ XDG_RUNTIME_DIR: runtime }, uid);
    expect(dir).toBe(path.join(runtime, 'gohot'));
    expect(privateDirProblem(dir, uid)).toBeUndefined();
    expect(openStateDir({ XDG_RUNTIME_DIR: runtime }, uid)).toBe(dir);
  });

  // Regression (shared /tmp): a directory of the expected name planted by someone else, or a
  // symlink to one, must never be used.
  it.each([
    ['a symlink', (d: string) => symlinkSync(temp(), d), 'it is a symbolic link'],
    ['a file', (d: string) => writeFileSync(d, ''), 'it is not a directory'],
    [
      'a group-writable directory',
      (d: string) => {
        mkdirSync(d);
        chmodSync(d, 0o770);
      },
      'other users have access to it (mode 770)',
    ],
  ])('refuses %s in its place', (_what, plant, problem) => {
    const runtime = temp();
    plant(path.join(runtime, 'gohot'));
    let error: unknown;
    try {
      openStateDir({ XDG_RUNTIME_DIR: runtime }, uid);
    } catch (err) {
      error = err;
    }
    expect(isGohotError(error, 'STATE_DIR_UNSAFE')).toBe(true);
    expect((error as Error).message).toContain(problem);
  });

  it('refuses a directory owned by another user (created by nobody)', () => {
    const runtime = temp();
    chmodSync(runtime, 0o777);
    const planted = path.join(runtime, 'gohot');
    const r = spawnSync('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      'mkdir',
      '-m',
      '700',
      planted,
    ]);
    expect(r.status).toBe(0);
    expect(privateDirProblem(planted, uid)).toBe(`it belongs to uid 65534, not to uid ${uid}`);
    expect(() => ensurePrivateDir(planted, uid)).toThrow(/belongs to uid 65534/);
  });

  // Regression: a missing TMPDIR gave a stack trace.
  it('a missing or unwritable place is a clear error, not a crash', () => {
    const file = path.join(temp(), 'not-a-dir');
    writeFileSync(file, '');
    expect(() => ensurePrivateDir(path.join(file, 'gohot'), uid)).toThrow(
      /cannot create its private directory/,
    );
  });

  it('names a project directory stably and safely', () => {
    expect(projectDirName('/home/me/api')).toBe(projectDirName('/home/me/api'));
    expect(projectDirName('/home/me/api')).not.toBe(projectDirName('/other/api'));
    expect(projectDirName('/x/we ird\nname')).toMatch(/^we_ird_name-[0-9a-f]{16}$/);
  });

  // Regression (found in review): only the last component was checked, so with HOME or
  // XDG_RUNTIME_DIR inside another user's directory (`su` without `-`, `sudo -E`) that user
  // could swap root's state directory for theirs after every check and have root run it.
  it('skips a place below a directory another user controls', () => {
    const theirs = temp();
    expect(spawnSync('chown', ['65534:65534', theirs]).status).toBe(0);
    expect(ancestorsProblem(path.join(theirs, 'gohot'), uid)).toBe(
      `${theirs} belongs to uid 65534`,
    );
    const fallback = temp();
    // XDG_RUNTIME_DIR is theirs: skipped; XDG_CACHE_HOME is ours: used.
    expect(openStateDir({ XDG_RUNTIME_DIR: theirs, XDG_CACHE_HOME: fallback }, uid)).toBe(
      path.join(fallback, 'gohot'),
    );
    const writable = temp();
    chmodSync(writable, 0o777);
    expect(ancestorsProblem(path.join(writable, 'gohot'), uid)).toBe(
      `others can write to ${writable} and it has no sticky bit`,
    );
    chmodSync(writable, 0o1777);
    expect(ancestorsProblem(path.join(writable, 'gohot'), uid)).toBeUndefined();
  });
});
