import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { errnoCode } from '../errors.js';
import { messageOnly, parseBuildJson, parseBuildText } from '../go/diagnostics.js';
import { killGroup, waitForGroupExit } from './process-group.js';
import type { BuildResult, BuildSpec } from './types.js';

/**
 * Linker flags for fast dev builds: `-s` drops the symbol table, `-w` drops DWARF.
 * Measured on a small net/http service (Go 1.23, warm cache, FIELD_NOTES §3): an edit
 * rebuilds in a median ~265 ms instead of 340-430 ms (about -33%, nearly all of it link
 * time) and the binary shrinks from 7.5 MB to 5.1 MB. Panics, stack traces and pprof still
 * symbolize (they use the Go pclntab, not DWARF). The trade-off: debuggers (delve, gdb)
 * need DWARF, so a "debuggable build" option must leave these flags out.
 */
export const DEV_LDFLAGS = '-s -w';

/**
 * The go command line for `spec`, without the go binary:
 * `build -o <output> [-buildvcs=false] [-tags a,b] [-ldflags X] [-json] ...flags <pkg>`.
 */
export function buildArgs(spec: BuildSpec): string[] {
  const args = ['build', '-o', spec.output];
  if (!spec.buildvcs) args.push('-buildvcs=false');
  if (spec.tags.length > 0) args.push('-tags', spec.tags.join(','));
  if (spec.ldflags !== '') args.push('-ldflags', spec.ldflags);
  if (spec.json) args.push('-json');
  args.push(...spec.flags, spec.pkg);
  return args;
}

/**
 * Runs one `go build` and returns its outcome as a value. The go command runs in its own
 * process group, so aborting `signal` SIGKILLs go and every compile/link/cgo child at once;
 * the promise then settles only after no live process is left in the group, and returns
 * `cancelled`. An aborted build never returns `ok`, even if go finished first: its binary
 * may be stale. Compile errors come back as `failed` with
 * diagnostics parsed from the output (-json output when `spec.json`); a go binary that
 * cannot be started is `failed` with exit code null and the reason as text.
 */
export async function runBuild(spec: BuildSpec, signal?: AbortSignal): Promise<BuildResult> {
  const startedAt = performance.now();
  const cancelled = (): BuildResult => ({
    status: 'cancelled',
    durationMs: performance.now() - startedAt,
  });
  if (signal?.aborted) return cancelled();
  await mkdir(dirname(spec.output), { recursive: true });
  if (signal?.aborted) return cancelled();

  const child = spawn(spec.goBin, buildArgs(spec), {
    cwd: spec.cwd,
    env: spec.env,
    // Own process group (setsid): the group can be killed as a whole (FIELD_NOTES §4).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new LineCollector();
  output.attach(child.stdout);
  output.attach(child.stderr);

  const onAbort = () => killGroup(child.pid);
  signal?.addEventListener('abort', onAbort, { once: true });
  const end = await new Promise<
    | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
    | { kind: 'error'; error: Error }
  >((resolve) => {
    child.once('error', (error) => resolve({ kind: 'error', error }));
    // 'close' waits for stdout/stderr to close, i.e. for every process holding them.
    child.once('close', (code, sig) => resolve({ kind: 'exit', code, signal: sig }));
  });
  signal?.removeEventListener('abort', onAbort);
  if (signal?.aborted) {
    killGroup(child.pid);
    // go's compile/link children write to pipes of go's own, so the close of our pipes
    // does not mean they are gone: wait for the group itself.
    if (child.pid !== undefined) await waitForGroupExit(child.pid);
    return cancelled();
  }

  const durationMs = performance.now() - startedAt;
  if (end.kind === 'error') {
    const reason = await startFailureReason(spec, end.error);
    return {
      status: 'failed',
      diagnostics: [messageOnly(reason)],
      text: `${reason}\n`,
      exitCode: null,
      durationMs,
    };
  }
  if (end.code === 0) {
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

  let { text } = output;
  const parsed = spec.json
    ? parseBuildJson(text, spec.cwd)
    : { diagnostics: parseBuildText(text, spec.cwd), text };
  text = parsed.text;
  const diagnostics = [...parsed.diagnostics];
  if (end.signal !== null) {
    const message = `go build was killed by ${end.signal}.`;
    text += `${message}\n`;
    diagnostics.push(messageOnly(message));
  }
  return { status: 'failed', diagnostics, text, exitCode: end.code, durationMs };
}

async function startFailureReason(spec: BuildSpec, error: Error): Promise<string> {
  if (errnoCode(error) !== 'ENOENT') return `go build could not start: ${error.message}`;
  // spawn reports a missing cwd as ENOENT too.
  const cwdExists = await stat(spec.cwd).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return cwdExists
    ? `go build could not start: ${spec.goBin} was not found. Install Go (https://go.dev/dl/) or set GOHOT_GO.`
    : `go build could not start: the directory ${spec.cwd} does not exist.`;
}

/**
 * Collects stdout and stderr interleaved line by line in arrival order, so -json events
 * (stdout) and plain fatal errors (stderr) keep their relative order without splitting a
 * line of one stream with a chunk of the other.
 */
class LineCollector {
  readonly #lines: string[] = [];

  attach(stream: NodeJS.ReadableStream): void {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + decoder.write(chunk)).split('\n');
      partial = parts.pop() ?? '';
      this.#lines.push(...parts);
    });
    stream.on('end', () => {
      const rest = partial + decoder.end();
      if (rest !== '') this.#lines.push(rest);
    });
  }

  get text(): string {
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }
}
