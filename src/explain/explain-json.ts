import { describeChangeReason, describeFileReason } from '../report/describe.js';
import type { Explanation } from './explain.js';
import type { ExplainResult } from './run-explain.js';

/** Version of the `gohot explain --json` document; bumped on any incompatible change. */
export const EXPLAIN_JSON_VERSION = 1;

/**
 * The `--json` document (docs/explain.md): every field always present (`null` when it does
 * not apply), reasons as the same values the terminal words, plus their words in `text`.
 */
export function explainJson(result: ExplainResult) {
  return {
    version: EXPLAIN_JSON_VERSION,
    moduleRoot: result.moduleRoot,
    main: result.mainPackage,
    paths: result.explanations.map(pathJson),
  };
}

function pathJson(e: Explanation) {
  return {
    path: e.path,
    absPath: e.absPath,
    kind: e.kind,
    root: e.root ?? null,
    notWatched: e.notWatched ?? null,
    watch:
      e.verdict === undefined
        ? null
        : {
            tracked: e.verdict.tracked,
            tier: e.verdict.tracked ? (e.verdict.tier ?? 'hot') : null,
            reason: e.verdict.reason,
            text: describeFileReason(e.verdict.reason, e.verdict.tracked),
          },
    package:
      e.package === undefined
        ? null
        : {
            importPath: e.package.importPath,
            dir: e.package.dir,
            role: e.package.role ?? null,
            chain: e.package.chain,
          },
    modelProblem: e.modelProblem ?? null,
    onChange: {
      action: e.onChange.action,
      reason: e.onChange.reason ?? null,
      relist: e.onChange.relist,
      text: e.onChange.reason === undefined ? null : describeChangeReason(e.onChange.reason),
    },
  };
}
