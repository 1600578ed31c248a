import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Hashes a file's content; rejects with the errno error when it cannot be read. */
export type HashFn = (path: string) => Promise<string>;

/** Size of each read: source files fit in one, big assets do not sit in memory whole. */
export const HASH_CHUNK_BYTES = 64 * 1024;

/**
 * SHA-1 of a file's content as hex. Reads in chunks through one descriptor, so a large
 * embedded asset costs a fixed amount of memory; the descriptor is always closed.
 *
 * The reads are synchronous on purpose: source files are small, and one fs/promises round
 * trip through libuv's thread pool per open/read/close cost ~10x the CPU of the sync calls
 * (bench/poll-sweep.mjs: the initial walk of 10,000 files went from ~2.6 s to a few hundred
 * ms of CPU). Callers that walk big trees yield to the event loop between directories.
 */
export async function hashFile(path: string): Promise<string> {
  return hashFileSync(path);
}

/**
 * {@link hashFile} for synchronous walks; throws the errno error when unreadable. `buffer`:
 * scratch space for the reads, reused by callers that hash many files.
 */
export function hashFileSync(
  path: string,
  buffer: Buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES),
): string {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha1');
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}
