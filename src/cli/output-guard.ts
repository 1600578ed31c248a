import { errnoCode } from '../errors.js';

/** Which of gohot's own output streams went away, and how. */
export interface OutputGone {
  readonly stream: 'stdout' | 'stderr';
  /** EPIPE (the reader of a pipe exited), EIO (the terminal closed) ... */
  readonly code: string;
}

/**
 * Watches gohot's stdout and stderr for write errors. Without a listener, an EPIPE (`gohot
 * 2>&1 | head`) or EIO (a closed terminal) is an uncaught error that kills gohot and leaves
 * the app running in its own process group. With it, `isGone()` turns further writes into
 * no-ops and `onGone` runs once, so the caller can stop the app and exit.
 */
export function guardOutput(
  onGone: (gone: OutputGone) => void,
  streams: { readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WriteStream } = process,
): { isGone(): boolean } {
  let gone: OutputGone | undefined;
  const listen = (name: OutputGone['stream'], stream: NodeJS.WriteStream) => {
    stream.on('error', (err: unknown) => {
      if (gone !== undefined) return;
      gone = { stream: name, code: errnoCode(err) ?? String(err) };
      onGone(gone);
    });
  };
  listen('stdout', streams.stdout);
  listen('stderr', streams.stderr);
  return { isGone: () => gone !== undefined };
}
