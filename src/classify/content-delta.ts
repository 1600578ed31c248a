import { compareGoFacts, type GoFileFacts } from '../go/file-facts.js';

/** What is known of one file's content: its hash, and its Go tokens for a .go file. */
export interface FileFacts {
  readonly hash: string;
  readonly go?: GoFileFacts | undefined;
}

/**
 * A file's content as the last build saw it: facts, `absent` (it did not exist), or
 * undefined (not known: never read before it changed).
 */
export type Baseline = FileFacts | 'absent' | undefined;

/** Which parts of a Go file's structure changed; each one makes the model be listed again. */
export type GoStructure = 'imports' | 'constraints' | 'embeds' | 'package';

/** How a Go file's tokens differ. */
export interface GoEdit {
  readonly tokens: 'same' | 'changed';
  readonly lines: 'same' | 'shifted';
  readonly structural: readonly GoStructure[];
}

/** How a file now differs from what the last build saw. */
export type ContentDelta =
  | { readonly kind: 'no-baseline' }
  /** Nothing changed in net: same bytes, or absent then and now. */
  | { readonly kind: 'same-bytes' }
  | { readonly kind: 'gone' }
  /** `go` is set when both sides are Go files whose tokens were read. */
  | { readonly kind: 'changed'; readonly go?: GoEdit | undefined };

/** Compares a file's baseline with its current facts (undefined: it does not exist now). Pure. */
export function contentDelta(base: Baseline, now: FileFacts | undefined): ContentDelta {
  if (now === undefined) {
    if (base === 'absent') return { kind: 'same-bytes' };
    return { kind: 'gone' };
  }
  if (base === undefined) return { kind: 'no-baseline' };
  if (base === 'absent') return { kind: 'changed' };
  if (base.hash === now.hash) return { kind: 'same-bytes' };
  if (base.go === undefined || now.go === undefined) return { kind: 'changed' };
  return { kind: 'changed', go: goEdit(base.go, now.go) };
}

function goEdit(before: GoFileFacts, after: GoFileFacts): GoEdit {
  const c = compareGoFacts(before, after);
  switch (c.kind) {
    case 'same-tokens-same-lines':
      return { tokens: 'same', lines: 'same', structural: [] };
    case 'same-tokens-lines-shifted':
      return { tokens: 'same', lines: 'shifted', structural: [] };
    case 'tokens-changed':
      return { tokens: 'changed', lines: 'shifted', structural: c.structural };
  }
}
