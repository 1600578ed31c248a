import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode } from '../errors.js';
import { messageOnly, parseBuildJson, parseBuildText } from '../go/diagnostics.js';
import { runCommand } from '../run/runner.js';
import { parseProgressLine } from './build-progress.js';
import type { BuildResult, BuildSpec } from './types.js';

/**
 * Linker flags for fast dev builds: `-s` drops the symbol table, `-w` drops DWARF.
 * Measured on a small net/http service (docs/facts.md#dwarf-and-link-time): an edit
 * rebuilds in a median ~265 ms instead of 340-430 ms (about -33%, nearly all of it link
 * time) and the binary shrinks from 7.5 MB to 5.1 MB. Panics, stack traces and pprof still
 * symbolize (they use the Go pclntab, not DWARF). The trade-off: debuggers (delve, gdb)
 * need DWARF, so a "debuggable build" option must leave these flags out.
 */
export const DEV_LDFLAGS = '-s -w';

/**
 * The go command line for `spec`, without the go binary:
 * `build -o <output> [-buildvcs=false] [-tags a,b] [-ldflags X] [-json] [-debug-trace=F] ...flags <pkg>`.
 */
export function buildArgs(spec: BuildSpec): string[] {
  const args = ['build', '-o', spec.output];
  if (!spec.buildvcs) args.push('-buildvcs=false');
  if (spec.tags.length > 0) args.push('-tags', spec.tags.join(','));
  if (spec.ldflags !== '') args.push('-ldflags', spec.ldflags);
  if (spec.json) args.push('-json');
  if (spec.debugTrace !== undefined) args.push(`-debug-trace=${spec.debugTrace}`);
  if (spec.progress === true) args.push('-v');
  args.push(...spec.flags, spec.pkg);
  return args;
}

/**
 * Runs one `go build` and returns its outcome as a value. The go command runs in its own
 * process group, so aborting `signal` SIGKILLs go and every compile/link/cgo child at once;
 * the promise then settles only after no live process is left in the group, and returns
 * `cancelled` with `signal.reason`. An aborted build never returns `ok`, even if go
 * finished first: its binary may be stale. Compile errors come back as `failed` with
 * diagnostics parsed from the output (-json output when `spec.json`); a go binary that
 * cannot be started is `failed` with exit code null and the reason as text.
 */
export async function runBuild(
  spec: BuildSpec,
  signal?: AbortSignal,
  /** With `spec.progress`: called with the import path of each package go compiled. */
  onPackage?: (importPath: string) => void,
): Promise<BuildResult> {
  const startedAt = performance.now();
  const cancelled = (reason: unknown): BuildResult => ({
    status: 'cancelled',
    reason,
    durationMs: performance.now() - startedAt,
  });
  if (signal?.aborted) return cancelled(signal.reason);
  await mkdir(dirname(spec.output), { recursive: true });
  if (signal?.aborted) return cancelled(signal.reason);

  // stdout (-json events) and stderr (plain fatal errors) interleaved line by line in
  // arrival order, as go would print them.
  // The package names of -v are progress, not output: they never reach diagnostics.
  const lines: string[] = [];
  const onLine = (line: string) => {
    const pkg = spec.progress === true ? parseProgressLine(line, spec.json) : undefined;
    if (pkg === undefined) lines.push(line);
    else onPackage?.(pkg);
  };
  const r = await runCommand(
    { command: spec.goBin, args: buildArgs(spec), cwd: spec.cwd, env: spec.env },
    { signal, stop: { kind: 'kill' }, onLine },
  );
  if (r.status === 'cancelled') return cancelled(r.reason);
  if (signal?.aborted) return cancelled(signal.reason);

  const durationMs = performance.now() - startedAt;
  if (r.status === 'not-started') {
    const reason = await startFailureReason(spec, r.error);
    return {
      status: 'failed',
      diagnostics: [messageOnly(reason)],
      text: `${reason}\n`,
      exitCode: null,
      durationMs,
    };
  }
  if (r.status === 'exited' && r.code === 0) {
    // `go build -o f` of a package that is not main succeeds and writes a library archive
    // (mode 0644): not a program, and starting it would stop the running app for nothing.
    const mode = await stat(spec.output).then(
      (s) => s.mode,
      () => 0,
    );
    if ((mode & 0o111) !== 0) return { status: 'ok', output: spec.output, durationMs };
    const message = `${spec.pkg} is not package main: go build produced no program to run`;
    return {
      status: 'failed',
      diagnostics: [messageOnly(message)],
      text: `${message}\n`,
      exitCode: 0,
      durationMs,
    };
  }

  const output = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  const parsed = spec.json
    ? parseBuildJson(output, spec.cwd)
    : { diagnostics: parseBuildText(output, spec.cwd), text: output };
  let { text } = parsed;
  const diagnostics = [...parsed.diagnostics];
  const end =
    r.status === 'killed'
      ? `go build was killed by ${r.signal}.`
      : r.status === 'timed-out'
        ? `go build did not finish within ${r.timeoutMs} ms.`
        : undefined;
  if (end !== undefined) {
    text += `${end}\n`;
    diagnostics.push(messageOnly(end));
  }
  return {
    status: 'failed',
    diagnostics,
    text,
    exitCode: r.status === 'exited' ? r.code : null,
    durationMs,
  };
}

async function startFailureReason(spec: BuildSpec, error: unknown): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  if (errnoCode(error) !== 'ENOENT') return `go build could not start: ${message}`;
  // spawn reports a missing cwd as ENOENT too.
  const cwdExists = await stat(spec.cwd).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return cwdExists
    ? `go build could not start: ${spec.goBin} was not found. Install Go (https://go.dev/dl/) or set GOHOT_GO.`
    : `go build could not start: the directory ${spec.cwd} does not exist.`;
}
