import { type ConfigFile, DEFAULT_PATTERNS } from '../config/types.js';

/** How the main package of a starter gohot.json was picked. */
export type MainChoice =
  | { readonly by: 'only'; readonly main: string }
  /** Several: the one in the directory gohot init ran in, else the first in path order. */
  | {
      readonly by: 'cwd' | 'first';
      readonly main: string;
      readonly others: readonly string[];
    }
  | { readonly by: 'none' };

/**
 * Picks the main package the way `gohot` would run it (README: the package in the current
 * directory when it is main, else the only one); with several, the first in path order.
 * `mains` are relative to the module root; `here` is the current directory's, if main.
 */
export function chooseStarterMain(mains: readonly string[], here: string | undefined): MainChoice {
  const [first, ...rest] = mains;
  if (first === undefined) return { by: 'none' };
  if (rest.length === 0) return { by: 'only', main: first };
  if (here !== undefined && mains.includes(here)) {
    return { by: 'cwd', main: here, others: mains.filter((m) => m !== here) };
  }
  return { by: 'first', main: first, others: rest };
}

/** The keys a starter gohot.json holds, in file order, for the explanation printed with it. */
export const STARTER_KEYS = [
  '$schema',
  'main',
  'run.args',
  'run.stopTimeout',
  'watch.patterns',
] as const;

/** One of {@link STARTER_KEYS}. */
export type StarterKey = (typeof STARTER_KEYS)[number];

/**
 * A starter gohot.json: the schema reference, the main package, and the defaults of the
 * keys people change first, written out so they can be edited in place.
 */
export function starterConfig(choice: MainChoice, schema: string): ConfigFile {
  return {
    $schema: schema,
    ...(choice.by === 'none' ? {} : { main: choice.main }),
    run: { args: [], stopTimeout: '3s' },
    watch: { patterns: [...DEFAULT_PATTERNS] },
  };
}
