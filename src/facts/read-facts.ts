import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { FileFacts } from '../classify/content-delta.js';
import { errnoCode } from '../errors.js';
import { goFileFacts } from '../go/file-facts.js';

/** Go files larger than this are compared by hash only (generated tables, not hand edits). */
export const MAX_SCANNED_BYTES = 4 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads one file's facts: the SHA-1 of its bytes (the same hash the watcher's snapshot
 * keeps, so the two compare) and, for a .go file, its Go tokens. Undefined when the file
 * does not exist. Never blocks on a FIFO or device (O_NONBLOCK, regular files only); an
 * unreadable file gets a hash naming its errno, so it differs from any readable content.
 */
export function readFacts(absPath: string): FileFacts | undefined {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { hash: `!${code ?? 'unreadable'}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const hash = createHash('sha1');
    const keep = absPath.endsWith('.go') && st.size <= MAX_SCANNED_BYTES;
    const chunks: Buffer[] = [];
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      if (keep) chunks.push(chunk);
    }
    const digest = hash.digest('hex');
    if (!keep) return { hash: digest };
    return { hash: digest, go: goFileFacts(Buffer.concat(chunks).toString('utf8')) };
  } catch (err) {
    return { hash: `!${errnoCode(err) ?? 'unreadable'}` };
  } finally {
    closeSync(fd);
  }
}
