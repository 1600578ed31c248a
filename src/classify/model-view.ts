import path from 'node:path';
import { embedRootFor, fileRole, type ProjectModel, packageForDir } from '../go/model.js';
import type { ModelView } from './classify.js';

/** The model as classification and the watch filter see it: editable packages only. */
export interface FilterModel extends ModelView {
  /**
   * True for a file the binary can be built from or that decides what it is built from:
   * listed by a closure package, in a closure package's directory, or where an embed
   * pattern looks. Such files are hashed and polled often; the rest only by existence.
   */
  relevant(absPath: string): boolean;
  /** True for a file the build reads whatever its name: listed, or where an embed pattern looks. */
  buildInput(absPath: string): boolean;
  /**
   * True for a directory that holds an embedded file (below it, at any depth): watched even
   * when its name is one the watcher skips (`//go:embed all:static` takes static/.well-known).
   */
  holdsEmbedded(absDir: string): boolean;
}

/** Adapts a listed model; `main` is the main package as the user names it ("./cmd/api"). */
export function modelView(model: ProjectModel, moduleRoot: string, main: string): FilterModel {
  // A package go list did not find counts where it would be: a file created there is listed.
  const editableIn = (dir: string) => {
    const pkg = packageForDir(model, dir);
    return pkg?.editable === true ? pkg.importPath : model.missingDirs.get(dir);
  };
  // The package of the last file's directory: the watcher asks about the files of one
  // directory in a row, so its path is not cut out of every file's path.
  let lastDir: string | undefined;
  let lastPackage: string | undefined;
  const editableInParent = (absPath: string) => {
    const i = absPath.lastIndexOf(path.sep);
    if (lastDir === undefined || i !== lastDir.length || !absPath.startsWith(lastDir)) {
      lastDir = i <= 0 ? path.dirname(absPath) : absPath.slice(0, i);
      lastPackage = editableIn(lastDir);
    }
    return lastPackage;
  };
  const embeddedDirs = new Set<string>();
  for (const [file, { role }] of model.files) {
    if (role.kind !== 'embed') continue;
    for (let d = path.dirname(file); !embeddedDirs.has(d); d = path.dirname(d)) {
      embeddedDirs.add(d);
      if (d === path.dirname(d)) break;
    }
  }
  const view: FilterModel = {
    main,
    fileRole(absPath) {
      const f = fileRole(model, absPath);
      return f === undefined ? undefined : { pkg: f.pkg.importPath, role: f.role.kind };
    },
    packageInDir: editableIn,
    embedRootPackage(absPath) {
      const pkg = embedRootFor(model, absPath);
      return pkg?.editable === true ? pkg.importPath : undefined;
    },
    displayDir(dir) {
      const rel = path.relative(moduleRoot, dir);
      return rel.startsWith('..') ? dir : rel;
    },
    relevant(absPath) {
      return view.buildInput(absPath) || editableInParent(absPath) !== undefined;
    },
    buildInput(absPath) {
      return model.files.has(absPath) || view.embedRootPackage(absPath) !== undefined;
    },
    holdsEmbedded: (absDir) => embeddedDirs.has(absDir),
  };
  return view;
}
