import { existsSync } from 'node:fs';
import path from 'node:path';
import { type DecisionInputs, watchFilterOf } from '../classify/contexts.js';
import { modelView } from '../classify/model-view.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { createRootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { resolveGoProject } from '../go/go-env.js';
import { editableDirsOutside, modelUsability, type ProjectModel } from '../go/model.js';
import { defaultGoBin } from '../go/run-go.js';
import type { MainPackage, ResolvedGoProject } from '../go/types.js';
import { describeModelKept } from '../report/describe.js';
import { errorInfo } from '../report/events.js';
import { listProjectModel, resolveMain } from '../session/resolve-startup.js';
import { readInotifyLimits } from '../watch/inotify-linux.js';
import {
  ccExecutable,
  checkCgo,
  checkGoCache,
  checkGoFlags,
  checkGoProxy,
  splitGoFlags,
} from './build-env-checks.js';
import {
  findExecutable,
  findNearbyModules,
  goFlagsRejection,
  isToolchainCached,
  loadGoEnvFacts,
  loadVersionLines,
  localToolchainEnv,
  probeWritable,
  readOptional,
  vendorListError,
} from './gather-go.js';
import { countWatchedDirs, decideRootBackend, probeMtimes } from './gather-watch.js';
import {
  checkModule,
  checkPackages,
  checkStep,
  checkVendor,
  lastModFlag,
  type StepResult,
} from './project-checks.js';
import { checkGo, checkToolchain, effectiveGoToolchain } from './toolchain-checks.js';
import type { CheckId, DoctorCheck, DoctorReport, StepError } from './types.js';
import { readOpenFilesLimits, readUserInotifyUse } from './user-limits-linux.js';
import { checkBackend, checkInotify, checkMtime, checkOpenFiles } from './watch-checks.js';

