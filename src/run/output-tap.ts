import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { LineSource } from './readiness.js';

/** A line longer than this is matched in pieces: a log line is never held in memory whole. */
const MAX_LINE_CHARS = 64 * 1024;

/** Where forwarded output goes. */
export interface OutputSinks {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * Forwards an app's piped stdout and stderr to `sinks` chunk by chunk, as they arrive (a
 * line is never held back to be matched first), and hands every complete line to the
 * listeners of the returned {@link LineSource}. Once no listener is left, lines are no
 * longer split.
 */
export function tapOutput(
  streams: { readonly stdout: Readable | null; readonly stderr: Readable | null },
  sinks: OutputSinks,
): LineSource {
  const listeners = new Set<(line: string) => void>();
  const attach = (stream: Readable | null, sink: Writable) => {
    if (stream === null) return;
    // A sink that went away (EPIPE) is gohot's problem, reported by its own output guard.
    stream.pipe(sink, { end: false });
    stream.on('error', () => {});
    const decoder = new StringDecoder('utf8');
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      if (listeners.size === 0) {
        partial = '';
        return;
      }
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = lines.pop() ?? '';
      if (partial.length > MAX_LINE_CHARS) {
        lines.push(partial);
        partial = '';
      }
      for (const line of lines) for (const listener of [...listeners]) listener(line);
    });
  };
  attach(streams.stdout, sinks.stdout);
  attach(streams.stderr, sinks.stderr);
  return (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
}
