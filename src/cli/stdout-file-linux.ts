import { fstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * The regular file gohot's stdout is redirected to (`gohot --reporter json > events.ndjson`),
 * read from /proc/self/fd/1; undefined for a terminal, a pipe, or where /proc is missing.
 * A stream written into a watched tree would otherwise report its own writes, forever.
 */
export function stdoutFile(): string | undefined {
  try {
    if (!fstatSync(1).isFile()) return undefined;
    const target = readlinkSync('/proc/self/fd/1');
    return path.isAbsolute(target) ? target : undefined;
  } catch {
    return undefined;
  }
}
