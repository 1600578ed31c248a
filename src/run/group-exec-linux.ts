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
 * does, with the reason on stderr. SIGTTOU is ignored before the exec, so a command in this
 * background group may write to gohot's terminal even with `stty tostop` (as it could from a
 * session of its own, which has no terminal).
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
	signal.Ignore(syscall.SIGTTOU)
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

const HASH = createHash('sha256').update(GROUP_EXEC_SOURCE).digest('hex').slice(0, 12);

/** Where the helper lives below `stateDir` (the name changes with its source). */
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
  if (isUsableHelper(file, uid)) return file;
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
      GOFLAGS: '',
      GOWORK: 'off',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GO111MODULE: 'on',
      GOTMPDIR: tmp,
      TMPDIR: tmp,
    };
    const ok = await build.run(['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], work, env);
    if (!ok || !statSync(out).isFile()) return undefined;
    // Another gohot may have put the same helper there meanwhile: rename replaces it with
    // an identical file.
    renameSync(out, file);
    return isUsableHelper(file, uid) ? file : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What {@link lookPath} found: the file to exec, or the errno Node's spawn would report. */
export type LookPathResult =
  | { readonly found: true; readonly file: string }
  | { readonly found: false; readonly code: 'ENOENT' | 'EACCES' };

/**
 * The file `command` names, found the way Node's spawn finds it: a name with a slash is
 * relative to `cwd`; a bare name is looked up in `envPath` (an empty entry is `cwd`), first
 * executable regular file wins. EACCES when only a non-executable file of that name exists.
 */
export function lookPath(
  command: string,
  envPath: string | undefined,
  cwd: string,
): LookPathResult {
  const candidates = command.includes('/')
    ? [path.resolve(cwd, command)]
    : (envPath ?? '/usr/local/bin:/usr/bin:/bin')
        .split(':')
        .map((dir) => path.resolve(cwd, dir === '' ? '.' : dir, command));
  let denied = false;
  for (const file of candidates) {
    try {
      if (!statSync(file).isFile()) continue;
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
