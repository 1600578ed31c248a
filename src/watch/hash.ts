import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Hashes a file's content; rejects with the errno error when it cannot be read. */
export type HashFn = (path: string) => Promise<string>;

/** Size of each read: source files fit in one, big assets do not sit in memory whole. */
const CHUNK_BYTES = 64 * 1024;

/**
 * SHA-1 of a file's content as hex. Reads in chunks through one file handle, so a large
 * embedded asset costs a fixed amount of memory; the handle is always closed.
 */
export async function hashFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha1');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
