import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, lstatSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A process group in gohot's own session (Linux).
 *
 * gohot runs go build and the app each in a process group of its own, so a cancelled build
 * or a stopped app goes with all its children. Node can make a process group only by making
 * a session (`detached: true` is setsid), and with autogroup scheduling (sched(7), on by
 * default) every new session is a new scheduling group: while other programs kept the CPU
 * busy, a go build started in a fresh session took 0.3-0.7 s longer than the same build in
 * a session that also held the app (docs/facts.md#autogroup). This helper, a few lines of Go
 * that gohot builds once into its private state directory, calls setpgid(0, 0) and execs the
 * command: a process group of its own, in gohot's session, with the same pid.
 *
 * `gohot-pgrp <path> <argv0> [args...]`: exits 126 when setpgid fails and 127 when the exec
 * does, with the reason on stderr. Before the exec it gives up gohot's controlling terminal
 * (TIOCNOTTY, which for a process that is not the session leader changes nothing but its
 * own tty(4)), so the command has no terminal, as in a session of its own: opening /dev/tty
 * fails (ENXIO) instead of a read stopping the whole group with SIGTTIN, and writes never
 * raise SIGTTOU (docs/facts.md#process-groups). Where that fails, SIGTTOU is ignored.
 */
export const GROUP_EXEC_SOURCE = `package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		os.Stderr.WriteString("usage: gohot-pgrp <path> <argv0> [args...]\\n")
		os.Exit(126)
	}
	if err := syscall.Setpgid(0, 0); err != nil {
		os.Stderr.WriteString("gohot-pgrp: setpgid: " + err.Error() + "\\n")
		os.Exit(126)
	}
	// No controlling terminal, as in a session of its own (tty(4), TIOCNOTTY): in gohot's
	// session a read of /dev/tty from this background group would stop it with SIGTTIN.
	if tty, err := syscall.Open("/dev/tty", syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0); err == nil {
		_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(tty), syscall.TIOCNOTTY, 0)
		syscall.Close(tty)
		if errno != 0 {
			signal.Ignore(syscall.SIGTTOU)
		}
	}
	file, argv := os.Args[1], os.Args[2:]
	err := syscall.Exec(file, argv, os.Environ())
	if err == syscall.ENOEXEC {
		// A script without #! runs with sh, as execvp (and so Node's spawn) runs it.
		err = syscall.Exec("/bin/sh", append([]string{"sh", file}, argv[1:]...), os.Environ())
	}
	os.Stderr.WriteString("gohot-pgrp: exec " + file + ": " + err.Error() + "\\n")
	os.Exit(127)
}
`;

// A state directory below a home shared by machines of another architecture (an NFS home)
// must not hand one machine the other's binary.
const HASH = createHash('sha256')
  .update(GROUP_EXEC_SOURCE)
  .update(`\0${process.arch}`)
  .digest('hex')
  .slice(0, 12);

/** Where the helper lives below `stateDir` (the name changes with its source and the architecture). */
export function groupExecPath(stateDir: string): string {
  return path.join(stateDir, 'bin', `gohot-pgrp-${HASH}`);
}

/**
 * A helper at `file` that gohot may run: a regular file (not a symlink) of this user that no
 * one else can change. The state directory is private, so this only guards against a
 * half-written or foreign file.
 */
export function isUsableHelper(file: string, uid: number): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() && st.uid === uid && (st.mode & 0o022) === 0 && (st.mode & 0o100) !== 0;
  } catch {
    return false;
  }
}

/** What the helper prints when run without a command (see {@link GROUP_EXEC_SOURCE}). */
const USAGE = 'usage: gohot-pgrp ';

/**
 * True when `file` runs here as the helper: without a command it exits 126 with its usage.
 * A binary for another CPU (GOARCH, GOAMD64), a state directory mounted noexec or a broken
 * build would otherwise make every build and app fail to start.
 */
export function runsAsHelper(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, [], { timeout: 10_000, env: {} }, (err, _stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve(code === 126 && String(stderr).startsWith(USAGE));
    });
  });
}

/** How gohot builds the helper: `go build` of one file, nothing of the user's set-up. */
export interface GroupExecBuild {
  readonly goBin: string;
  /** Runs go with these arguments in `cwd` and `env`; true when it exited 0. */
  run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<boolean>;
}

