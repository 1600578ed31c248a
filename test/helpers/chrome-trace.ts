/**
 * A validator of the documented fields of the Chrome Trace Event Format ("Trace Event
 * Format", Google, the JSON Object Format): a `traceEvents` array whose events each have a
 * string `name`, a `ph` (phase) gohot writes, integer `pid` and `tid`, a numeric `ts` in
 * microseconds, a non-negative `dur` for complete (`X`) events, a scope `s` of g/p/t for
 * instants (`i`), and `args.name` (or `args.sort_index`) for metadata (`M`). Returns every
 * problem found; an empty list means the viewer's parser can read it.
 */
export function chromeTraceProblems(doc: unknown): string[] {
  if (
    typeof doc !== 'object' ||
    doc === null ||
    !Array.isArray((doc as { traceEvents?: unknown }).traceEvents)
  ) {
    return ['not an object with a traceEvents array'];
  }
  const problems: string[] = [];
  const events = (doc as { traceEvents: unknown[] }).traceEvents;
  events.forEach((raw, i) => {
    const at = `traceEvents[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${at} is not an object`);
      return;
    }
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name === '') problems.push(`${at}.name is not a string`);
    if (!['X', 'i', 'M', 'B', 'E'].includes(e.ph as string))
      problems.push(`${at}.ph ${String(e.ph)} unknown`);
    for (const f of ['pid', 'tid']) {
      if (!Number.isInteger(e[f])) problems.push(`${at}.${f} is not an integer`);
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) {
      problems.push(`${at}.ts is not a non-negative number`);
    }
    if (e.ph === 'X' && (typeof e.dur !== 'number' || e.dur < 0)) {
      problems.push(`${at}.dur is missing or negative on a complete event`);
    }
    if (e.ph === 'i' && e.s !== undefined && !['g', 'p', 't'].includes(e.s as string)) {
      problems.push(`${at}.s is not g, p or t`);
    }
    if (e.ph === 'M') {
      const args = e.args as Record<string, unknown> | undefined;
      const ok =
        (['process_name', 'thread_name'].includes(e.name as string) &&
          typeof args?.name === 'string') ||
        (e.name === 'thread_sort_index' && Number.isInteger(args?.sort_index));
      if (!ok) problems.push(`${at} is metadata gohot does not write (${String(e.name)})`);
    }
    if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null)) {
      problems.push(`${at}.args is not an object`);
    }
  });
  return problems;
}
