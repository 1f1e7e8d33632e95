import { createDashboardConfig } from './build/dashboard-config.js';

// `reports/` at the repository root, where the conformance CLI writes its reports.
export default createDashboardConfig({ reportsDirectory: new URL('../../reports/', import.meta.url) });