/**
 * The helper's path below the private `stateDir`, building it first when it is missing
 * (once per state directory and source). Undefined when it cannot be built: gohot then
 * starts its process groups as sessions of their own, as before. Never throws.
 */
export async function prepareGroupExec(
  stateDir: string,
  build: GroupExecBuild,
  uid: number = process.geteuid?.() ?? 0,
): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  const file = groupExecPath(stateDir);
  if (isUsableHelper(file, uid) && (await runsAsHelper(file))) return file;
  const work = path.join(
    path.dirname(file),
    `build-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    // go's temporaries go below the build directory (a module in the temp root itself is
    // ignored by go).
    const tmp = path.join(work, 'tmp');
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    await writeFile(path.join(work, 'go.mod'), 'module gohotpgrp\n\ngo 1.21\n');
    await writeFile(path.join(work, 'main.go'), GROUP_EXEC_SOURCE);
    const out = path.join(work, 'gohot-pgrp');
    // None of the user's go settings apply: no GOFLAGS (-mod=vendor), no go.work, no
    // toolchain download, no cgo; go's temporaries stay in the private directory.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // An empty GOFLAGS still reads the one in the go env file (go env -w): no file at all.
      GOENV: 'off',
      GOFLAGS: '',
      GOWORK: 'off',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GO111MODULE: 'on',
      GOTMPDIR: tmp,
      TMPDIR: tmp,
    };
    // A binary for this machine, whatever the user cross-compiles for.
    for (const key of CROSS_COMPILE_ENV) delete env[key];
    // No -trimpath: it changes the cache key of every package, and the standard library
    // the user's builds left in GOCACHE would be compiled again (seconds of CPU beside the
    // first build of the app, where without it the helper takes a fraction of a second).
    // No VCS stamping: a state directory inside a repository (a home kept in git) would
    // run git status on it, and a git that fails fails the build.
    const ok = await build.run(
      ['build', '-buildvcs=false', '-ldflags=-s -w', '-o', out, '.'],
      work,
      env,
    );
    if (!ok || !statSync(out).isFile() || !(await runsAsHelper(out))) return undefined;
    // Another gohot may have put the same helper there meanwhile: rename replaces it with
    // an identical file.
    renameSync(out, file);
    return isUsableHelper(file, uid) ? file : undefined;
  } catch {
    return undefined;
  } finally {
    try {
      rmSync(work, { recursive: true, force: true });
    } catch {
      // Left behind in the private directory; the promise must not reject (no one awaits it).
    }
  }
}

/** The go environment variables that choose another target than the machine go runs on. */
const CROSS_COMPILE_ENV = [
  'GOOS',
  'GOARCH',
  'GOAMD64',
  'GOARM',
  'GOARM64',
  'GO386',
  'GOMIPS',
  'GOMIPS64',
  'GOPPC64',
  'GORISCV64',
  'GOEXPERIMENT',
] as const;

/** What {@link lookPath} found: the file to exec, or the errno Node's spawn would report. */
export type LookPathResult =
  | { readonly found: true; readonly file: string }
  | { readonly found: false; readonly code: 'ENOENT' | 'EACCES' };

/**
 * The file `command` names, found the way Node's spawn finds it: a name with a slash is
 * relative to `cwd`; a bare name is looked up in `envPath` (an empty entry is `cwd`), first
 * executable regular file wins. EACCES when only a non-executable file or a directory of that
 * name exists.
 */
export function lookPath(
  command: string,
  envPath: string | undefined,
  cwd: string,
): LookPathResult {
  const candidates = command.includes('/')
    ? [path.resolve(cwd, command)]
    : // Without PATH, glibc's execvp (and so Node's spawn) searches /bin:/usr/bin.
      (envPath ?? '/bin:/usr/bin')
        .split(':')
        .map((dir) => path.resolve(cwd, dir === '' ? '.' : dir, command));
  let denied = false;
  for (const file of candidates) {
    try {
      // execve(2) of a directory (or any file that is not regular) is EACCES, and execvp
      // reports EACCES when that was all it found, as Node's spawn then does.
      if (!statSync(file).isFile()) {
        denied = true;
        continue;
      }
    } catch {
      continue;
    }
    try {
      accessSync(file, constants.X_OK);
      return { found: true, file };
    } catch {
      denied = true;
    }
  }
  return { found: false, code: denied ? 'EACCES' : 'ENOENT' };
}
