#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isGohotError } from '../errors.js';
import { explainJson } from '../explain/explain-json.js';
import { runExplain } from '../explain/run-explain.js';
import { runTestExplain } from '../explain/test-explain.js';
import { escapeControl } from '../report/describe.js';
import type { StopReason } from '../report/events.js';
import { explanationText, testExplanationText } from '../report/explain-text.js';
import { createTerminalReporter, shouldUseColor } from '../report/terminal.js';
import { createTestTextReporter } from '../report/test-text.js';
import { type Session, startSession } from '../session/session.js';
import { startTestSession, type TestSession } from '../session/test-session.js';
import { parseCli, USAGE } from './args.js';
import { guardOutput } from './output-guard.js';
import { handledSignals, signalExitCode } from './signals.js';
import { applyTestKey, testKeyAction } from './test-keys.js';

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
  const readKeys = process.stdin.isTTY === true;

  // Every way gohot can be told to go (a signal, its terminal or pipe closing) runs the same
  // graceful stop; a second one forces. Handled from the start: a Ctrl-C while gohot walks a
  // big tree aborts the start-up and still cleans up.
  const startup = new AbortController();
  let session: Pick<Session, 'stop' | 'forceStop'> | undefined;
  let keys: ReturnType<typeof createInterface> | undefined;
  let ending: { reason: StopReason; code: number } | undefined;
  const exit = () => {
    const { reason, code } = ending!;
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

  let testSession: TestSession | undefined;
  let runSession: Session | undefined;
  try {
    if (command.kind === 'test') {
      testSession = await startTestSession({
        cwd,
        patterns: command.patterns,
        flags: command.goTestFlags,
        overrides: command.overrides,
        reporter: createTestTextReporter(reporterOptions),
        signal: startup.signal,
      });
      session = testSession;
    } else {
      runSession = await startSession({
        cwd,
        overrides: command.overrides,
        reporter: createTerminalReporter(reporterOptions),
        signal: startup.signal,
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
    process.exitCode = 1;
  },
);
