/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
 * so `falgs` is one edit away from `flags`.
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the table (i-2, i-1, i) instead of all of them: the transposition looks
  // two rows back.
  const cols = b.length + 1;
  let before = new Int32Array(cols);
  let prev = Int32Array.from({ length: cols }, (_, j) => j);
  let row = new Int32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      row[j] = best;
    }
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length]!;
}

/**
 * The candidate the user most likely meant, or undefined when none is close: a
 * case-insensitive match first, then the nearest one within 1 edit (short words) or 2.
 * A candidate whose length differs by more than that is skipped without computing a
 * distance, so the cost per input is bounded by the candidates' lengths, however long the
 * input (a file with thousands of long unknown keys stays linear).
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = input.length <= 4 ? 1 : 2;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // The edit distance is at least the difference in length.
    if (Math.abs(lower.length - candidate.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}
