import { describe, expect, it } from 'vitest';
import { listReports } from '../build/reports-plugin.js';

describe('listReports', () => {
  it('lists the report files by name, without latest.json (a copy of the newest)', async () => {
    const index = await listReports(new URL('./fixtures/reports/', import.meta.url));
    expect(index.reports).toEqual([
      '2025-12-01T00-00-00.000Z-old-schema.json',
      '2025-12-02T00-00-00.000Z-truncated.json',
      '2026-01-10T09-00-00.000Z.json',
      '2026-02-10T09-00-00.000Z.json',
    ]);
  });

  it('treats a missing folder as no reports (a fresh clone)', async () => {
    expect(await listReports(new URL('./fixtures/no-such-folder/', import.meta.url))).toEqual({
      reports: [],
    });
  });
});
