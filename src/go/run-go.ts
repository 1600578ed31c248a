import { errnoCode, GohotError } from '../errors.js';
import { runCommand } from '../run/runner.js';

/** Where and how to run one short `go` subcommand. */
export interface RunGoOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it SIGKILLs the go command's process group; runGo then rejects with GO_CANCELLED. */
  readonly signal?: AbortSignal | undefined;
}

/** The complete outcome of a short `go` subcommand. */
export interface RunGoResult {
  /** Exit code, or null when the process died from a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** The `go` executable to use: `GOHOT_GO` from `env`, else `go` on PATH. */
export function defaultGoBin(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.GOHOT_GO;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : 'go';
}

/**
 * Runs a short, non-interactive go subcommand (go env, go list, go mod edit) to completion
 * and collects its output. A non-zero exit is a value; a go that cannot be started throws
 * (`GO_NOT_FOUND` / `GO_NOT_RUNNABLE`), and so does an abort (`GO_CANCELLED`, with
 * `signal.reason` as its cause), after the go command and its children are gone.
 */
export async function runGo(
  goBin: string,
  args: readonly string[],
  opts: RunGoOptions,
): Promise<RunGoResult> {
  const r = await runCommand(
    { command: goBin, args, cwd: opts.cwd, env: opts.env },
    { signal: opts.signal, stop: { kind: 'kill' } },
  );
  switch (r.status) {
    case 'not-started':
      throw goSpawnError(goBin, r.error);
    case 'cancelled':
    // runGo sets no timeout; a timed-out run would be one too.
    case 'timed-out':
      throw new GohotError(
        'GO_CANCELLED',
        `\`go ${args.slice(0, 2).join(' ')}\` was cancelled before it finished.`,
        undefined,
        { cause: r.status === 'cancelled' ? r.reason : undefined },
      );
    default:
      return {
        code: r.status === 'exited' ? r.code : null,
        stdout: r.stdout,
        stderr: r.stderr,
        durationMs: r.durationMs,
      };
  }
}

/** Turns a failure to start `go` into a GohotError that says how to get one. */
export function goSpawnError(goBin: string, cause: unknown): GohotError {
  const errno = errnoCode(cause);
  if (errno === 'ENOENT') {
    return new GohotError(
      'GO_NOT_FOUND',
      goBin === 'go'
        ? 'The Go toolchain was not found: there is no `go` executable on PATH.'
        : `The Go toolchain was not found: ${goBin} does not exist.`,
      'Install Go 1.21 or newer from https://go.dev/dl/ and make sure `go version` works in this ' +
        'shell, or point GOHOT_GO at the go binary (e.g. GOHOT_GO=/usr/local/go/bin/go).',
      { cause },
    );
  }
  return new GohotError(
    'GO_NOT_RUNNABLE',
    `The Go toolchain at ${goBin} could not be started (${errno ?? String(cause)}).`,
    'Check that the file is an executable go binary (`ls -l` it and run `go version`), or point ' +
      'GOHOT_GO at a working go binary.',
    { cause },
  );
}
