import path from 'node:path';
import {
  type CheckStatus,
  type DoctorCheck,
  type DoctorReport,
  type Finding,
  worstStatus,
} from '../doctor/types.js';
import { MIN_GO_VERSION } from '../go/go-env.js';
import { SUGGESTED_MAX_USER_INSTANCES, SUGGESTED_MAX_USER_WATCHES } from '../watch/limits.js';
import { describeBackend, displayPath, escapeControl } from './describe.js';

/** A check in words: what was found, the facts behind it, and the fix (none when ok). */
export interface CheckWords {
  readonly title: string;
  readonly detail: string | undefined;
  readonly fix: string | undefined;
}

const MIN_GO = `${MIN_GO_VERSION.major}.${MIN_GO_VERSION.minor}`;
const GET_GO = 'Install a current Go from https://go.dev/dl/, or point GOHOT_GO at a go binary';

function sysctl(name: string, value: number): string {
  return (
    `\`sudo sysctl ${name}=${value}\`, kept across reboots with ` +
    `\`echo ${name}=${value} | sudo tee /etc/sysctl.d/60-gohot-inotify.conf\``
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function duration(ns: number): string {
  if (ns >= 1e9) return `${ns / 1e9} s`;
  if (ns >= 1e6) return `${Math.round(ns / 1e5) / 10} ms`;
  if (ns >= 1e3) return `${Math.round(ns / 1e2) / 10} µs`;
  return `${ns} ns`;
}

/** The words of one check; paths relative to `cwd` (absolute without it). */
export function describeCheck(check: DoctorCheck, cwd?: string): CheckWords {
  return describeFinding(check.finding, check.status, cwd);
}

function describeFinding(f: Finding, status: CheckStatus, cwd: string | undefined): CheckWords {
  // Paths below the checked directory relative to it, anything else absolute.
  const p = (abs: string) =>
    cwd !== undefined && path.relative(cwd, abs).startsWith('..')
      ? escapeControl(abs)
      : displayPath(abs, cwd);
  const e = escapeControl;
  const here = (abs: string) => (p(abs) === '.' ? 'this directory' : p(abs));
  const words = (title: string, detail?: string, fix?: string): CheckWords => ({
    title,
    detail,
    fix: status === 'ok' ? undefined : fix,
  });
  switch (f.kind) {
    case 'go-found':
      return words(`${e(f.version)} (${e(f.goBin)})`);
    case 'go-missing':
      return words(
        'Go was not found',
        f.goBin === 'go' ? 'There is no `go` executable on PATH.' : `${e(f.goBin)} does not exist.`,
        `${GET_GO} (GOHOT_GO=/usr/local/go/bin/go).`,
      );
    case 'go-not-runnable':
      return words(`${e(f.goBin)} could not be started`, e(f.error), `${GET_GO} that runs.`);
    case 'go-too-old':
      return words(
        `Go ${e(f.version)} is too old`,
        `gohot needs Go ${MIN_GO} or newer (toolchain switching, go work, go list -json fields).`,
        `${GET_GO} ${MIN_GO} or newer.`,
      );
    case 'go-version-unknown':
      return words(
        'The Go version cannot be read',
        `${e(f.goBin)} reported ${JSON.stringify(f.raw)}.`,
        'Point GOHOT_GO at a standard Go toolchain (`go version` prints "go version go1.x.y ...").',
      );
    case 'toolchain-local':
      return words(
        `toolchain ${e(f.version)} is used (GOTOOLCHAIN=${e(f.gotoolchain)}${f.wants ? `, go.mod asks for go ${e(f.wants)}` : ''})`,
      );
    case 'toolchain-unavailable': {
      const why =
        f.why === 'local'
          ? `GOTOOLCHAIN=${e(f.gotoolchain)} forbids switching to another toolchain`
          : f.why === 'path'
            ? `GOTOOLCHAIN=${e(f.gotoolchain)} only looks for it on PATH, and ${e(f.wants)} is not there`
            : 'go would download it, but GOPROXY=off forbids downloads';
      return words(
        `${e(f.wants)} is required but cannot be used`,
        `${p(f.wantsFrom) === 'GOTOOLCHAIN' ? 'GOTOOLCHAIN' : p(f.wantsFrom)} asks for ${e(f.wants)}, the installed Go is ${e(f.version)}, and ${why}: every go command in this module fails.`,
        `Install ${e(f.wants)} or newer (https://go.dev/dl/), or allow the download with ` +
          `GOTOOLCHAIN=auto${f.why === 'proxy-off' ? ' and a GOPROXY that is not off' : ''}, ` +
          'or lower the go line of go.mod if the code does not need it.',
      );
    }
    case 'toolchain-switch':
      return words(
        `go switches to ${e(f.wants)}, ${f.via === 'path' ? 'found on PATH' : 'downloaded before'} (GOTOOLCHAIN=${e(f.gotoolchain)}; installed ${e(f.version)})`,
      );
    case 'toolchain-download':
      return words(
        `go will download ${e(f.wants)}`,
        `${f.wantsFrom === 'GOTOOLCHAIN' ? 'GOTOOLCHAIN' : p(f.wantsFrom)} asks for ${e(f.wants)}, newer than the installed ${e(f.version)}; with GOTOOLCHAIN=${e(f.gotoolchain)} the first go command downloads it (network, and a pause before the first build).`,
        `Install ${e(f.wants)} to avoid the download, or run with GOTOOLCHAIN=local if the installed Go is enough.`,
      );
    case 'module': {
      const where =
        f.cwd === f.moduleRoot
          ? ''
          : `; started in ${p(f.cwd)}, a package path like "." is relative to it, gohot.json is read from the module root`;
      const work = f.workFile === undefined ? '' : `, workspace ${p(f.workFile)}`;
      return words(
        `module ${e(f.modulePath || '(workspace)')} at ${p(f.moduleRoot)}${work}${where}`,
      );
    }
    case 'gopath-mode':
      return words(
        'Go is in GOPATH mode',
        `In ${here(f.cwd)} go runs in GOPATH mode (GO111MODULE=${e(f.go111module || 'unset')}), and gohot only works with Go modules.`,
        'Unset GO111MODULE (or set GO111MODULE=on; check `go env -w` too). Without a go.mod, create one with `go mod init example.com/app`.',
      );
    case 'no-go-mod':
      return words(
        'no go.mod here or above',
        `Neither ${here(f.cwd)} nor any directory above it holds a go.mod (or go.work).`,
        f.nearby.length > 0
          ? `Start gohot in the module: ${f.nearby.map((d) => `\`gohot -C ${e(d)}\``).join(' or ')}.`
          : 'Start gohot in the directory with go.mod, or create one with `go mod init example.com/app`.',
      );
    case 'in-gopath-src':
      return words(
        `the module is inside GOPATH/src (${p(f.gopathSrc)})`,
        'It builds in module mode; with GO111MODULE=auto, a missing go.mod would switch this tree to GOPATH mode.',
        'Set GO111MODULE=on (or unset it), or move the module out of GOPATH/src.',
      );
    case 'step-failed': {
      const [first, ...rest] = f.error.message.split('\n');
      return words(
        `${e(f.error.code)}: ${e(first ?? '')}`,
        rest.length === 0 ? undefined : e(rest.join('\n'), true),
        f.error.hint === undefined ? 'Fix the problem above.' : e(f.error.hint),
      );
    }
    case 'config-loaded':
      return words(f.source === undefined ? 'no config file (defaults)' : `config ${p(f.source)}`);
    case 'main-found':
      return words(`main package ${e(f.relPath)} (${e(f.importPath)})`);
    case 'packages-listed':
      return words(
        `go list: ${plural(f.packages, 'package')} (the main package and everything it imports)`,
      );
    case 'packages-unusable':
      return words(
        'go list cannot list the main package',
        e(f.problem, true),
        'gohot still reloads, on every save of a tracked file; the build most likely fails the same way: fix the error go reports.',
      );
    case 'goflags': {
      if (f.rejected !== undefined) {
        return words(
          `go rejects GOFLAGS=${e(f.goflags)}`,
          `${e(f.rejected)}: every go command fails.`,
          'Remove the flag from GOFLAGS (the environment, or `go env -u GOFLAGS` / `go env -w GOFLAGS=...`).',
        );
      }
      if (f.notable.length === 0) {
        return words(
          f.goflags === ''
            ? 'GOFLAGS is empty'
            : `GOFLAGS=${e(f.goflags)} (nothing that changes reloading)`,
        );
      }
      const effects = f.notable.map((n) =>
        n.kind === 'mod-vendor'
          ? `${e(n.flag)}: builds read dependencies from vendor/, so an edit of a dependency counts only after \`go mod vendor\``
          : n.kind === 'mod-mod'
            ? `${e(n.flag)}: go build may rewrite go.mod and go.sum (gohot sees that as a project change and lists packages again) and download modules`
            : `${e(n.flag)}: --tags and build.tags replace these tags (flags on the command line override GOFLAGS)`,
      );
      return words(
        `GOFLAGS=${e(f.goflags)} changes builds`,
        effects.join('; '),
        'If this is not meant for gohot, unset GOFLAGS (or `go env -u GOFLAGS`); build flags for gohot belong in build.flags / build.tags of gohot.json.',
      );
    }
    case 'goproxy':
      return status === 'ok'
        ? words(`GOPROXY=${e(f.goproxy)}`)
        : words(
            'GOPROXY=off: no module can be downloaded',
            `A new import or require that is not in the module cache fails the build ("module lookup disabled by GOPROXY=off")${f.modMod ? ', and with -mod=mod so does any go.sum go wants to complete' : ''}.`,
            'Unset GOPROXY (the default is https://proxy.golang.org,direct) unless offline builds are intended; `go mod download` while online fills the cache.',
          );
    case 'no-vendor':
      return words('no vendor directory');
    case 'vendor-ignored':
      return words(`vendor/ is not used (${e(f.flag)})`);
    case 'vendor-consistent':
      return words('vendor/modules.txt agrees with go.mod');
    case 'vendor-inconsistent':
      return words(
        'vendor/ is out of sync with go.mod',
        `go reports inconsistent vendoring, so every build fails:\n${f.problems.map((l) => `  ${e(l)}`).join('\n')}`,
        'Run `go mod vendor` in the module root (or build with -mod=mod to ignore vendor/).',
      );
    case 'cgo-disabled':
      return words('CGO_ENABLED=0');
    case 'cgo-compiler':
      return f.found === undefined
        ? words(
            `CGO_ENABLED=1 but the C compiler ${JSON.stringify(f.cc)} is not found`,
            `Builds that use cgo (the net and os/user packages do, and every import "C") fail with cgo: C compiler "${e(f.cc)}" not found.`,
            'Install a C compiler (gcc or clang) or fix CC, or set CGO_ENABLED=0 (build.env in gohot.json, or the environment).',
          )
        : words(`CGO_ENABLED=1, C compiler ${e(f.found)}`);
    case 'gocache': {
      const pr = f.problem;
      if (pr === undefined) return words(`GOCACHE ${p(f.dir)} is writable`);
      const why =
        pr.by === 'off'
          ? 'GOCACHE=off is no longer supported: go needs a build cache'
          : pr.by === 'unset'
            ? 'GOCACHE is empty, and neither XDG_CACHE_HOME nor HOME say where it would go'
            : pr.by === 'relative'
              ? `GOCACHE=${e(f.dir)} is not an absolute path`
              : `${p(pr.at)} cannot be written (${e(pr.code)})`;
      return words(
        'the build cache cannot be used',
        `${why}, so every go build fails.`,
        'Point GOCACHE at a writable absolute directory (or unset it: the default is ~/.cache/go-build).',
      );
    }
    case 'inotify-unknown':
      return words('inotify limits cannot be read (not Linux, or /proc unreadable)');
    case 'inotify': {
      const watches = `${plural(f.dirs, 'directory', 'directories')} to watch, ${plural(f.watchesInUse, 'watch', 'watches')} in use of fs.inotify.max_user_watches=${f.maxUserWatches ?? '?'}`;
      const instances = `${plural(f.instancesInUse, 'instance')} in use of fs.inotify.max_user_instances=${f.maxUserInstances ?? '?'}`;
      if (f.short === 'none') return words(`${watches}; ${instances}`);
      return f.short === 'watches'
        ? words(
            'not enough inotify watches',
            `${watches}: gohot would poll the directories it cannot watch (slower, more CPU).`,
            `Raise the limit with ${sysctl('fs.inotify.max_user_watches', SUGGESTED_MAX_USER_WATCHES)}, ignore large directories you do not need (watch.patterns "!dir/"), or stop other watchers.`,
          )
        : words(
            'no inotify instance left',
            `${instances}: gohot would have to poll every root.`,
            `Stop watchers you do not need, or raise the limit with ${sysctl('fs.inotify.max_user_instances', SUGGESTED_MAX_USER_INSTANCES)}.`,
          );
    }
    case 'backend':
      return words(
        `${p(f.root)}: ${describeBackend({ backend: f.backend, reason: f.reason })}`,
        status === 'ok'
          ? undefined
          : 'Edits made on the other side of this mount produce no inotify event here, so gohot polls it: changes show up within the poll interval, and sweeps cost CPU on big trees.',
        'Nothing to fix if the editor runs elsewhere; for instant reloads run gohot where the files live, or keep the sources on a local file system.',
      );
    case 'mtime':
      return words(
        `${p(f.root)}: timestamps in steps of ${duration(f.granularityNs)} (${f.samples} files written)`,
        status === 'ok'
          ? undefined
          : 'Two saves within one step leave the same mtime; gohot then compares content (the racy-clean rule), which is correct but reads more.',
        'Nothing needs fixing; a local file system (ext4, xfs, btrfs, tmpfs) stamps finer.',
      );
    case 'mtime-unmeasured':
      return words(
        `${p(f.root)}: timestamp granularity not measured (${e(f.code)})`,
        'doctor could not write a test file below the root; gohot watches it anyway.',
        'Make the directory writable to measure it, or ignore this.',
      );
    case 'ulimit':
      return words(
        `ulimit -n ${f.soft}${f.hard === undefined ? '' : ` (hard ${f.hard})`}`,
        status === 'ok'
          ? undefined
          : 'gohot, its go commands and the app share this limit; below it builds and the app fail with "too many open files".',
        'Raise it in the shell that starts gohot (`ulimit -n 65536`, or LimitNOFILE= for a systemd service).',
      );
    case 'ulimit-unknown':
      return words('ulimit -n cannot be read (/proc/self/limits)');
  }
}

