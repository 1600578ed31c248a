/**
 * Progress of a running `go build -v`: the go command prints the import path of each
 * package as it compiles it (docs/facts.md#build-progress), on stderr, or with `-json`
 * (Go >= 1.24) as a `build-output` event whose Output is exactly that path and a newline.
 */

/** Import paths never contain these: a line with one is a diagnostic or a message. */
const NOT_AN_IMPORT_PATH = /[\s:#"'`]/;

/**
 * The import path a line of `go build -v` output names as compiled, or undefined when the
 * line is anything else (a `# pkg` header, a diagnostic, a `go: downloading` message).
 */
export function parseProgressLine(line: string, json: boolean): string | undefined {
  if (!json) {
    const text = line.trimEnd();
    return text !== '' && !NOT_AN_IMPORT_PATH.test(text) ? text : undefined;
  }
  if (!line.startsWith('{')) return undefined;
  try {
    const event = JSON.parse(line) as { ImportPath?: unknown; Action?: unknown; Output?: unknown };
    if (event.Action !== 'build-output' || typeof event.ImportPath !== 'string') return undefined;
    return event.Output === `${event.ImportPath}\n` ? event.ImportPath : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link createProgressCounter}. */
export interface ProgressCounterOptions {
  /** Called with the number of packages compiled so far, at most once per `intervalMs`. */
  readonly onProgress: (done: number) => void;
  /** @default 250 */
  readonly intervalMs?: number;
  /** Monotonic clock. @default performance.now */
  readonly now?: () => number;
}

/**
 * Counts the packages one build compiled and reports the count rate-limited: the first
 * package at once, then at most once per interval (a cold build compiles hundreds of
 * packages in seconds; nobody reads more than a few updates a second).
 */
export function createProgressCounter(options: ProgressCounterOptions) {
  const intervalMs = options.intervalMs ?? 250;
  const now = options.now ?? (() => performance.now());
  const seen = new Set<string>();
  let reportedAt: number | undefined;
  return {
    /** Records one compiled package (the same path twice counts once). */
    add(importPath: string): void {
      if (seen.has(importPath)) return;
      seen.add(importPath);
      const t = now();
      if (reportedAt !== undefined && t - reportedAt < intervalMs) return;
      reportedAt = t;
      options.onProgress(seen.size);
    },
    /** Packages compiled so far. */
    get done(): number {
      return seen.size;
    },
  };
}
