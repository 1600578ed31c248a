import path from 'node:path';
import { createPatternMatcher, type PatternMatcher } from '../config/patterns.js';
import type { ResolvedRule } from '../config/types.js';

/** The rules of a config, matched against changed files. */
export interface RuleSet {
  /** The rules a batch runs, in config order: every rule when `all`, else those whose `on` matches. */
  select(files: readonly string[], all: boolean): readonly ResolvedRule[];
  /** True when some rule's `on` patterns match the file: a generator input, a user edit. */
  isInput(absPath: string): boolean;
}

/** Matches each rule's `on` patterns relative to the module root (watch.patterns semantics). */
export function createRuleSet(rules: readonly ResolvedRule[], moduleRoot: string): RuleSet {
  const matched: { rule: ResolvedRule; matcher: PatternMatcher }[] = rules.map((rule) => ({
    rule,
    matcher: createPatternMatcher(rule.on, moduleRoot),
  }));
  return {
    select(files, all) {
      if (all) return rules;
      return matched
        .filter(({ matcher }) => files.some((f) => matcher.isIncluded(f)))
        .map((m) => m.rule);
    },
    isInput(absPath) {
      return matched.some(({ matcher }) => matcher.isIncluded(absPath));
    },
  };
}

/**
 * The watch patterns with the rules' inputs: each rule's includes are added to
 * `watch.patterns`, so a `**\/*.templ` file is watched (and hashed) without being listed
 * twice. A rule's own excludes only narrow which changes run that rule.
 */
export function patternsWithRuleInputs(
  patterns: readonly string[],
  rules: readonly ResolvedRule[],
): readonly string[] {
  const extra = rules.flatMap((r) => r.on.filter((p) => !p.startsWith('!')));
  const out = [...patterns];
  for (const p of extra) if (!out.includes(p)) out.push(p);
  return out;
}

/** A rule's working directory: its `cwd` relative to the module root. */
export function ruleCwd(rule: ResolvedRule, moduleRoot: string): string {
  return path.resolve(moduleRoot, rule.cwd);
}
