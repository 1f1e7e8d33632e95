/**
 * The backend states what it is (`backend.info`), and that statement must match what the
 * caller asked for: a gpu.js backend that quietly became CPU fails here, by name.
 */
import type { ConformanceCase } from '../conformance-case.js';

const dtypes = ['float32', 'float64'];

export const capabilitiesCase: ConformanceCase = {
  id: 'capabilities/info/declared',
  group: 'capabilities',
  subject: 'backend.info',
  configuration: 'declared',
  async run({ backend, expected }) {
    const info = backend.info;
    const problems: string[] = [];
    if (typeof info?.name !== 'string' || info.name.length === 0) {
      problems.push(`info.name is ${JSON.stringify(info?.name)}; expected a non-empty string`);
    }
    if (!dtypes.includes(info?.dtype)) {
      problems.push(`info.dtype is ${JSON.stringify(info?.dtype)}; expected 'float32' or 'float64'`);
    }
    if (typeof info?.device !== 'string' || info.device.length === 0) {
      problems.push(`info.device is ${JSON.stringify(info?.device)}; expected where the work runs`);
    }
    if (typeof info?.deterministic !== 'boolean') {
      problems.push(`info.deterministic is ${JSON.stringify(info?.deterministic)}; expected a boolean`);
    }
    const allowed = expected?.device === undefined ? undefined : [expected.device].flat();
    if (allowed !== undefined && !allowed.includes(info?.device)) {
      problems.push(
        `info.device is '${info?.device}' but '${allowed.join("' or '")}' was requested: the backend runs somewhere other than asked`,
      );
    }
    if (expected?.dtype !== undefined && info?.dtype !== expected.dtype) {
      problems.push(`info.dtype is '${info?.dtype}' but '${expected.dtype}' was requested`);
    }
    const stated = `${info?.name} ${info?.dtype} on ${info?.device}${info?.adapter ? ` (${info.adapter})` : ''}`;
    return problems.length === 0
      ? { kind: 'verdict', passed: true, message: `states ${stated}` }
      : { kind: 'verdict', passed: false, message: problems.join('; '), failing: 'backend.info' };
  },
};
