import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, stat } from 'node:fs/promises';
import { errnoCode, GohotError, isGohotError } from '../errors.js';
import { configDisplayPath } from './display-path.js';

/**
 * The largest config file gohot reads, in bytes (1 MiB). A real gohot.json is a few hundred
 * bytes; the cap keeps a huge or endless file (a link to /dev/zero, a log written to
 * the wrong name) from exhausting memory.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
// O_NOCTTY: opening a terminal device must never make it gohot's controlling terminal.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * Reads a config file (gohot.json, codebuddy.json) as UTF-8 text, or undefined when it does
 * not exist. Only regular files are read (a symbolic link to one is fine): a FIFO, directory,
 * device or socket is refused before anything waits on it, and so is a file larger than
 * `maxBytes`. The path is checked with stat first, so no device is even opened, and the
 * open descriptor is checked again with fstat, so a file swapped in between is caught too.
 *
 * @throws GohotError `CONFIG_NOT_A_FILE`, `CONFIG_TOO_LARGE` or `CONFIG_READ`.
 */
export async function readConfigFile(
  file: string,
  maxBytes: number = MAX_CONFIG_BYTES,
): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    await checkStats(file, await stat(file), maxBytes);
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw asReadError(file, err);
  }
  try {
    const stats = await handle.stat();
    await checkStats(file, stats, maxBytes);
    const bytes = await readAtMost(handle, maxBytes, stats.size);
    if (bytes === undefined) throw tooLarge(file, maxBytes);
    return bytes.toString('utf8');
  } catch (err) {
    throw asReadError(file, err);
  } finally {
    await handle.close();
  }
}

async function checkStats(file: string, stats: Stats, maxBytes: number): Promise<void> {
  if (!stats.isFile()) throw await notRegular(file, stats);
  if (stats.size > maxBytes) throw tooLarge(file, maxBytes);
}

/** The whole content, or undefined when there are more than `maxBytes` bytes (it may grow). */
async function readAtMost(
  handle: FileHandle,
  maxBytes: number,
  sizeHint: number,
): Promise<Buffer | undefined> {
  let buf = Buffer.alloc(Math.min(sizeHint, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buf.length) {
      if (total > maxBytes) return undefined;
      const bigger = Buffer.alloc(Math.min(buf.length * 2, maxBytes + 1));
      buf.copy(bigger);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
    if (bytesRead === 0) return buf.subarray(0, total);
    total += bytesRead;
  }
}

/** "a FIFO (named pipe)", "a directory" ... for a file that is not a regular one. */
export function describeFileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

async function notRegular(file: string, stats: Stats): Promise<GohotError> {
  const kind = describeFileKind(stats);
  const viaLink = await lstat(file).then(
    (l) => l.isSymbolicLink(),
    () => false,
  );
  const what = viaLink ? `a symbolic link to ${kind}` : kind;
  return new GohotError(
    'CONFIG_NOT_A_FILE',
    `${configDisplayPath(file)} is ${what}, not a regular file, so gohot does not read it.`,
    'Replace it with a regular file (a symbolic link to one is fine), or remove it to use the defaults.',
  );
}

function tooLarge(file: string, maxBytes: number): GohotError {
  return new GohotError(
    'CONFIG_TOO_LARGE',
    `${configDisplayPath(file)} is larger than ${formatBytes(maxBytes)}, the most gohot reads from a config file.`,
    'A gohot config needs a few lines; check that this is the right file, then shorten or replace it.',
  );
}

function asReadError(file: string, err: unknown): GohotError {
  if (isGohotError(err)) return err;
  return new GohotError(
    'CONFIG_READ',
    `gohot could not read ${configDisplayPath(file)} (${errnoCode(err) ?? String(err)}).`,
    'Check that the file is a readable regular file, or remove it to use the defaults.',
    { cause: err },
  );
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
