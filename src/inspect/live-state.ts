import path from 'node:path';
import { type ControlServer, startControlServer } from '../control/server.js';
import { CONTROL_DIR, socketPathFor } from '../control/socket-path.js';
import { liveModelMissingText } from '../report/inspect-text.js';
import type { RecentReloads } from '../report/recent-reloads.js';
import { ensurePrivateDir, openStateDir } from '../run/state-dir.js';
import type { SessionTopology } from '../session/session.js';
import { readInotifyLimits, readInotifyUsage, readOpenFilesLimit } from '../watch/inotify-linux.js';
import { buildInspectDocument, type InspectDocument, limitsJson } from './inspect-report.js';

/** What the control socket of a running gohot answers from. */
export interface LiveSources {
  /** The session's state at the moment of the request. */
  readonly topology: () => SessionTopology;
  readonly reloads: RecentReloads;
}

/** The live inspect document of this process's session, measured now. */
export function liveInspectDocument(live: LiveSources, socket: string): InspectDocument {
  const t = live.topology();
  const usage = readInotifyUsage('self');
  return buildInspectDocument({
    source: { kind: 'live', pid: process.pid, socket },
    project: t.project,
    config: t.config,
    main: t.main,
    roots: t.roots,
    stats: t.stats,
    inotify: {
      kind: 'measured',
      watches: usage.inotifyWatches,
      instances: usage.inotifyFds,
      descriptors: usage.fds,
      openFilesLimit: readOpenFilesLimit() ?? null,
      limits: limitsJson(readInotifyLimits()),
    },
    model: t.model,
    modelProblem: t.model === undefined ? liveModelMissingText() : undefined,
    reloads: live.reloads.list(),
  });
}

/**
 * Opens the control socket of this gohot for the project at `moduleRoot`:
 * `<state dir>/ctl/<hash of the module root>-<pid>.sock`, in directories private to the
 * user (docs/inspect.md#security). Answers `hello` and `inspect`.
 */
export async function serveInspect(
  moduleRoot: string,
  live: LiveSources,
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.geteuid?.() ?? 0,
): Promise<ControlServer> {
  const controlDir = ensurePrivateDir(path.join(openStateDir(env, uid), CONTROL_DIR), uid);
  const socket = socketPathFor(controlDir, moduleRoot, process.pid);
  return await startControlServer({
    socketPath: socket,
    uid,
    handle: (request) =>
      request.method === 'hello'
        ? { pid: process.pid, moduleRoot }
        : liveInspectDocument(live, socket),
  });
}
