import path from 'node:path';
import { MODULE_FILES } from '../classify/classify.js';
import type { ResolvedConfig } from '../config/types.js';
import { RuleOutputWindow } from './output-window.js';
import { createRuleSet, type RuleSet } from './rule-set.js';

const MODULE_FILE_NAMES: ReadonlySet<string> = new Set([...MODULE_FILES, 'modules.txt']);

/** The rules of the current config, and the output window of the session. */
export interface RulesStage {
  /** The rule set of the config and module root as they are now. */
  readonly set: () => RuleSet;
  readonly window: RuleOutputWindow;
}

/**
 * Creates the rules stage of a session. While rules run, a change passes the output window
 * (and can start a cycle) when it is a rule's input, a config file or a module file
 * (go.mod: the project itself changed); every other change is a rule's output.
 */
export function createRulesStage(
  config: () => ResolvedConfig,
  moduleRoot: () => string,
  configFiles: ReadonlySet<string>,
): RulesStage {
  let cached: { config: ResolvedConfig; root: string; set: RuleSet } | undefined;
  const set = (): RuleSet => {
    const c = config();
    const root = moduleRoot();
    if (cached?.config !== c || cached.root !== root) {
      cached = { config: c, root, set: createRuleSet(c.rules, root) };
    }
    return cached.set;
  };
  const window = new RuleOutputWindow({
    passes: (p) =>
      configFiles.has(p) || MODULE_FILE_NAMES.has(path.basename(p)) || set().isInput(p),
  });
  return { set, window };
}
