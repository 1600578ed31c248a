// The CPU hog of the latency section "with a CPU hog": one busy-loop process per core, so the
// floor and the tools compete for a machine that something else keeps fully busy (a test run,
// a browser, another build).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { cpuSeconds } from './proc.mjs';

// Spins, and every ~10 ms checks that the bench that started it is still its parent: not even
// a bench killed with SIGKILL leaves a hog spinning.
const HOG =
  'const p = process.ppid; for (;;) { for (let i = 0; i < 1e7; i++); if (process.ppid !== p) process.exit(0); }';

/** Starts one hog per core; stop() kills them and says how much CPU they took. */
export async function startCpuHog(count = os.availableParallelism()) {
  const started = performance.now();
  const procs = [];
  const stop = async () => {
    const cpuS = procs.reduce((sum, p) => sum + (cpuSeconds(p.pid) || 0), 0);
    await Promise.all(
      procs.map((p) => {
        if (p.exitCode !== null || p.signalCode !== null) return undefined;
        const exited = new Promise((res) => p.once('exit', res));
        p.kill('SIGKILL');
        return exited;
      }),
    );
    return { processes: procs.length, wallS: (performance.now() - started) / 1000, cpuS };
  };
  try {
    for (let i = 0; i < count; i++) {
      // Each in its own session: with autogroup scheduling (sched(7), on by default on desktop
      // kernels) a session shares the CPU as one group, so hogs in the bench's session would slow
      // only what runs in that session (the floor's go build of the small project took 1.24-1.31x
      // as long as the same build in a session of its own, measured by hand) and spare the tools,
      // which run in sessions of their own.
      const p = spawn(process.execPath, ['-e', HOG], { stdio: 'ignore', detached: true });
      procs.push(p);
      await new Promise((res, rej) => {
        p.once('spawn', res);
        p.once('error', rej);
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { processes: count, pids: procs.map((p) => p.pid), stop };
}
