import type { ProjectModel } from '../go/model.js';
import { testDataPackage } from '../go/test-graph.js';
import { type FilterModel, modelView } from './model-view.js';

/**
 * The model as `gohot test` classification sees it: the test graph's model (test files
 * are files of their package) plus the files below each package's testdata directory,
 * which its tests may read. `label` names the selection where `run` names the main package.
 */
export function testModelView(model: ProjectModel, moduleRoot: string, label: string): FilterModel {
  const base = modelView(model, moduleRoot, label);
  return {
    ...base,
    fileRole(absPath) {
      const listed = base.fileRole(absPath);
      if (listed !== undefined) return listed;
      const pkg = testDataPackage(model, absPath);
      return pkg === undefined ? undefined : { pkg, role: 'test-data' };
    },
    relevant: (absPath) => base.relevant(absPath) || testDataPackage(model, absPath) !== undefined,
    buildInput: (absPath) =>
      base.buildInput(absPath) || testDataPackage(model, absPath) !== undefined,
  };
}
