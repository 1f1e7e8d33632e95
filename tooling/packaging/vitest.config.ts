import { recurrentProject } from '@recurrent/vitest-config/project';

// Packing and installing takes seconds, not milliseconds; the work happens once in beforeAll.
export default recurrentProject('packaging', { testTimeout: 120_000, hookTimeout: 180_000 });
