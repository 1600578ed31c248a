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
    // One buffer per file, sized by its stat (a source file fits in one read): a fresh 64 KiB
    // buffer per read kept ~32 MB of external memory alive after the model's 505 files were
    // seeded (bench/footprint.mjs), until a GC freed them.
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(st.size + 1, 1024)));
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      // A copy: the buffer is read into again.
      if (keep) chunks.push(Buffer.from(chunk));
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
