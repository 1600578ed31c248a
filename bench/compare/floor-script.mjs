// The floor of the latency section as a program of its own: `go build -o x && kill old &&
// start x`, run by bench/compare.mjs in a session of its own, as every tool is run. The bench
// writes "build" on stdin after each save; this answers "built" once go build exited 0 and
// "started" once the new app was spawned (the bench stamps both on arrival, as it stamps the
// tools' lines), or "failed <code>" when go build failed. End of stdin stops the app and exits.
//
//   node floor-script.mjs <go> <dir> <binary> [<ldflags>]    (ADDR etc. from the environment)
//
// Why a program and not go build spawned by the bench: with autogroup scheduling (sched(7), on
// by default here) a session shares the CPU as one group, and go build started from the bench's
// own session (where the bench's client polls the app every 2 ms) took 0.22-0.58 s less than
// the same build from another session while a CPU hog ran, and no less without one (measured
// side by side, small project, paired): the floor must not get CPU that no tool can get.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [go, dir, bin, ldflags] = process.argv.slice(2);
const args = ['build', '-o', bin];
if (ldflags) args.push(`-ldflags=${ldflags}`);
args.push('.');

let app;
const startApp = () => {
  app = spawn(bin, [], { cwd: dir, stdio: 'ignore' });
  app.on('error', () => {});
};
const stopApp = async (signal) => {
  if (!app || app.exitCode !== null || app.signalCode !== null) return;
  const exited = new Promise((res) => app.once('exit', res));
  app.kill(signal);
  await exited;
};
const build = () =>
  new Promise((res) => {
    const b = spawn(go, args, { cwd: dir, stdio: 'ignore' });
    b.once('error', () => res(-1));
    b.once('exit', (code) => res(code ?? -1));
  });

const queue = [];
let busy = false;
async function run(cmd) {
  if (cmd !== 'build') return;
  const code = await build();
  if (code !== 0) {
    process.stdout.write(`failed ${code}\n`);
    return;
  }
  process.stdout.write('built\n');
  await stopApp('SIGTERM');
  startApp();
  process.stdout.write('started\n');
}
async function drain() {
  if (busy) return;
  busy = true;
  while (queue.length) await run(queue.shift());
  busy = false;
}
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  queue.push(line.trim());
  drain();
});
rl.on('close', async () => {
  while (busy || queue.length) await new Promise((r) => setTimeout(r, 10));
  await stopApp('SIGKILL');
  process.exit(0);
});
