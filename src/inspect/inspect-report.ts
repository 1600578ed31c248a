import type { ResolvedConfig } from '../config/types.js';
import type { PackageOrigin, ProjectModel } from '../go/model.js';
import type { MainPackage, ResolvedGoProject } from '../go/types.js';
import { describeBackend } from '../report/describe.js';
import type { RecentReload } from '../report/recent-reloads.js';
import type { InotifyLimits } from '../watch/inotify-linux.js';
import type { BackendKind, BackendReason, RootStatus, WatcherStats } from '../watch/types.js';

/** One editable package of the graph: a node. */
export interface GraphNode {
  /** Import path: the node's id. */
  readonly importPath: string;
  /** Absolute directory. */
  readonly dir: string;
  /** Package name ("main", "web"). */
  readonly name: string;
  readonly origin: PackageOrigin;
  /** True for the main package. */
  readonly main: boolean;
  /** Files go list names for it (Go files, embedded files ...). */
  readonly files: number;
  /** Absolute paths of its embedded files, sorted. */
  readonly embedFiles: readonly string[];
}

/** An import of one editable package by another: an edge. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}

/** The package graph restricted to the editable packages (the user's own). */
export interface PackageGraph {
  /** Sorted by import path. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by `from`, then `to`. */
  readonly edges: readonly GraphEdge[];
}

/** The per-user inotify limits (`sysctl fs.inotify.*`); null where unreadable. */
export interface InotifyLimitsJson {
  readonly maxUserWatches: number | null;
  readonly maxUserInstances: number | null;
}

/** inotify watches and descriptors: measured in a running gohot, predicted otherwise. */
export type InotifyReport =
  | {
      /** Read from /proc/self of the running gohot. */
      readonly kind: 'measured';
      readonly watches: number;
      /** inotify instances (descriptors); libuv shares one per event loop. */
      readonly instances: number;
      /** Every open descriptor of the gohot process. */
      readonly descriptors: number;
      readonly openFilesLimit: number | null;
      readonly limits: InotifyLimitsJson;
    }
  | {
      /** What `gohot run` would add: one watch per directory of a natively watched root. */
      readonly kind: 'predicted';
      readonly watches: number;
      readonly openFilesLimit: number | null;
      readonly limits: InotifyLimitsJson;
    };

/** Where the report comes from. */
export type InspectSource =
  /** `gohot inspect` worked it out itself: no gohot was running for the project. */
  | { readonly kind: 'computed' }
  /** The control socket of a running gohot answered. */
  | { readonly kind: 'live'; readonly pid: number; readonly socket: string };

/** One watch root: how it is watched and why, in values and in words. */
export interface InspectRoot {
  readonly root: string;
  readonly backend: BackendKind;
  readonly reason: BackendReason;
  readonly pollIntervalMs: number | null;
  /** The reason as the start-up line words it. */
  readonly text: string;
}

/** Version of the inspect document; bumped on any incompatible change. */
export const INSPECT_JSON_VERSION = 1;

/**
 * Everything `gohot inspect` shows: the `--json` document and the `inspect` answer of the
 * control socket (docs/inspect.md). Every field is always present (`null` when unknown).
 */
export interface InspectDocument {
  readonly version: typeof INSPECT_JSON_VERSION;
  readonly source: InspectSource;
  readonly goVersion: string;
  readonly moduleRoot: string;
  readonly workFile: string | null;
  readonly main: MainPackage;
  readonly configSource: string | null;
  /** `watch.patterns` in effect, in order. */
  readonly patterns: readonly string[];
  /** `watch.restartOnly` in effect. */
  readonly restartOnly: readonly string[];
  readonly roots: readonly InspectRoot[];
  readonly walkedDirs: number;
  /** Directories with an inotify watch (in a computed report: directories of native roots). */
  readonly watchedDirs: number;
  readonly trackedFiles: number;
  readonly hotFiles: number;
  readonly coldFiles: number;
  /** Directory trees polled: polled roots and subtrees whose watch could not be added. */
  readonly polledTrees: number;
  readonly inotify: InotifyReport;
  /** null when go list could not list the main package (see `modelProblem`). */
  readonly graph: PackageGraph | null;
  readonly modelProblem: string | null;
  /** Every embedded file of the editable packages, sorted. */
  readonly embedFiles: readonly string[];
  /** The last reloads, oldest first; empty in a computed report. */
  readonly reloads: readonly RecentReload[];
}

