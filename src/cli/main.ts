#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isGohotError } from '../errors.js';
import { createTerminalReporter, shouldUseColor } from '../report/terminal.js';
import { type Session, startSession } from '../session/session.js';
import { parseCli, USAGE } from './args.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

function version(): string {
  const pkg = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

function printError(err: unknown): void {
  if (isGohotError(err)) {
    process.stderr.write(`gohot: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  ${err.hint}\n`);
  } else {
    process.stderr.write(
      `gohot: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
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
  const readKeys = process.stdin.isTTY === true;
  const reporter = createTerminalReporter({
    verbose: command.verbose,
    color: command.color ?? shouldUseColor(process.stderr, process.env),
    // Paths print relative to the shell's directory, also with -C, so terminals and editors
    // can open them; config errors do the same.
    cwd: process.cwd(),
    keys: readKeys,
  });

  // Signals are handled from the start: a Ctrl-C while gohot walks a big tree aborts the
  // start-up and still cleans up.
  const startup = new AbortController();
  let session: Session | undefined;
  let keys: ReturnType<typeof createInterface> | undefined;
  let signalled: keyof typeof SIGNAL_EXIT | undefined;
  const stopAndExit = (active: Session, sig: keyof typeof SIGNAL_EXIT) => {
    keys?.close();
    active.stop({ by: 'signal', signal: sig }).then(
      () => process.exit(SIGNAL_EXIT[sig]),
      (err) => {
        printError(err);
        active.forceStop();
        process.exit(SIGNAL_EXIT[sig]);
      },
    );
  };
  const onSignal = (sig: keyof typeof SIGNAL_EXIT) => {
    if (signalled) {
      // Second Ctrl-C: do not wait for the app's grace period.
      session?.forceStop();
      process.exit(SIGNAL_EXIT[signalled]);
    }
    signalled = sig;
    if (session === undefined) startup.abort(new Error(`${sig} received`));
    else stopAndExit(session, sig);
  };
  for (const sig of Object.keys(SIGNAL_EXIT) as Array<keyof typeof SIGNAL_EXIT>) {
    process.on(sig, () => onSignal(sig));
  }

  try {
    session = await startSession({
      cwd,
      overrides: command.overrides,
      reporter,
      signal: startup.signal,
    });
  } catch (err) {
    if (signalled) return SIGNAL_EXIT[signalled];
    throw err;
  }
  if (signalled) {
    stopAndExit(session, signalled);
    return undefined;
  }

  if (readKeys) {
    const active = session;
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
