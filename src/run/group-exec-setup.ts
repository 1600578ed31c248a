import { prepareGroupExec } from './group-exec-linux.js';
import { useGroupExec } from './process-group.js';
import { runCommand } from './runner.js';

/**
 * Makes process groups start in gohot's own session once the setpgid helper is there
 * (group-exec-linux.ts): built in the background with `goBin` the first time `stateDir`
 * lacks it. Until then, and where it cannot be built, groups are sessions of their own.
 * Aborting `signal` (gohot stops) kills a build of the helper still running.
 */
export function startGroupExec(stateDir: string, goBin: string, signal: AbortSignal): void {
  void prepareGroupExec(stateDir, {
    goBin,
    run: async (args, cwd, env) => {
      const r = await runCommand(
        { command: goBin, args, cwd, env },
        { signal, timeoutMs: 120_000 },
      );
      return r.status === 'exited' && r.code === 0;
    },
  }).then((helper) => {
    if (!signal.aborted) useGroupExec(helper);
  });
}
