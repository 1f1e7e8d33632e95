/**
 * The whole suite as one list of cases, built from the cell-variant list and the options.
 * Both `runConformance` and `describeBackendConformance` run exactly this list.
 */
import { selectCellVariants } from './cell-variants.js';
import { badInputCases } from './checks/bad-input.js';
import { capabilitiesCase } from './checks/capabilities.js';
import { equivalenceCases } from './checks/equivalence.js';
import { directionalGradientCases, elementwiseGradientCases } from './checks/gradient.js';
import { invariantCases } from './checks/invariants.js';
import { type OnnxImportPath, type OnnxVector, onnxVectorCases } from './checks/onnx-vectors.js';
import type { ConformanceCase } from './conformance-case.js';
import type { CheckGroup } from './report.js';

export interface SuiteOptions {
  /** Cell variant names or families (`gru`, `lstm-peepholes`); all when absent. */
  readonly cells?: readonly string[];
  /** Check groups to run; all when absent. */
  readonly groups?: readonly CheckGroup[];
  /**
   * ONNX vectors to run (see `loadOnnxVectors` in `@recurrent/conformance/node`). The Node entry points
   * (`runConformance`, `describeBackendConformance`) default to the vectors bundled with this package.
   */
  readonly vectors?: readonly OnnxVector[];
  /** Override core's ONNX import path (tests). */
  readonly onnxImportPath?: OnnxImportPath;
}

export const checkGroups: readonly CheckGroup[] = [
  'capabilities',
  'gradient',
  'float32-gradient',
  'equivalence',
  'onnx-vectors',
  'invariants',
  'bad-input',
];

export function buildConformanceSuite(options: SuiteOptions = {}): ConformanceCase[] {
  const variants = selectCellVariants(options.cells);
  const cases: ConformanceCase[] = [
    capabilitiesCase,
    ...elementwiseGradientCases(variants),
    ...directionalGradientCases(variants),
    ...equivalenceCases(variants),
    ...onnxVectorCases(options.vectors ?? [], options.onnxImportPath),
    ...invariantCases(variants),
    ...badInputCases(variants),
  ];
  const groups = options.groups;
  return groups ? cases.filter((testCase) => groups.includes(testCase.group)) : cases;
}
