import { GohotError } from '../errors.js';
import { quote } from './quote.js';

/** Where an extra go build flag came from: `build.flags` in gohot.json or `--build-flag`. */
export type BuildFlagSource = 'file' | 'command line';

/**
 * The go build flags gohot sets itself or has its own setting for, with what to do instead,
 * per source. gohot's own command line is `go build -o <tmp> -buildvcs=false -tags ...
 * -ldflags ... -json <flags> <pkg>`, and go keeps the last of a repeated flag, so any of
 * these among the extra flags would silently override gohot's.
 */
const OWNED_BUILD_FLAGS = {
  o: {
    file: 'gohot sets -o itself (it picks where the binary goes and runs it from there); remove it',
    'command line':
      'gohot sets -o itself (it picks where the binary goes and runs it from there); remove it',
  },
  C: {
    file: 'gohot runs go build in the module root itself; remove it, and start gohot with -C <dir> to run it elsewhere',
    'command line': 'gohot runs go build in the module root itself; use gohot -C <dir> instead',
  },
  json: {
    file: 'gohot decides on -json itself (it reads the build errors from it); remove it',
    'command line': 'gohot decides on -json itself (it reads the build errors from it); remove it',
  },
  n: {
    file: 'go build -n only prints the commands and builds no binary to run; remove it',
    'command line': 'go build -n only prints the commands and builds no binary to run; remove it',
  },
  ldflags: {
    file: 'gohot passes its own -ldflags; use the "build.ldflags" key instead',
    'command line': 'gohot passes its own -ldflags; set "build.ldflags" in gohot.json instead',
  },
  tags: {
    file: 'gohot passes its own -tags; use the "build.tags" key instead',
    'command line': 'gohot passes its own -tags; use --tags instead',
  },
  buildvcs: {
    file: 'gohot passes its own -buildvcs; use the "build.buildvcs" key instead',
    'command line': 'gohot passes its own -buildvcs; set "build.buildvcs" in gohot.json instead',
  },
} as const satisfies Record<string, Record<BuildFlagSource, string>>;

/** A go build flag gohot refuses, e.g. `o` for `-o=bin/app`. */
export type OwnedBuildFlag = keyof typeof OWNED_BUILD_FLAGS;

// Go's flag package reads -name, --name, -name=value and --name=value (and -name value).
const FLAG_NAME = /^--?([^-=][^=]*)(?:=|$)/;

/** The owned flag `flag` sets, in any of go's spellings, or undefined when it is not one. */
export function ownedBuildFlag(flag: string): OwnedBuildFlag | undefined {
  const name = FLAG_NAME.exec(flag)?.[1];
  return name !== undefined && Object.hasOwn(OWNED_BUILD_FLAGS, name)
    ? (name as OwnedBuildFlag)
    : undefined;
}

/**
 * Why `flag` cannot be an extra go build flag, or undefined when it can: the flag it sets
 * and what to use instead. The same check runs on `build.flags` and on `--build-flag`.
 */
export function checkBuildFlag(flag: string, source: BuildFlagSource): string | undefined {
  const owned = ownedBuildFlag(flag);
  return owned === undefined
    ? undefined
    : `${quote(flag)} sets -${owned}: ${OWNED_BUILD_FLAGS[owned][source]}`;
}

/**
 * Checks the `--build-flag` overrides, which arrive without a position.
 * @throws GohotError `CLI_USAGE` naming the first refused flag.
 */
export function checkBuildFlagOverrides(flags: readonly string[] | undefined): void {
  for (const flag of flags ?? []) {
    const problem = checkBuildFlag(flag, 'command line');
    if (problem !== undefined) {
      throw new GohotError(
        'CLI_USAGE',
        `--build-flag ${problem}.`,
        'gohot sets -o, -C, -json, -n, -ldflags, -tags and -buildvcs of go build itself; pass other go build flags with --build-flag=<flag>.',
      );
    }
  }
}

