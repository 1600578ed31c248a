import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  writeSync,
} from 'node:fs';
import { errnoCode, GohotError } from '../errors.js';

/** A file gohot writes a trace to, opened safely; writes are synchronous. */
export interface TraceFile {
  readonly path: string;
  write(text: string): void;
  /** Flushes to disk and closes. Idempotent. */
  close(): void;
}

/**
 * Opens `file` for a trace, safely in a directory others can write to (a shared /tmp), as gohot
 * often runs as root: a symlink at the name is refused (O_NOFOLLOW), a FIFO does not block the
 * open (O_NONBLOCK), and an existing file is used only when it is a regular file of this user
 * with one link. The file is truncated only after those checks (not with O_TRUNC at open: that
 * would truncate a hard link to someone else's file before it could be checked), and its mode
 * is 0600: a trace names the project's files.
 */
export function openTraceFile(file: string, uid: number = process.geteuid?.() ?? 0): TraceFile {
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let fd: number;
  try {
    fd = openSync(file, flags, 0o600);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ELOOP') throw unsafe(file, 'it is a symbolic link');
    if (code === 'ENXIO') throw unsafe(file, 'it is a FIFO');
    throw new GohotError(
      'TRACE_FILE_UNUSABLE',
      `gohot cannot create the trace file ${file} (${code ?? String(err)}).`,
      'Name a file in a directory that exists and that you can write to.',
      { cause: err },
    );
  }
  const st = fstatSync(fd);
  const problem = !st.isFile()
    ? 'it is not a regular file'
    : st.uid !== uid
      ? `it belongs to uid ${st.uid}, not to uid ${uid}`
      : st.nlink !== 1
        ? `it has ${st.nlink} hard links`
        : undefined;
  if (problem !== undefined) {
    closeSync(fd);
    throw unsafe(file, problem);
  }
  ftruncateSync(fd, 0);
  fchmodSync(fd, 0o600);
  let open = true;
  return {
    path: file,
    write(text) {
      if (!open) return;
      const buf = Buffer.from(text, 'utf8');
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    },
    close() {
      if (!open) return;
      open = false;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

function unsafe(file: string, problem: string): GohotError {
  return new GohotError(
    'TRACE_FILE_UNSAFE',
    `gohot will not write its trace to ${file}: ${problem}.`,
    'Name a new file, or remove this one first if it is yours; in a shared directory such as /tmp, prefer a directory of your own.',
  );
}
