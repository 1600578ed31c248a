/**
 * `gohot init` and `gohot init --from-air`: the I/O around the pure starter and
 * conversion. Finds the module, lists its main packages, builds the config, checks it with
 * the real config loader, and writes gohot.json without ever replacing one (unless told).
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDisplayPath } from '../config/display-path.js';
import { parseConfigText } from '../config/load-config.js';
import { readConfigFile } from '../config/read-config-file.js';
import { errnoCode, GohotError } from '../errors.js';
import { resolveGoProject } from '../go/go-env.js';
import { findMainPackages, toRelPath } from '../go/main-package.js';
import { type AirConversion, isOtherToolConfig } from './air-notes.js';
import { convertAir } from './convert-air.js';
import { AIR_CONFIG_NAME, readAirToml } from './read-air-toml.js';
import { chooseStarterMain, type MainChoice, starterConfig } from './starter.js';

/** What `gohot init` was asked to do. */
export interface InitOptions {
  /** Directory gohot runs in (after -C). */
  readonly cwd: string;
  /** Convert this `.air.toml` (relative to the cwd); `true` means the module root's. */
  readonly fromAir: string | true | undefined;
  /** Replace an existing gohot.json. @default false */
  readonly force: boolean;
  /** Print the JSON, write nothing. @default false */
  readonly dryRun: boolean;
  readonly signal?: AbortSignal;
}

/** What `gohot init` did; src/report/init-text.ts says it. */
export type InitResult = {
  /** Absolute path of gohot.json. */
  readonly target: string;
  readonly written: boolean;
  /** The file's text, as written (or as it would be). */
  readonly text: string;
  /** Where the README's key table is (in the installed package). */
  readonly readme: string;
  /** The `$schema` written: relative inside the module, else absolute. */
  readonly schema: string;
} & (
  | {
      readonly kind: 'starter';
      readonly choice: MainChoice;
      /** The module root has a `.air.toml`, which `--from-air` would convert. */
      readonly airConfig: boolean;
    }
  | { readonly kind: 'air'; readonly source: string; readonly conversion: AirConversion }
);

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `gohot init`. @throws GohotError `INIT_*`, `AIR_*`, and the start-up's Go errors. */
export async function runInit(options: InitOptions): Promise<InitResult> {
  const project = await resolveGoProject(options.cwd, { signal: options.signal });
  const root = project.moduleRoot;
  const target = path.join(root, 'gohot.json');
  if (!options.force && !options.dryRun) await refuseExisting(target);
  const listed = await findMainPackages(project, { signal: options.signal });
  const mains = listed.map((m) => toRelPath(root, m.dir));
  const here = listed.find((m) => m.dir === path.resolve(options.cwd));
  const choice = chooseStarterMain(
    mains,
    here === undefined ? undefined : toRelPath(root, here.dir),
  );
  const schema = schemaRef(root);
  const readme = path.join(PACKAGE_ROOT, 'README.md#keys');

  let result: InitResult;
  if (options.fromAir === undefined) {
    const text = `${JSON.stringify(starterConfig(choice, schema), null, 2)}\n`;
    const airConfig = await stat(path.join(root, AIR_CONFIG_NAME)).then(
      (st) => st.isFile(),
      () => false,
    );
    result = { kind: 'starter', target, written: false, text, readme, schema, choice, airConfig };
  } else {
    const source =
      options.fromAir === true
        ? path.join(root, AIR_CONFIG_NAME)
        : path.resolve(options.cwd, options.fromAir);
    const doc = await readAirToml(source);
    const ordered =
      choice.by === 'none' ? [] : [choice.main, ...mains.filter((m) => m !== choice.main)];
    const conversion = convertAir(doc, { mains: ordered, schema });
    if (isOtherToolConfig(conversion)) {
      throw new GohotError(
        'AIR_NOT_AIR_CONFIG',
        `${configDisplayPath(source)} has no key air reads (${conversion.notes
          .filter((n) => n.defaulted !== true)
          .map((n) => n.key)
          .slice(0, 4)
          .join(', ')}): it looks like the config of another tool.`,
        'Point --from-air at the .air.toml of air (github.com/air-verse/air), or run `gohot init` for a starter gohot.json.',
      );
    }
    const text = `${JSON.stringify(conversion.config, null, 2)}\n`;
    result = { kind: 'air', target, written: false, text, readme, schema, source, conversion };
  }
  // The file must load exactly as gohot will read it; a failure here is a bug in init.
  parseConfigText(result.text, configDisplayPath(target));
  if (options.dryRun) return result;
  await write(target, result.text, options.force);
  return { ...result, written: true };
}

/** `$schema`: the schema of this gohot, relative to the module when gohot is installed in it. */
function schemaRef(moduleRoot: string): string {
  const schema = path.join(PACKAGE_ROOT, 'schema', 'gohot.schema.json');
  const rel = path.relative(moduleRoot, schema);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return schema;
  return `./${rel.split(path.sep).join('/')}`;
}

async function refuseExisting(target: string): Promise<void> {
  const existing = await readConfigFile(target).catch(() => '');
  if (existing !== undefined) throw exists(target);
}

function exists(target: string): GohotError {
  return new GohotError(
    'INIT_CONFIG_EXISTS',
    `${configDisplayPath(target)} exists already, and gohot init does not replace it.`,
    'Run with --dry-run to see what it would write, or --force to replace the file.',
  );
}

async function write(target: string, text: string, force: boolean): Promise<void> {
  try {
    // "wx" fails when the file appeared since the check: never replace it unasked.
    await writeFile(target, text, { flag: force ? 'w' : 'wx', mode: 0o644 });
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw exists(target);
    throw new GohotError(
      'INIT_WRITE_FAILED',
      `gohot could not write ${configDisplayPath(target)} (${errnoCode(err) ?? String(err)}).`,
      'Check that the module directory is writable, or run with --dry-run and save the output yourself.',
      { cause: err },
    );
  }
}
