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
