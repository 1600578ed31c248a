/**
 * The converter's working state: the air values read from the file (type-checked), and
 * the gohot config, notes and warnings being written. Each group converter reads the
 * first and adds to the others.
 */
import type { AirNote, AirNoteKind, AirReason, AirWarning } from './air-notes.js';

/** A gohot config under construction (arrays are appended to, keys set once). */
export interface ConfigDraft {
  main?: string;
  build: {
    flags: string[];
    tags: string[];
    ldflags?: string;
    env: Record<string, string>;
    buildvcs?: boolean;
    debug?: boolean;
    toolexec?: string;
    gcflags?: string;
    asmflags?: string;
    trimpath?: boolean;
    race?: boolean;
    cover?: boolean;
    envFile: string[];
  };
  rules: { name: string; on: string[]; run: string[] }[];
  /** The include_dir of air's rules (`web/`): air watches them even when exclude_dir names them. */
  ruleDirs: string[];
  /** Argument arrays, in the order air ran them. */
  hooks: { beforeBuild: string[][]; afterBuild: string[][] };
  run: {
    args: string[];
    env: Record<string, string>;
    envFile: string[];
    stopSignal?: 'SIGINT';
    stopTimeout?: string;
  };
  watch: {
    patterns: string[];
    restartOnly: string[];
    quietWindow?: string;
    poll?: boolean;
    pollInterval?: string;
  };
  proxy: { listen?: string; target?: string; holdTimeout?: string };
}

/** The values of one `.air.toml`, by dotted key (`build.cmd`), and what the converter writes. */
export class AirWork {
  readonly #values: Map<string, unknown>;
  readonly notes: AirNote[] = [];
  readonly warnings: AirWarning[] = [];
  readonly draft: ConfigDraft = {
    build: { flags: [], tags: [], env: {}, envFile: [] },
    rules: [],
    ruleDirs: [],
    hooks: { beforeBuild: [], afterBuild: [] },
    run: { args: [], env: {}, envFile: [] },
    watch: { patterns: [], restartOnly: [] },
    proxy: {},
  };

  constructor(values: Map<string, unknown>) {
    this.#values = values;
  }

  has(key: string): boolean {
    return this.#values.has(key);
  }

  /** The value of `key`, when the file sets it (with the right type). */
  get<T>(key: string): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  note(key: string, kind: AirNoteKind, reason: AirReason, defaulted = false): void {
    this.notes.push(defaulted ? { key, kind, reason, defaulted } : { key, kind, reason });
  }

  /** A note for `key` only when the file sets it. */
  noteIfSet(key: string, kind: AirNoteKind, reason: AirReason): void {
    if (this.has(key)) this.note(key, kind, reason);
  }

  warn(warning: AirWarning): void {
    this.warnings.push(warning);
  }
}

/** Milliseconds of a Go duration string (`"1m30s"`, `"500ms"`, `"2.5s"`), or undefined. */
export function goDurationMs(text: string): number | undefined {
  const units: Readonly<Record<string, number>> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? total : undefined;
}

/** A duration for gohot.json: whole milliseconds with a unit, or "0". */
export function msDuration(ms: number): string {
  const whole = Math.floor(ms);
  return whole === 0 ? '0' : `${whole}ms`;
}
