#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ControlServer } from '../control/server.js';
import { doctorJson } from '../doctor/doctor-json.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { worstStatus } from '../doctor/types.js';
import { parseDurationMs } from '../duration.js';
import { isGohotError } from '../errors.js';
import { explainJson } from '../explain/explain-json.js';
import { runExplain } from '../explain/run-explain.js';
import { runTestExplain } from '../explain/test-explain.js';
import { runInit } from '../init/run-init.js';
import { serveInspect } from '../inspect/live-state.js';
import { runInspect } from '../inspect/run-inspect.js';
import { escapeControl } from '../report/describe.js';
import { doctorText } from '../report/doctor-text.js';
import { errorInfo, type Reporter, type StopReason } from '../report/events.js';
import { explanationText, testExplanationText } from '../report/explain-text.js';
import { initText } from '../report/init-text.js';
import { inspectOutput, inspectUnavailableText } from '../report/inspect-text.js';
import { createRecentReloads } from '../report/recent-reloads.js';
import { shouldUseColor } from '../report/terminal.js';
import { type Session, startSession } from '../session/session.js';
import { startTestSession, type TestSession } from '../session/test-session.js';
import { parseCli, USAGE } from './args.js';
import { openReporters } from './open-reporters.js';
import { openTestReporters } from './open-test-reporters.js';
import { guardOutput } from './output-guard.js';
import { handledSignals, signalExitCode } from './signals.js';
import { applyTestKey, testKeyAction } from './test-keys.js';
import { capYoungGeneration } from './young-generation.js';

function version(): string {
  const pkg = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

function printError(err: unknown): void {
  if (isGohotError(err)) {
    // Messages quote project content (paths, config values): never raw escape sequences.
    process.stderr.write(`gohot: ${escapeControl(err.message)}\n`);
    if (err.hint) process.stderr.write(`  ${escapeControl(err.hint)}\n`);
  } else {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`gohot: unexpected error: ${escapeControl(text, true)}\n`);
  }
}

