import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  type StopPolicy,
  spawnGroupLeader,
  terminateGroup,
  waitForGroupEmpty,
} from './process-group.js';
import type { Command, LeaderExit } from './types.js';

/** Which pipe a line of output came from. */
export type OutputStream = 'stdout' | 'stderr';

/** Options of {@link runCommand}. */
export interface RunOptions {
  /** Aborting it ends the command's process group; the result is `cancelled` with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Ends the process group after this long; the result is `timed-out`. @default no limit */
  readonly timeoutMs?: number;
  /** How the group is ended on abort or timeout. @default SIGKILL at once */
  readonly stop?: StopPolicy;
  /**
   * Called with each line of output as it arrives (without the newline; a last line without
   * one comes at the end), stdout and stderr in arrival order.
   */
  readonly onLine?: (line: string, stream: OutputStream) => void;
}

/** How a command ended. */
export type RunEnd =
  | { readonly status: 'exited'; readonly code: number }
  /** Ended by a signal gohot did not send (an OOM kill, a crash). */
  | { readonly status: 'killed'; readonly signal: NodeJS.Signals }
  /** `signal` aborted; `reason` is its `signal.reason`. */
  | { readonly status: 'cancelled'; readonly reason: unknown }
  | { readonly status: 'timed-out'; readonly timeoutMs: number }
  /** The command could not be started; `error` is the system error (ENOENT, EACCES ...). */
  | { readonly status: 'not-started'; readonly error: unknown };

/** The outcome of {@link runCommand}: how it ended, its output, and how long it took. */
export type RunResult = RunEnd & {
  readonly stdout: string;
  readonly stderr: string;
  /** From start to the moment the group was empty (performance.now()). */
  readonly durationMs: number;
};

const KILL_AT_ONCE: StopPolicy = { kind: 'kill' };
/** Event-loop turns spent reading output already in the pipes once the group is empty. */
const DRAIN_TURNS = 8;

/**
 * Runs `cmd` to completion in its own process group and collects its output. Completion
 * means the command exited and no live process is left in its group; a process that left
 * the group and still holds the inherited stdout (a daemonized helper) does not delay it.
 * Once complete, the pipes are read for what is already in them and closed. On abort or
 * timeout the whole group is ended by `options.stop` and the promise resolves only once it
 * is empty; it rejects (RUN_UNKILLABLE) only when the group survives SIGKILL.
 */
export async function runCommand(cmd: Command, options: RunOptions = {}): Promise<RunResult> {
  const startedAt = performance.now();
  const { signal } = options;
  const finish = (end: RunEnd, output?: OutputCollector): RunResult => ({
    ...end,
    stdout: output?.stdout ?? '',
    stderr: output?.stderr ?? '',
    durationMs: performance.now() - startedAt,
  });
  if (signal?.aborted) return finish({ status: 'cancelled', reason: signal.reason });

  const spawned = spawnGroupLeader(cmd, ['ignore', 'pipe', 'pipe']);
  if (spawned.status === 'failed') {
    return finish({ status: 'not-started', error: await spawned.error });
  }
  const { leader } = spawned;
  const output = new OutputCollector(leader.child, options.onLine);

  // The first reason to end the group wins: a timeout after an abort stays a cancel.
  let stopping: { readonly end: RunEnd; readonly done: Promise<unknown> } | undefined;
  let complete = false;
  const interrupt = new AbortController();
  const stopGroup = (end: RunEnd) => {
    if (stopping !== undefined || complete) return;
    stopping = { end, done: terminateGroup(leader, options.stop ?? KILL_AT_ONCE) };
    interrupt.abort();
  };
  const onAbort = () => stopGroup({ status: 'cancelled', reason: signal?.reason });
  signal?.addEventListener('abort', onAbort, { once: true });
  const { timeoutMs } = options;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => stopGroup({ status: 'timed-out', timeoutMs }), timeoutMs);
  const interrupted = new Promise<undefined>((resolve) =>
    interrupt.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
  );

  try {
    const exit = await Promise.race([leader.exited, interrupted]);
    // Helpers the command left in its group still count (go's compile and link children
    // write to go's pipes, not ours): wait for the group, not for our pipes to close.
    if (exit !== undefined) await waitForGroupEmpty(leader.pid, { signal: interrupt.signal });
    if (stopping !== undefined) await stopping.done;
    complete = true;
    const end = stopping?.end ?? endOf(exit!);
    await output.drain();
    output.close();
    return finish(end, output);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    interrupt.abort();
    output.close();
  }
}

function endOf(exit: LeaderExit): RunEnd {
  return exit.signal !== null
    ? { status: 'killed', signal: exit.signal }
    : { status: 'exited', code: exit.code ?? 0 };
}

/** Resolves after at least one poll phase of the event loop, where pending pipe reads land. */
function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Collects both pipes as text and, when asked, hands out lines in arrival order. */
class OutputCollector {
  readonly #text: Record<OutputStream, string> = { stdout: '', stderr: '' };
  readonly #streams: Readable[] = [];
  readonly #flushes: Array<() => void> = [];
  #bytes = 0;
  #open = 0;

  constructor(child: ChildProcess, onLine: RunOptions['onLine']) {
    if (child.stdout) this.#attach('stdout', child.stdout, onLine);
    if (child.stderr) this.#attach('stderr', child.stderr, onLine);
  }

  get stdout(): string {
    return this.#text.stdout;
  }

  get stderr(): string {
    return this.#text.stderr;
  }

  /**
   * Reads what is already in the pipes. Every writer in the group is gone, so that is all
   * the command wrote; a writer outside the group may keep the pipes open forever.
   */
  async drain(): Promise<void> {
    for (let turn = 0; turn < DRAIN_TURNS && this.#open > 0; turn++) {
      const before = this.#bytes;
      await ioTurn();
      if (this.#bytes === before) return;
    }
  }

  /** Flushes partial lines, stops reading and closes both pipes. Idempotent. */
  close(): void {
    for (const flush of this.#flushes) flush();
    for (const stream of this.#streams) {
      stream.removeAllListeners('data');
      stream.destroy();
    }
  }

  #attach(name: OutputStream, stream: Readable, onLine: RunOptions['onLine']): void {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    let flushed = false;
    this.#open++;
    this.#streams.push(stream);
    stream.on('data', (chunk: Buffer) => {
      this.#bytes += chunk.length;
      const text = decoder.write(chunk);
      this.#text[name] += text;
      if (onLine === undefined) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line, name);
    });
    const flush = () => {
      if (flushed) return;
      flushed = true;
      this.#open--;
      const rest = decoder.end();
      this.#text[name] += rest;
      if (onLine !== undefined && partial + rest !== '') onLine(partial + rest, name);
    };
    stream.once('end', flush);
    // A read error ends the output of that pipe; it must not crash gohot.
    stream.on('error', () => {});
    this.#flushes.push(flush);
  }
}
