import { describe, expect, it } from 'vitest';
import { listReports } from '../build/reports-plugin.js';

describe('listReports', () => {
  it('lists conformance and experiments reports apart, without the latest copies', async () => {
    const index = await listReports(new URL('./fixtures/reports/', import.meta.url));
    expect(index.reports).toEqual([
      '2025-12-01T00-00-00.000Z-old-schema.json',
      '2025-12-02T00-00-00.000Z-truncated.json',
      '2026-01-10T09-00-00.000Z.json',
      '2026-02-10T09-00-00.000Z.json',
    ]);
    // latest.json and experiments-latest.json are copies of the newest report of each kind.
    expect(index.experiments).toEqual([
      'experiments-2025-12-03T00-00-00.000Z-unknown-version.json',
      'experiments-2026-01-05T09-00-00.000Z-constructed.json',
      'experiments-2026-11-25T07-31-06-951Z.json',
    ]);
  });

  it('treats a missing folder as no reports (a fresh clone)', async () => {
    expect(await listReports(new URL('./fixtures/no-such-folder/', import.meta.url))).toEqual({
      reports: [],
      experiments: [],
    });
  });
});
