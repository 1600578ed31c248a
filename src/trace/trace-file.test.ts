import { execFileSync } from 'node:child_process';
import {
  linkSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import { openTraceFile } from './trace-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gohot-trace-file-'));
  dirs.push(d);
  return d;
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return isGohotError(err) ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('openTraceFile', () => {
  it('creates the file with mode 0600 and truncates an old trace of this user', () => {
    const file = path.join(tempDir(), 'trace.json');
    writeFileSync(file, 'an older, longer trace', { mode: 0o644 });
    const t = openTraceFile(file);
    t.write('{"a":1}\n');
    t.close();
    t.close();
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a symlink at the name and leaves its target alone', () => {
    const dir = tempDir();
    const target = path.join(dir, 'precious');
    writeFileSync(target, 'keep me');
    symlinkSync(target, path.join(dir, 'trace.json'));
    expect(codeOf(() => openTraceFile(path.join(dir, 'trace.json')))).toMatch(
      /^TRACE_FILE_UNSAFE: .*symbolic link/,
    );
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });

  it('refuses a hard link (of another file) without truncating it first', () => {
    const dir = tempDir();
    const target = path.join(dir, 'precious');
    writeFileSync(target, 'keep me');
    linkSync(target, path.join(dir, 'trace.json'));
    expect(codeOf(() => openTraceFile(path.join(dir, 'trace.json')))).toMatch(
      /^TRACE_FILE_UNSAFE: .*2 hard links/,
    );
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });

  it('refuses a FIFO without blocking, and a file of another user', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(codeOf(() => openTraceFile(fifo))).toMatch(/^TRACE_FILE_UNSAFE: .*FIFO/);
    const theirs = path.join(dir, 'theirs.json');
    writeFileSync(theirs, 'theirs');
    const uid = (process.geteuid?.() ?? 0) + 1;
    expect(codeOf(() => openTraceFile(theirs, uid))).toMatch(
      /^TRACE_FILE_UNSAFE: .*belongs to uid/,
    );
    expect(readFileSync(theirs, 'utf8')).toBe('theirs');
  });

  it('a missing directory is TRACE_FILE_UNUSABLE', () => {
    const file = path.join(tempDir(), 'no', 'such', 'trace.json');
    expect(codeOf(() => openTraceFile(file))).toMatch(/^TRACE_FILE_UNUSABLE: .*ENOENT/);
  });
});