/**
 * go build flags that have their own key in gohot.json. Given both ways in the file (the
 * key and the same flag in `build.flags`), the file is refused: one spelling per setting.
 * `--build-flag` comes after them on go's command line and wins (go keeps the last).
 */
export const KEYED_BUILD_FLAGS = {
  toolexec: 'build.toolexec',
  gcflags: 'build.gcflags',
  asmflags: 'build.asmflags',
  trimpath: 'build.trimpath',
  race: 'build.race',
  cover: 'build.cover',
} as const;

/** The key of {@link KEYED_BUILD_FLAGS} that `flag` sets, in any of go's spellings. */
export function keyedBuildFlag(flag: string): keyof typeof KEYED_BUILD_FLAGS | undefined {
  const name = FLAG_NAME.exec(flag)?.[1];
  return name !== undefined && Object.hasOwn(KEYED_BUILD_FLAGS, name)
    ? (name as keyof typeof KEYED_BUILD_FLAGS)
    : undefined;
}

/** The pass-through settings of `build` as the validator left them. */
export interface BuildPassthroughOptions {
  readonly toolexec?: string | readonly string[];
  readonly gcflags?: string;
  readonly asmflags?: string;
  readonly trimpath?: boolean;
  readonly race?: boolean;
  readonly cover?: boolean;
}

/** Pass-through settings with their defaults filled; `toolexec` as an argv array. */
export interface ResolvedPassthrough {
  readonly toolexec: readonly string[];
  readonly gcflags: string;
  readonly asmflags: string;
  readonly trimpath: boolean;
  readonly race: boolean;
  readonly cover: boolean;
}

/** Fills the pass-through defaults; a string `toolexec` is split as go splits it. */
export function resolvePassthrough(b: BuildPassthroughOptions | undefined): ResolvedPassthrough {
  const toolexec = b?.toolexec;
  return {
    toolexec: typeof toolexec === 'string' ? splitQuotedFields(toolexec) : [...(toolexec ?? [])],
    gcflags: b?.gcflags ?? '',
    asmflags: b?.asmflags ?? '',
    trimpath: b?.trimpath ?? false,
    race: b?.race ?? false,
    cover: b?.cover ?? false,
  };
}

/**
 * The go build flags of a resolved build: the pass-through keys first, then the extra
 * flags (`build.flags` or `--build-flag`), which win because go keeps the last.
 */
export function goBuildFlags(
  build: ResolvedPassthrough & { readonly flags: readonly string[] },
): string[] {
  const out: string[] = [];
  // The validator refused argv that cannot be joined.
  if (build.toolexec.length > 0) out.push(`-toolexec=${joinQuotedFields(build.toolexec) ?? ''}`);
  if (build.gcflags !== '') out.push(`-gcflags=${build.gcflags}`);
  if (build.asmflags !== '') out.push(`-asmflags=${build.asmflags}`);
  if (build.trimpath) out.push('-trimpath');
  if (build.race) out.push('-race');
  if (build.cover) out.push('-cover');
  return [...out, ...build.flags];
}

/**
 * Splits a command as go splits -toolexec (cmd/internal/quoted): fields separated by white
 * space, a field may be wrapped in single or double quotes, no escapes.
 */
export function splitQuotedFields(text: string): string[] {
  const fields: string[] = [];
  const re = /\s*(?:'([^']*)'|"([^"]*)"|(\S+))/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    fields.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return fields;
}

/**
 * Joins argv so that {@link splitQuotedFields} (and go) gives it back; undefined when an
 * argument holds both kinds of quote, which go's -toolexec syntax cannot express.
 */
export function joinQuotedFields(argv: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const arg of argv) {
    if (arg !== '' && !/[\s'"]/.test(arg)) parts.push(arg);
    else if (!arg.includes("'")) parts.push(`'${arg}'`);
    else if (!arg.includes('"')) parts.push(`"${arg}"`);
    else return undefined;
  }
  return parts.join(' ');
}
