import { stat } from 'node:fs/promises';
import path from 'node:path';
import { goBuildFlags } from '../config/build-flags.js';
import { envFromFiles } from '../config/dotenv.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { resolveGoProject } from '../go/go-env.js';
import { type ListSpec, loadProjectModel } from '../go/list.js';
import { resolveMainPackage, toRelPath } from '../go/main-package.js';
import type { ProjectModel } from '../go/model.js';
import type { MainPackage, ResolvedGoProject } from '../go/types.js';
import { AIR_CONFIG_NAME } from '../init/read-air-toml.js';

const CONFIG_FILE_NAMES = ['gohot.json', 'codebuddy.json'] as const;

/** Everything gohot decides before it starts anything: project, config and main package. */
export interface StartupResolution {
  readonly project: ResolvedGoProject;
  readonly config: ResolvedConfig;
  readonly main: MainPackage;
  /** Absolute paths of the config files gohot reads (gohot.json, codebuddy.json). */
  readonly configFiles: ReadonlySet<string>;
  /** The module's `.air.toml` when there is no config file: `gohot init --from-air` converts it. */
  readonly airConfig: string | undefined;
}

/** Where gohot runs and what the command line asked for. */
export interface StartupInput {
  /** Directory gohot was started in (after -C). */
  readonly cwd: string;
  readonly overrides: ConfigOverrides;
}

/**
 * Resolves the project, config and main package without starting, writing or watching
 * anything, so `explain` and `inspect` can call it too. Throws the start-up's GohotErrors.
 */
export async function resolveStartup(
  input: StartupInput,
  signal?: AbortSignal,
): Promise<StartupResolution> {
  const { project, config, configFiles, airConfig } = await resolveProjectConfig(input, signal);
  const main = await resolveMain(input, project, config, signal);
  return { project, config, main, configFiles, airConfig };
}

/** The project and config without a main package (`gohot test` needs none). */
export async function resolveProjectConfig(
  input: StartupInput,
  signal?: AbortSignal,
): Promise<Omit<StartupResolution, 'main'>> {
  const project = await resolveGoProject(input.cwd, { signal });
  const loaded = await loadConfig(project.moduleRoot);
  const config = resolveConfig(loaded.file, loaded.path, input.overrides);
  const configFiles = new Set(CONFIG_FILE_NAMES.map((n) => path.join(project.moduleRoot, n)));
  const airConfig = loaded.kind === 'none' ? await findAirConfig(project.moduleRoot) : undefined;
  return { project, config, configFiles, airConfig };
}

/** The module root's `.air.toml`, when it is a file. */
async function findAirConfig(moduleRoot: string): Promise<string | undefined> {
  const file = path.join(moduleRoot, AIR_CONFIG_NAME);
  return (await stat(file).then(
    (s) => s.isFile(),
    () => false,
  ))
    ? file
    : undefined;
}

/** The module directories gohot classifies module files in: watch roots and go.work's. */
export function moduleRootsOf(project: ResolvedGoProject): string[] {
  return [
    ...project.watchRoots,
    ...(project.workFile === undefined ? [] : [path.dirname(project.workFile)]),
  ];
}

/**
 * The main package for a config. A package on the command line (or none: ".") is relative
 * to where gohot runs; "main" in gohot.json is relative to the module root, where the file
 * lives.
 */
export function resolveMain(
  input: StartupInput,
  project: ResolvedGoProject,
  config: ResolvedConfig,
  signal?: AbortSignal,
): Promise<MainPackage> {
  const fromFile = input.overrides.main === undefined && config.main !== undefined;
  return resolveMainPackage(project, config.main, {
    cwd: fromFile ? project.moduleRoot : input.cwd,
    tags: config.build.tags,
    signal,
  });
}

/**
 * Lists the package graph of `main` the way its build sees it: in the module root, with the
 * build's flags, tags and environment (docs/facts.md#go-list-and-the-project-model).
 */
export function listProjectModel(
  project: ResolvedGoProject,
  config: ResolvedConfig,
  main: MainPackage,
  signal?: AbortSignal,
): Promise<ProjectModel> {
  const spec: ListSpec = {
    goBin: project.goBin,
    cwd: project.moduleRoot,
    pkg: toRelPath(project.moduleRoot, main.dir),
    flags: goBuildFlags(config.build),
    tags: config.build.tags,
    env: {
      ...envFromFiles(config.build.envFiles, project.moduleRoot, process.env),
      ...process.env,
      ...config.build.env,
    },
  };
  return loadProjectModel(spec, modelContextOf(project), signal);
}

/** What a listing of `project` is built against (GOROOT, GOMODCACHE, module roots). */
export function modelContextOf(project: ResolvedGoProject) {
  return {
    goroot: project.env.GOROOT,
    gomodcache: project.env.GOMODCACHE,
    moduleRoots: moduleRootsOf(project),
  };
}
