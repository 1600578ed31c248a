// The baseline of the watcher's start-up: what a naive recursive watcher does and nothing else.
// A fresh Node process walks the tree and calls fs.watch on every directory (no filtering, no
// snapshot), then says so; the time counts from its launch, as gohot's "watcher ready" does.
import { spawn } from 'node:child_process';
import { inotifyUsage, procStatus } from './proc.mjs';

const WALK = `
const fs = require('node:fs');
const path = require('node:path');
const watchers = [];
const walk = (dir) => {
  watchers.push(fs.watch(dir, () => {}));
  for (const e of fs.readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) walk(path.join(dir, e.name));
};
walk(process.argv[1]);
process.stdout.write('ready ' + watchers.length + ' ' + performance.now() + '\\n');
process.stdin.resume();
`;

/**
 * Runs the bare walk over `dir`: ms from launch until every directory has its watch (stamped on
 * arrival of the child's line), the directories watched, and its memory, descriptors and watches.
 */
export async function bareWatchWalk(dir, timeoutMs = 300_000) {
  const launched = performance.now();
  const child = spawn(process.execPath, ['-e', WALK, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((res) => child.once('exit', res));
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  try {
    const line = await new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`bare fs.watch walk of ${dir} timed out`)),
        timeoutMs,
      );
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) {
          clearTimeout(timer);
          res({ t: performance.now(), text: out.split('\n')[0] });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`bare fs.watch walk exited with ${code}: ${err}`));
      });
    });
    const [, dirs, inProcessMs] = line.text.split(' ');
    return {
      readyMs: line.t - launched,
      inProcessMs: Number(inProcessMs),
      dirs: Number(dirs),
      ...procStatus(child.pid),
      ...inotifyUsage(child.pid),
    };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
