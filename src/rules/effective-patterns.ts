import { envFilePatterns } from '../config/dotenv.js';
import type { ResolvedConfig } from '../config/types.js';
import { patternsWithRuleInputs } from './rule-set.js';

/** The watch patterns with every rule's inputs and the build's env files (a change rebuilds). */
export function watchPatternsOf(config: ResolvedConfig): readonly string[] {
  return [
    ...patternsWithRuleInputs(config.watch.patterns, config.rules),
    ...envFilePatterns(config.build.envFiles),
  ];
}

/** watch.restartOnly with the app's env files: an edit restarts the app without a build. */
export function restartPatternsOf(config: ResolvedConfig): readonly string[] {
  return [...config.watch.restartOnly, ...envFilePatterns(config.run.envFiles)];
}
