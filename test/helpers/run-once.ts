import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI } from './gohot-cli.js';

/** What a one-shot gohot command (explain, doctor, version) printed, and how it exited. */
export interface OnceResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI once in `cwd` and waits for it to exit (within `timeoutMs`, else it is
 * killed and the promise rejects with everything it printed). The environment is the test's
 * with NO_COLOR and GOTOOLCHAIN=local, overridden by `env`; a value of undefined removes a
 * variable.
 */
export function runGohotOnce(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 90_000,
): Promise<OnceResult> {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: run \`npm run build\` (npm test does it) first.`);
  }
  const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    proc.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(
          `gohot ${args.join(' ')} did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    proc.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
