import type { FileRoleKind } from '../classify/classify.js';
import type { Explanation } from '../explain/explain.js';
import type { TestExplanation } from '../explain/test-explain.js';
import {
  describeBackend,
  describeChangeAction,
  describeChangeReason,
  describeDirSkip,
  describeFileReason,
  displayPath,
  escapeControl,
} from './describe.js';
import { describeRunReason } from './test-text.js';

const ROLE_WORDS: Readonly<Record<FileRoleKind, string>> = {
  go: 'Go source',
  cgo: 'cgo source (its comments are C code)',
  'other-source': 'C, C++, assembly or syso file compiled into the package',
  ignored: 'excluded by a build constraint or a GOOS/GOARCH file name',
  embed: 'embedded with //go:embed',
  'test-data': "test data (below the package's testdata directory)",
};

/** `gohot explain` for humans: one block per path, every line a link of the chain. */
export function explanationText(e: Explanation, cwd: string): string {
  const lines: string[] = [`${escapeControl(e.path)}${kindSuffix(e)}`];
  const add = (label: string, text: string) => lines.push(`  ${`${label}:`.padEnd(11)} ${text}`);
  if (e.root === undefined) {
    add(
      'watched',
      'no: outside every watch root (the module, go.work modules, local replace targets)',
    );
  } else {
    add('root', `${displayPath(e.root.path, cwd)} (${describeBackend(e.root)})`);
    if (e.notWatched !== undefined) {
      add(
        'watched',
        `no: ${displayPath(e.notWatched.dir, cwd)} is not watched, ${describeDirSkip(e.notWatched.reason)}`,
      );
    } else if (e.verdict !== undefined) {
      const tier =
        e.verdict.tracked && e.verdict.tier === 'cold' ? '; only its existence is watched' : '';
      add(
        'watched',
        `${e.verdict.tracked ? 'yes' : 'no'}: ${describeFileReason(e.verdict.reason, e.verdict.tracked)}${tier}`,
      );
    } else add('watched', 'yes');
  }
  if (e.modelProblem !== undefined) add('packages', escapeControl(e.modelProblem));
  if (e.package !== undefined) {
    add('package', escapeControl(e.package.importPath));
    add(
      'imported',
      e.package.chain.length <= 1
        ? 'it is the main package'
        : `yes: ${escapeControl(e.package.chain.join(' -> '))}`,
    );
    if (e.package.role !== undefined) add('role', ROLE_WORDS[e.package.role]);
  }
  const what =
    e.kind === 'directory' ? 'a new .go file' : e.kind === 'missing' ? 'creating it' : 'an edit';
  if (e.onChange.action === 'not-watched') {
    const why = e.onChange.reason ? ` (${describeChangeReason(e.onChange.reason)})` : '';
    add(
      'on change',
      `nothing: gohot does not see ${what === 'an edit' ? 'edits here' : 'it'}${why}`,
    );
  } else {
    const reason = e.onChange.reason ? `: ${describeChangeReason(e.onChange.reason)}` : '';
    const relist =
      e.onChange.relist && e.onChange.action !== 'relist-then-decide'
        ? '; the packages are listed again'
        : '';
    add('on change', `${what} -> ${describeChangeAction(e.onChange.action)}${reason}${relist}`);
  }
  return lines.join('\n');
}

/** `gohot explain --test` for humans: which packages' tests an edit there runs, and why. */
export function testExplanationText(e: TestExplanation): string {
  const lines = [escapeControl(e.path)];
  if (e.run.length === 0) lines.push('  no tests run: no selected package can change');
  for (const { pkg, reason } of e.run) {
    lines.push(`  runs ${escapeControl(pkg)}: ${escapeControl(describeRunReason(reason))}`);
  }
  if (e.skipped.length > 0) lines.push(`  skips ${e.skipped.length} other package(s)`);
  return lines.join('\n');
}

function kindSuffix(e: Explanation): string {
  switch (e.kind) {
    case 'directory':
      return ' (directory)';
    case 'missing':
      return ' (does not exist)';
    case 'other':
      return ' (not a regular file)';
    default:
      return '';
  }
}
