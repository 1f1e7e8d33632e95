import { recurrentProject } from '@recurrent/vitest-config/project';

export default recurrentProject('dashboard');
