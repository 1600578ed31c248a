import os from 'node:os';

/**
 * Signals whose default action ends the process, which gohot handles like SIGTERM (stop the
 * app gracefully, clean up, exit 128 + n) so that none of them leaves the app and its port
 * behind. Not here: SIGKILL and SIGSTOP (cannot be caught), SIGSEGV, SIGBUS, SIGFPE and SIGILL
 * (Node cannot run JavaScript safely after a real one), SIGPIPE (Node ignores it; a closed
 * pipe shows up as EPIPE on write, see output-guard.ts), SIGPROF (the profiler's timer: under
 * `node --cpu-prof` it arrives every few milliseconds, and handling it ended gohot at once).
 * Names this platform lacks are skipped.
 */
const FATAL_SIGNALS = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTERM',
  'SIGUSR1',
  'SIGUSR2',
  'SIGALRM',
  'SIGVTALRM',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGPOLL',
  'SIGPWR',
  'SIGSTKFLT',
  'SIGTRAP',
  'SIGSYS',
] as const;

/** The fatal-by-default signals that exist on this platform. */
export function handledSignals(): NodeJS.Signals[] {
  const known = os.constants.signals as Readonly<Record<string, number | undefined>>;
  return FATAL_SIGNALS.filter((s) => known[s] !== undefined);
}

/** The exit code for a stop by `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const n = (os.constants.signals as Readonly<Record<string, number | undefined>>)[signal];
  return 128 + (n ?? 0);
}
