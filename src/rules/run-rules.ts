import type { ResolvedRule } from '../config/types.js';
import { type RunEnd, runCommand } from '../run/runner.js';
import { ruleCwd } from './rule-set.js';

/** How the rules of one cycle ended. */
export type RulesResult =
  | {
      readonly status: 'ok';
      readonly ran: readonly { readonly name: string; readonly durationMs: number }[];
      readonly durationMs: number;
    }
  | {
      readonly status: 'failed';
      readonly rule: string;
      /** How the command ended: a non-zero exit, a signal, the timeout, or not started. */
      readonly end: Exclude<RunEnd, { status: 'cancelled' }>;
      /** Its stdout and stderr, interleaved as they arrived. */
      readonly text: string;
      readonly durationMs: number;
    }
  | { readonly status: 'cancelled'; readonly rule: string; readonly reason: unknown };

/** What running the rules needs. */
export interface RunRulesOptions {
  readonly moduleRoot: string;
  /** The environment every rule starts from (gohot's own). */
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it kills the running rule's process group at once. */
  readonly signal: AbortSignal;
  /** Called as each rule starts. */
  readonly onStart?: (rule: ResolvedRule) => void;
}

/**
 * Runs `rules` one after another, each in its own process group with its timeout, and stops
 * at the first that fails. An abort SIGKILLs the running rule's group and settles once the
 * group is empty.
 */
export async function runRules(
  rules: readonly ResolvedRule[],
  options: RunRulesOptions,
): Promise<RulesResult> {
  const startedAt = performance.now();
  const ran: { name: string; durationMs: number }[] = [];
  for (const rule of rules) {
    if (options.signal.aborted) {
      return { status: 'cancelled', rule: rule.name, reason: options.signal.reason };
    }
    options.onStart?.(rule);
    const lines: string[] = [];
    const [command, ...args] = rule.run;
    const r = await runCommand(
      {
        command: command!,
        args,
        cwd: ruleCwd(rule, options.moduleRoot),
        env: { ...options.env, ...rule.env },
      },
      {
        signal: options.signal,
        timeoutMs: rule.timeoutMs,
        stop: { kind: 'kill' },
        onLine: (line) => lines.push(line),
      },
    );
    if (r.status === 'cancelled') return { status: 'cancelled', rule: rule.name, reason: r.reason };
    if (r.status !== 'exited' || r.code !== 0) {
      const text =
        r.status === 'not-started'
          ? `${r.error instanceof Error ? r.error.message : String(r.error)}\n`
          : lines.map((l) => `${l}\n`).join('');
      const { stdout: _o, stderr: _e, durationMs: _d, ...end } = r;
      return {
        status: 'failed',
        rule: rule.name,
        end,
        text,
        durationMs: performance.now() - startedAt,
      };
    }
    ran.push({ name: rule.name, durationMs: r.durationMs });
  }
  return { status: 'ok', ran, durationMs: performance.now() - startedAt };
}