/** What `gohot doctor` was asked. */
export interface DoctorRequest {
  /** Directory to check (after -C). */
  readonly cwd: string;
  /** The flags `gohot run` would get (tags, build flags, --poll). */
  readonly overrides: ConfigOverrides;
  /** Environment of every go command. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

async function step<T>(work: () => Promise<T>): Promise<StepResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const info = errorInfo(err);
    const error: StepError = {
      code: info.code ?? 'UNEXPECTED',
      message: info.message,
      hint: info.hint,
    };
    return { ok: false, error };
  }
}

/**
 * Gathers the facts `gohot run` depends on, through the same resolution steps (go env,
 * project, config, main package, go list, the watcher's walk), and judges each with a pure
 * check. A failing step becomes a check result, and the checks that need its value are
 * listed as skipped. Never downloads a toolchain: go commands that could switch run with
 * GOTOOLCHAIN=local unless the toolchain check found nothing to switch to.
 */
export async function runDoctor(req: DoctorRequest): Promise<DoctorReport> {
  const env = req.env ?? process.env;
  const cwd = path.resolve(req.cwd);
  const checks: DoctorCheck[] = [];
  const skipped: { id: CheckId; after: CheckId }[] = [];
  const skip = (after: CheckId, ...ids: CheckId[]) => {
    for (const id of ids) skipped.push({ id, after });
  };
  const goBin = defaultGoBin(env);

  const goFacts = await loadGoEnvFacts(goBin, cwd, env);
  const goCheck = checkGo(goFacts.probe);
  checks.push(goCheck);
  const goEnv = goFacts.env;
  let project: StepResult<ResolvedGoProject> | undefined;
  let config: ResolvedConfig | undefined;
  let model: ProjectModel | undefined;
  let main: StepResult<MainPackage> | undefined;

  if (goCheck.status === 'block' || goEnv === undefined || goFacts.probe.status !== 'found') {
    skip('go', 'toolchain', 'module', 'config', 'main', 'packages');
    skip('go', 'goflags', 'goproxy', 'vendor', 'cgo', 'gocache');
  } else {
    const lines = await loadVersionLines(goBin, goEnv, existsSync(cwd) ? cwd : '/', env);
    const toolchain = checkToolchain({
      local: goFacts.probe.version,
      gotoolchain: effectiveGoToolchain(
        env,
        await readOptional(goEnv.GOENV),
        await readOptional(path.join(goEnv.GOROOT, 'go.env')),
      ),
      goLine: lines.goLine,
      toolchainLine: lines.toolchainLine,
      file: lines.file,
      goproxy: goEnv.GOPROXY,
      onPath: (name) => findExecutableSync(name, env),
      isCached: (name) => isToolchainCached(name, goEnv),
    });
    checks.push(toolchain);
    const canSwitch = toolchain.status === 'ok';
    const goEnvForProject = canSwitch ? env : localToolchainEnv(env);

    project = await step(() => resolveGoProject(cwd, { goBin, env: goEnvForProject }));
    const nearby =
      !project.ok && project.error.code === 'NO_GO_MOD' ? await findNearbyModules(cwd) : [];
    checks.push(
      checkModule({
        cwd,
        project,
        go111module: goEnv.GO111MODULE,
        gopath: goEnv.GOPATH,
        nearby,
      }),
    );

    if (!project.ok) skip('module', 'config', 'main', 'packages');
    else {
      const resolved = project.value;
      const configStep = await step(async () => {
        const loaded = await loadConfig(resolved.moduleRoot);
        return resolveConfig(loaded.file, loaded.path, req.overrides);
      });
      checks.push(
        checkStep('config', configStep, (c) => ({ kind: 'config-loaded', source: c.source })),
      );
      if (!configStep.ok) skip('config', 'main', 'packages');
      else if (!canSwitch) {
        config = configStep.value;
        // go list would switch (download) toolchains here.
        skip('toolchain', 'main', 'packages');
      } else {
        config = configStep.value;
        const cfg = config;
        main = await step(() => resolveMain({ cwd, overrides: req.overrides }, resolved, cfg));
        checks.push(
          checkStep('main', main, (m) => ({
            kind: 'main-found',
            relPath: m.relPath,
            importPath: m.importPath,
          })),
        );
        if (!main.ok) skip('main', 'packages');
        else {
          const mainPkg = main.value;
          const listed = await step(async () => {
            const m = await listProjectModel(resolved, cfg, mainPkg);
            const usability = modelUsability(m);
            if (!usability.usable) {
              throw new Error(
                describeModelKept({ by: usability.reason, error: usability.error }, false),
              );
            }
            return m;
          });
          if (listed.ok) model = listed.value;
          checks.push(
            checkPackages(listed.ok ? { ok: true, value: listed.value.packages.size } : listed),
          );
        }
      }
    }

    // The build's own environment: gohot.json build.env on top of the caller's.
    const buildEnv =
      config !== undefined && Object.keys(config.build.env).length > 0
        ? { ...env, ...config.build.env }
        : undefined;
    const buildGoEnv =
      buildEnv === undefined ? goEnv : ((await loadGoEnvFacts(goBin, cwd, buildEnv)).env ?? goEnv);
    const effectiveEnv = buildEnv ?? env;
    checks.push(checkGoFlags(buildGoEnv.GOFLAGS, await goFlagsRejection(goBin, effectiveEnv)));
    checks.push(checkGoProxy(buildGoEnv.GOPROXY, buildGoEnv.GOFLAGS));
    if (project.ok) {
      const root = project.value.moduleRoot;
      const hasVendor = existsSync(path.join(root, 'vendor', 'modules.txt'));
      const modFlag = lastModFlag(splitGoFlags(buildGoEnv.GOFLAGS), config?.build.flags ?? []);
      const vendorMode = hasVendor && (modFlag === undefined || modFlag === '-mod=vendor');
      checks.push(
        checkVendor({
          hasVendor,
          modFlag,
          listError: vendorMode
            ? await vendorListError(goBin, root, effectiveEnv).catch(() => undefined)
            : undefined,
        }),
      );
    } else skip('module', 'vendor');
    const cc = ccExecutable(buildGoEnv.CC);
    checks.push(
      checkCgo({
        cgoEnabled: buildGoEnv.CGO_ENABLED,
        cc: buildGoEnv.CC,
        found: await findExecutable(cc, effectiveEnv),
      }),
    );
    checks.push(checkGoCache(buildGoEnv.GOCACHE, await probeWritable(buildGoEnv.GOCACHE)));
  }

  const mainPkg = main?.ok ? main.value : undefined;
  checks.push(...(await watchChecks(cwd, req.overrides, project, config, model, mainPkg)));
  return { cwd, checks, skipped };
}

function findExecutableSync(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .some((d) => d !== '' && existsSync(path.join(d, name)));
}

/**
 * inotify, file systems, mtimes and `ulimit -n`, for the roots `gohot run` would watch
 * (without a project: the directory itself), with its filter.
 */
async function watchChecks(
  cwd: string,
  overrides: ConfigOverrides,
  project: StepResult<ResolvedGoProject> | undefined,
  config: ResolvedConfig | undefined,
  model: ProjectModel | undefined,
  main: MainPackage | undefined,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const resolved = project?.ok ? project.value : undefined;
  const cfg = config ?? resolveConfig(undefined, undefined, overrides);
  const baseRoots = resolved?.watchRoots ?? (existsSync(cwd) ? [cwd] : []);
  const roots = [
    ...baseRoots,
    ...(model === undefined ? [] : editableDirsOutside(model, baseRoots)),
  ];
  const view =
    model === undefined || resolved === undefined || main === undefined
      ? undefined
      : modelView(model, resolved.moduleRoot, main.relPath);
  const inputs: DecisionInputs = {
    roots,
    workFile: resolved?.workFile,
    configFiles: new Set(
      ['gohot.json', 'codebuddy.json'].map((n) => path.join(resolved?.moduleRoot ?? cwd, n)),
    ),
    matcher: createRootsMatcher(roots, cfg.watch.patterns),
    restartMatcher: createRootsMatcher(roots, cfg.watch.restartOnly),
    model: () => view,
    lineShifts: cfg.watch.lineShifts,
  };
  const forcedBy = overrides.backendSource ?? 'watch.poll in the config';
  const backends = await Promise.all(
    roots.map(async (root) => ({
      path: root,
      ...(await decideRootBackend(root, cfg.watch.backend, forcedBy)),
    })),
  );
  const dirs = await countWatchedDirs(backends, watchFilterOf(inputs, undefined));
  checks.push(
    checkInotify({
      limits: readInotifyLimits(),
      inUse: readUserInotifyUse(process.geteuid?.() ?? 0),
      dirs,
    }),
  );
  for (const b of backends) checks.push(checkBackend(b.path, b.backend, b.reason));
  for (const root of roots) checks.push(checkMtime(root, await probeMtimes(root)));
  checks.push(checkOpenFiles(readOpenFilesLimits()));
  return checks;
}
