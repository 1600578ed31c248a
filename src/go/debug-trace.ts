import { readFileSync, rmSync } from 'node:fs';

/**
 * One span of the go command's own trace (`go build -debug-trace=<file>`): package loading,
 * each action (compile, link) and the build as a whole. Times are microseconds since the
 * first event of that trace, so a reader can place them under gohot's build span.
 */
export interface GoTraceSpan {
  /** What go was doing, as go names it ("Executing action (build example.com/app)"). */
  readonly name: string;
  readonly startUs: number;
  readonly durationUs: number;
  /** go's thread of work (`tid` in its trace): concurrent actions have different lanes. */
  readonly lane: number;
}

interface RawEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly tid: number;
  readonly dur?: number;
}

function isRawEvent(v: unknown): v is RawEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.name === 'string' &&
    typeof e.ph === 'string' &&
    typeof e.ts === 'number' &&
    Number.isFinite(e.ts) &&
    typeof e.tid === 'number'
  );
}

/**
 * Parses the text go wrote with `-debug-trace` into spans, sorted by start. go writes a JSON
 * array with one event per line (`[`, then `{...}`, then `,{...}` ..., `]`), pairs of `B`
 * and `E` events per `tid` (docs/facts.md#go-debug-trace). A build that was killed leaves
 * the array unterminated and its open spans unended: lines are parsed one by one, anything
 * unreadable is skipped, and a span still open at the end is left out.
 */
export function parseGoDebugTrace(text: string): GoTraceSpan[] {
  const events: RawEvent[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^[[,]\s*/, '');
    if (!line.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(line.replace(/[\],]\s*$/, ''));
      if (isRawEvent(v)) events.push(v);
    } catch {
      // A line cut off by a kill: the rest is still usable.
    }
  }
  if (events.length === 0) return [];
  const origin = Math.min(...events.map((e) => e.ts));
  const spans: GoTraceSpan[] = [];
  // Begin events waiting for their end, per lane and name (go ends spans by name).
  const open = new Map<string, number[]>();
  for (const e of events) {
    const key = `${e.tid}\u0000${e.name}`;
    if (e.ph === 'B') {
      const starts = open.get(key) ?? [];
      starts.push(e.ts);
      open.set(key, starts);
    } else if (e.ph === 'E') {
      const start = open.get(key)?.pop();
      if (start === undefined) continue;
      spans.push(span(e.name, start - origin, e.ts - start, e.tid));
    } else if (e.ph === 'X' && typeof e.dur === 'number') {
      spans.push(span(e.name, e.ts - origin, e.dur, e.tid));
    }
  }
  return spans.sort((a, b) => a.startUs - b.startUs || b.durationUs - a.durationUs);
}

function span(name: string, startUs: number, durationUs: number, lane: number): GoTraceSpan {
  const round = (us: number) => Math.round(us * 10) / 10;
  return { name, startUs: round(startUs), durationUs: round(Math.max(0, durationUs)), lane };
}

/**
 * Reads the trace go wrote to `file` (in gohot's private run directory), removes the file and
 * returns its spans; no file (go failed before writing one) is no spans.
 */
export function loadGoDebugTrace(file: string): GoTraceSpan[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  rmSync(file, { force: true });
  return parseGoDebugTrace(text);
}
