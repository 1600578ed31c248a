import type { HookName } from '../config/types.js';
import { type OutputStream, type RunEnd, runCommand } from '../run/runner.js';

/** How one hook's commands ended. */
export type HookResult =
  | { readonly status: 'ok'; readonly durationMs: number }
  | {
      readonly status: 'failed';
      readonly hook: HookName;
      readonly command: readonly string[];
      readonly end: Exclude<RunEnd, { status: 'cancelled' }>;
      readonly durationMs: number;
    }
  | { readonly status: 'cancelled'; readonly reason: unknown };

/** What running a hook needs. */
export interface RunHookOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** Aborting it kills the running command's process group. */
  readonly signal: AbortSignal;
  /** Each line of output as it arrives. */
  readonly onLine: (line: string, stream: OutputStream) => void;
}

/**
 * Runs a hook's commands in order, each in its own process group with the hook timeout,
 * and stops at the first that fails.
 */
export async function runHook(
  hook: HookName,
  commands: readonly (readonly string[])[],
  options: RunHookOptions,
): Promise<HookResult> {
  const startedAt = performance.now();
  for (const argv of commands) {
    const [command, ...args] = argv;
    const r = await runCommand(
      { command: command!, args, cwd: options.cwd, env: options.env },
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        stop: { kind: 'kill' },
        onLine: options.onLine,
      },
    );
    if (r.status === 'cancelled') return { status: 'cancelled', reason: r.reason };
    if (r.status !== 'exited' || r.code !== 0) {
      const { stdout: _o, stderr: _e, durationMs: _d, ...end } = r;
      return {
        status: 'failed',
        hook,
        command: argv,
        end,
        durationMs: performance.now() - startedAt,
      };
    }
  }
  return { status: 'ok', durationMs: performance.now() - startedAt };
}

/**
 * A signal that aborts only when `signal` aborts for a shutdown: what runs after a
 * successful build (the swap) is not cancelled by a newer change, only by gohot stopping.
 */
export function shutdownOnly(signal: AbortSignal, isShutdown: () => boolean): AbortSignal {
  const controller = new AbortController();
  const onAbort = () => {
    if (isShutdown()) controller.abort(signal.reason);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return controller.signal;
}
