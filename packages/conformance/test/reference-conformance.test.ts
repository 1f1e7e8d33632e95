import { createReferenceBackend } from '@recurrent/core/reference';
import { describeBackendConformance } from '../src/vitest.js';

// The reference backend against itself: every check must hold exactly (and it proves the
// suite runs end to end through the vitest adapter that backend packages use).
describeBackendConformance('reference', () => createReferenceBackend(), {
  expected: { device: 'cpu', dtype: 'float64' },
});
