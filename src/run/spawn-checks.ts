import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import { resolve, sep } from 'node:path';
import { errnoCode, GohotError } from '../errors.js';
import { RunErrorCode, type StartSpec } from './types.js';

/**
 * Turns the usual reasons a binary cannot start into clear errors before spawning it, and
 * returns the absolute path to spawn. The app binary is gohot's own build output, so the
 * hints talk about where gohot builds, not about settings the user never wrote.
 */
export function checkSpawnable(spec: StartSpec): string {
  if (!safeStat(spec.cwd)?.isDirectory()) {
    throw new GohotError(
      RunErrorCode.cwdNotFound,
      `The app's working directory ${spec.cwd} does not exist or is not a directory.`,
      'gohot runs the app in the directory gohot was started in; it was removed or renamed. ' +
        'Start gohot again from an existing directory.',
    );
  }
  const path = resolve(spec.cwd, spec.binary);
  const stat = safeStat(path);
  if (stat === undefined) {
    throw new GohotError(
      RunErrorCode.binaryNotFound,
      `The app binary ${path} does not exist.`,
      `It was removed after the build${underTmpdir(path) ? ' (a cleaner of the temporary directory?)' : ''}. ` +
        `Save a file to build it again${tmpdirAdvice(path, 'that nothing cleans')}.`,
    );
  }
  const mode = `mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')}`;
  if (!stat.isFile()) {
    throw new GohotError(
      RunErrorCode.binaryNotExecutable,
      `The app binary ${path} is not a regular file (${stat.isDirectory() ? 'a directory' : mode}).`,
      'Something replaced the build output after the build; save a file to build it again.',
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // go build writes 0755: with execute bits set, access(X_OK) fails for a noexec mount.
    const noexec = (stat.mode & 0o111) !== 0;
    throw new GohotError(
      RunErrorCode.binaryNotExecutable,
      `The app binary ${path} is not executable (${mode}${noexec ? ', on a file system mounted noexec' : ''}).`,
      noexec
        ? `Programs cannot run from that file system${tmpdirAdvice(path, 'on a file system without noexec, e.g. TMPDIR=$HOME/.cache/tmp')}.`
        : `Run \`chmod +x ${path}\`, or check what changed its mode after the build.`,
    );
  }
  // Node retries an exec that fails with ENOEXEC through /bin/sh, which "runs" a binary of
  // another architecture as a shell script: check the header first (Linux: ELF or #!).
  if (process.platform === 'linux' && !hasRunnableHeader(path)) {
    throw new GohotError(
      RunErrorCode.binaryNotExecutable,
      `The app binary ${path} is not a program this machine can run (no ELF header).`,
      'Was it built for another system? Check GOOS/GOARCH in build.env of gohot.json and in your environment.',
    );
  }
  return path;
}

/** The error for a spawn that the system refused after the checks passed. */
export function spawnFailed(spec: StartSpec, cause: unknown): GohotError {
  const code = errnoCode(cause);
  return new GohotError(
    RunErrorCode.spawnFailed,
    `The system refused to start ${spec.binary}${code ? ` (${code})` : ''}.`,
    'Check that the binary is built for this machine, and the process and file limits (`ulimit -u`, `ulimit -n`).',
    { cause },
  );
}

/** gohot builds under os.tmpdir(), which is TMPDIR when set. */
function underTmpdir(path: string): boolean {
  return path.startsWith(os.tmpdir() + sep);
}

/** ": point TMPDIR at a directory <where>" when `path` is under the temp dir, else "". */
function tmpdirAdvice(path: string, where: string): string {
  return underTmpdir(path)
    ? `; gohot builds under ${os.tmpdir()}: point TMPDIR at a directory ${where}`
    : '';
}

function hasRunnableHeader(path: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, 4, 0);
  } catch {
    return true; // unreadable: let spawn report the real error
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return (
    head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString() === '#!'
  );
}

function safeStat(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
