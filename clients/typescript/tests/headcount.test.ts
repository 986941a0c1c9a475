// @vitest-environment node
// (jsdom's Blob is not the one fetch's FormData knows; in a browser both are native.)
// A headcount CSV through the SDK (multipart), then the report's per-FTE figures, typed.
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  createEntry,
  createFactor,
  createLab,
  getLabReport,
  importHeadcount,
  type HeadcountFigures,
  type HeadcountYearPublic,
} from '../src/client';
import { signIn } from './live';

describe('headcount', () => {
  it('imports a CSV of FTE and the report gives t CO2e per FTE', async () => {
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const key = `test.fte${tag}`;
    await createFactor({
      auth,
      throwOnError: true,
      body: { key, category: 'other', unit: 'kg', kg_co2e_per_unit: '2', scope: 3, year: 2025 },
    });
    const { data: lab } = await createLab({
      auth,
      throwOnError: true,
      body: { name: `TS FTE ${tag}`, code: `TF-${tag.toUpperCase()}` },
    });
    await createEntry({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      body: { date: '2025-05-01', factor_key: key, quantity: '50' },
    });
    const file = new Blob(['year,category,fte\n2025,researchers,3\n2025,students,1\n'], {
      type: 'text/csv',
    });

    const { data: years } = await importHeadcount({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      body: { file },
    });
    expectTypeOf(years).toEqualTypeOf<HeadcountYearPublic[]>();
    expect(years.map((y) => [y.year, y.total_fte])).toEqual([[2025, '4']]);

    const { data: report } = await getLabReport({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      query: { year: 2025 },
    });
    expectTypeOf(report.headcount).toEqualTypeOf<HeadcountFigures | null | undefined>();
    expect(report.headcount?.t_co2e_per_fte).toBe('0.025'); // 100 kg / 1000 / 4 FTE

    const bad = new Blob(['year,category,fte\n2025,wizards,1\n'], { type: 'text/csv' });
    const refused = await importHeadcount({ auth, path: { lab_id: lab.id }, body: { file: bad } });
    expect(refused.response.status).toBe(422);
  });
});