/** What a document is made from, in `inspect` and in a running session alike. */
export interface InspectInputs {
  readonly source: InspectSource;
  readonly project: ResolvedGoProject;
  readonly config: ResolvedConfig;
  readonly main: MainPackage;
  readonly roots: readonly RootStatus[];
  readonly stats: Pick<
    WatcherStats,
    'walkedDirs' | 'watchedDirs' | 'trackedFiles' | 'hotFiles' | 'coldFiles' | 'polledTrees'
  >;
  readonly inotify: InotifyReport;
  readonly model: ProjectModel | undefined;
  readonly modelProblem: string | undefined;
  readonly reloads: readonly RecentReload[];
}

/** Assembles the document. Pure. */
export function buildInspectDocument(i: InspectInputs): InspectDocument {
  const graph = i.model === undefined ? null : packageGraph(i.model);
  return {
    version: INSPECT_JSON_VERSION,
    source: i.source,
    goVersion: i.project.version.raw,
    moduleRoot: i.project.moduleRoot,
    workFile: i.project.workFile ?? null,
    main: { importPath: i.main.importPath, dir: i.main.dir, relPath: i.main.relPath },
    configSource: i.config.source ?? null,
    patterns: i.config.watch.patterns,
    restartOnly: i.config.watch.restartOnly,
    roots: i.roots.map((r) => ({
      root: r.root,
      backend: r.backend,
      reason: r.reason,
      pollIntervalMs: r.pollIntervalMs ?? null,
      text: describeBackend(r),
    })),
    walkedDirs: i.stats.walkedDirs,
    watchedDirs: i.stats.watchedDirs,
    trackedFiles: i.stats.trackedFiles,
    hotFiles: i.stats.hotFiles,
    coldFiles: i.stats.coldFiles,
    polledTrees: i.stats.polledTrees,
    inotify: i.inotify,
    graph,
    modelProblem: i.modelProblem ?? null,
    embedFiles: graph === null ? [] : graph.nodes.flatMap((n) => n.embedFiles).sort(byString),
    reloads: i.reloads,
  };
}

/** The limits as the document carries them. */
export function limitsJson(limits: InotifyLimits): InotifyLimitsJson {
  return {
    maxUserWatches: limits.maxUserWatches ?? null,
    maxUserInstances: limits.maxUserInstances ?? null,
  };
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The model's editable packages and the imports among them. A package without a directory
 * (one go list did not find) is no node: there is nothing of it to edit yet.
 */
export function packageGraph(model: ProjectModel): PackageGraph {
  const editable = [...model.packages.values()].filter((p) => p.editable && p.dir !== undefined);
  const ids = new Set(editable.map((p) => p.importPath));
  const nodes = editable
    .map((p): GraphNode => {
      const embedFiles = [...p.files]
        .filter(([, role]) => role.kind === 'embed')
        .map(([file]) => file)
        .sort(byString);
      return {
        importPath: p.importPath,
        dir: p.dir!,
        name: p.name,
        origin: p.origin,
        main: p.importPath === model.mainImportPath,
        files: p.files.size,
        embedFiles,
      };
    })
    .sort((a, b) => byString(a.importPath, b.importPath));
  const edges = nodes
    .flatMap((n) =>
      model.packages
        .get(n.importPath)!
        .imports.filter((to) => ids.has(to) && to !== n.importPath)
        .map((to) => ({ from: n.importPath, to })),
    )
    .sort((a, b) => byString(a.from, b.from) || byString(a.to, b.to));
  return { nodes, edges };
}