const LABEL: Readonly<Record<CheckStatus, string>> = { ok: 'ok', warn: 'warn', block: 'BLOCK' };

/** `gohot doctor` for humans: one line per check, details and fixes under problems. */
export function doctorText(report: DoctorReport): string {
  const lines: string[] = [];
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    const w = describeCheck(check, report.cwd);
    lines.push(`${LABEL[check.status].padEnd(6)}${check.id.padEnd(width + 2)}${w.title}`);
    const indent = ' '.repeat(6 + width + 2);
    if (check.status !== 'ok') {
      for (const l of (w.detail ?? '').split('\n')) if (l !== '') lines.push(`${indent}${l}`);
      if (w.fix !== undefined) lines.push(`${indent}fix: ${w.fix}`);
    }
  }
  for (const s of report.skipped) {
    lines.push(`${'-'.padEnd(6)}${s.id.padEnd(width + 2)}not checked: needs ${s.after} to pass`);
  }
  const blocking = report.checks.filter((c) => c.status === 'block').length;
  const warnings = report.checks.filter((c) => c.status === 'warn').length;
  const summary =
    worstStatus(report.checks) === 'ok'
      ? 'No problems found: gohot can reload here.'
      : `${blocking === 0 ? 'Nothing blocks reloading' : `${plural(blocking, 'blocking problem')}: gohot cannot reload here until fixed`}; ${plural(warnings, 'warning')}.`;
  lines.push('', summary);
  return lines.join('\n');
}
