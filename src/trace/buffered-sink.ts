import type { TraceFile } from './trace-file.js';

/** Options of {@link createBufferedSink}. */
export interface BufferedSinkOptions {
  /** Called once when a write fails (ENOSPC, EIO); nothing more is written after it. */
  readonly onError?: (err: unknown) => void;
  /** Pending text is written at the latest after this long. @default 200 */
  readonly flushAfterMs?: number;
  /** Pending text is written as soon as it is this long (UTF-16 units). @default 65536 */
  readonly flushAtLength?: number;
}

/** Text appended now, written to a trace file soon, all of it on `close()`. */
export interface BufferedSink {
  append(text: string): void;
  /** Writes what is pending now. */
  flush(): void;
  /** Writes what is pending and `tail`, then closes the file. Idempotent. */
  close(tail?: string): void;
}

/**
 * Collects trace text in memory and writes it in few large synchronous writes: often enough
 * that a gohot killed hard loses at most the last fraction of a second, seldom enough that a
 * burst of events (a checkout) costs one write, not thousands.
 */
export function createBufferedSink(
  file: TraceFile,
  options: BufferedSinkOptions = {},
): BufferedSink {
  const flushAfterMs = options.flushAfterMs ?? 200;
  const flushAtLength = options.flushAtLength ?? 65_536;
  let pending: string[] = [];
  let length = 0;
  let timer: NodeJS.Timeout | undefined;
  let state: 'open' | 'failed' | 'closed' = 'open';

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (state !== 'open' || pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    length = 0;
    try {
      file.write(text);
    } catch (err) {
      state = 'failed';
      options.onError?.(err);
    }
  };

  return {
    append(text) {
      if (state !== 'open') return;
      pending.push(text);
      length += text.length;
      if (length >= flushAtLength) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, flushAfterMs);
        // A pending flush never keeps gohot alive; close() writes what is left.
        timer.unref();
      }
    },
    flush,
    close(tail = '') {
      if (state === 'closed') return;
      if (tail !== '') pending.push(tail);
      flush();
      state = 'closed';
      try {
        file.close();
      } catch (err) {
        options.onError?.(err);
      }
    },
  };
}