async function main(): Promise<number | undefined> {
  const command = parseCli(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`gohot ${version()}\n`);
    return 0;
  }
  const cwd = path.resolve(command.dir ?? process.cwd());
  if (command.kind === 'explain' && command.test) {
    const result = await runTestExplain({
      cwd,
      paths: command.paths,
      overrides: command.overrides,
    });
    process.stdout.write(
      command.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `${result.explanations.map(testExplanationText).join('\n\n')}\n`,
    );
    return 0;
  }
  if (command.kind === 'explain') {
    const result = await runExplain({ cwd, paths: command.paths, overrides: command.overrides });
    process.stdout.write(
      command.json
        ? `${JSON.stringify(explainJson(result), null, 2)}\n`
        : `${result.explanations.map((e) => explanationText(e, cwd)).join('\n\n')}\n`,
    );
    return 0;
  }
  if (command.kind === 'inspect') {
    const doc = await runInspect({ cwd, overrides: command.overrides });
    process.stdout.write(`${inspectOutput(doc, command.format, process.cwd())}\n`);
    return 0;
  }
  if (command.kind === 'doctor') {
    const report = await runDoctor({ cwd, overrides: command.overrides });
    process.stdout.write(
      command.json ? `${JSON.stringify(doctorJson(report), null, 2)}\n` : `${doctorText(report)}\n`,
    );
    // Exit 1 when something blocks reloading; warnings alone do not.
    return worstStatus(report.checks) === 'block' ? 1 : 0;
  }
  if (command.kind === 'init') {
    const result = await runInit({ cwd, ...command });
    const report = `${initText(result, process.cwd()).join('\n')}\n`;
    // With --dry-run, stdout is the file (`gohot init --dry-run > gohot.json`).
    if (command.dryRun) {
      process.stdout.write(result.text);
      process.stderr.write(report);
    } else process.stdout.write(report);
    return 0;
  }
  const readKeys = process.stdin.isTTY === true;

  // Every way gohot can be told to go (a signal, its terminal or pipe closing) runs the same
  // graceful stop; a second one forces. Handled from the start: a Ctrl-C while gohot walks a
  // big tree aborts the start-up and still cleans up.
  const startup = new AbortController();
  let session: Pick<Session, 'stop' | 'forceStop'> | undefined;
  let keys: ReturnType<typeof createInterface> | undefined;
  let ending: { reason: StopReason; code: number } | undefined;
  let control: ControlServer | undefined;
  // Ends the trace file; replaced once the reporters exist.
  let closeOutputs = () => {};
  const exit = () => {
    const { reason, code } = ending!;
    // A signal ends the process without an 'exit' event: the socket goes first.
    control?.removeSync();
    // The hang-up below ends gohot by a signal, without the 'exit' event.
    closeOutputs();
    // After a hang-up, Node itself crashes (SIGSEGV/SIGABRT) on a normal exit with the tty
    // gone: end the way the hang-up would have, by its own signal (the shell sees 129).
    const hungUp =
      (reason.by === 'signal' && reason.signal === 'SIGHUP') ||
      (reason.by === 'output-closed' && reason.code === 'EIO');
    if (hungUp) {
      process.removeAllListeners('SIGHUP');
      process.kill(process.pid, 'SIGHUP');
    }
    process.exit(code);
  };
  const stopAndExit = (active: Pick<Session, 'stop' | 'forceStop'>) => {
    keys?.close();
    active.stop(ending!.reason).then(exit, (err) => {
      if (!output.isGone()) printError(err);
      active.forceStop();
      exit();
    });
  };
  const end = (reason: StopReason, code: number) => {
    // A write failing while gohot stops (the terminal that just hung up) is no second Ctrl-C:
    // the app still gets its grace period.
    if (ending && reason.by === 'output-closed') return;
    if (ending) {
      // A second Ctrl-C (or any second reason): do not wait for the app's grace period.
      session?.forceStop();
      process.exit(ending.code);
    }
    ending = { reason, code };
    if (session === undefined) startup.abort(reason);
    else stopAndExit(session);
  };
  const output = guardOutput((gone) =>
    end({ by: 'output-closed', ...gone }, gone.code === 'EPIPE' ? signalExitCode('SIGPIPE') : 1),
  );
  for (const sig of handledSignals()) {
    process.on(sig, () => end({ by: 'signal', signal: sig }, signalExitCode(sig)));
  }

  const reporterOptions = {
    verbose: command.verbose,
    color: command.color ?? shouldUseColor(process.stderr, process.env),
    // Paths print relative to the shell's directory, also with -C, so terminals and editors
    // can open them; config errors do the same.
    cwd: process.cwd(),
    keys: readKeys,
    write: (line: string) => {
      if (!output.isGone()) process.stderr.write(`${line}\n`);
    },
  };
  // The last reloads, for `gohot inspect` through the control socket.
  const recent = createRecentReloads();

  let testSession: TestSession | undefined;
  let runSession: Session | undefined;
  // Both sessions walk the tree at start-up: on a big one that grows the young generation.
  capYoungGeneration();
  try {
    if (command.kind === 'test') {
      const reporters = openTestReporters(command, {
        version: version(),
        isGone: () => output.isGone(),
        text: reporterOptions,
      });
      closeOutputs = reporters.close;
      process.on('exit', closeOutputs);
      testSession = await startTestSession({
        cwd,
        patterns: command.patterns,
        flags: command.goTestFlags,
        overrides: command.overrides,
        reporter: reporters.reporter,
        signal: startup.signal,
      });
      session = testSession;
    } else {
      const reporters = openReporters(command, {
        version: version(),
        keys: readKeys,
        isGone: () => output.isGone(),
        writeInPlace: process.stderr.isTTY
          ? (text) => {
              if (!output.isGone()) process.stderr.write(text);
            }
          : undefined,
        progressAfterMs: progressAfterMs(process.env),
      });
      // Every way out (a stop, a second Ctrl-C, a start-up error) ends the trace file properly.
      closeOutputs = reporters.close;
      process.on('exit', closeOutputs);
      const reporter: Reporter = {
        report(event) {
          reporters.reporter.report(event);
          recent.report(event);
        },
      };
      runSession = await startSession({
        cwd,
        overrides: command.overrides,
        reporter,
        signal: startup.signal,
        traceBuilds: command.trace !== undefined,
        // stdout carries the event stream: the app's own output goes to stderr (docs/events.md).
        appStdout: command.reporter === 'json' ? 'stderr' : 'inherit',
      });
      session = runSession;
    }
  } catch (err) {
    if (ending) return ending.code;
    throw err;
  }
  if (ending) {
    stopAndExit(session);
    return undefined;
  }
  if (runSession !== undefined) {
    const live = runSession;
    serveInspect(live.project.moduleRoot, {
      topology: () => live.topology(),
      reloads: recent,
    }).then(
      (server) => {
        control = server;
        process.once('exit', () => server.removeSync());
      },
      (err: unknown) => {
        if (!output.isGone())
          process.stderr.write(`gohot: ${inspectUnavailableText(errorInfo(err))}\n`);
      },
    );
  }

  if (readKeys && testSession !== undefined) {
    const active = testSession;
    keys = createInterface({ input: process.stdin });
    keys.on('line', (line) => {
      const action = testKeyAction(line);
      if (action?.kind === 'quit') end({ by: 'request' }, 0);
      else if (action !== undefined) applyTestKey(active, action);
    });
  } else if (readKeys && runSession !== undefined) {
    const active = runSession;
    keys = createInterface({ input: process.stdin });
    keys.on('line', (line) => {
      if (line.trim().toLowerCase() === 'r') active.rebuild();
    });
  }
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err) => {
    printError(err);
    // A start-up that failed half-way may hold a handle (a listening socket, a timer): gohot
    // would then never exit, and its signal handlers only abort a start-up still running.
    process.exit(1);
  },
);

/** GOHOT_PROGRESS_AFTER: how long a build runs before its progress shows (default 2s). */
function progressAfterMs(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.GOHOT_PROGRESS_AFTER;
  return text === undefined || text === ''
    ? undefined
    : parseDurationMs(text, 'GOHOT_PROGRESS_AFTER');
}
