// The report's 95 % intervals, scope 2 by basis and a reduction target through the SDK.
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  createEntry,
  createFactor,
  createLab,
  getLabReport,
  getTargetProgress,
  replaceTarget,
  type ReplaceTargetError,
  type Scope2Basis,
  type TargetProgress,
  type Uncertainty,
} from '../src/client';
import { signIn } from './live';

describe('report figures and targets', () => {
  it('a report has typed intervals and scope 2 by basis; a target has a typed path', async () => {
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const bases: [string, string, Scope2Basis][] = [
      [`test.grid${tag}`, '0.1', 'location'],
      [`test.contract${tag}`, '0.02', 'market'],
    ];
    for (const [key, kg, basis] of bases) {
      await createFactor({
        auth,
        throwOnError: true,
        body: {
          key,
          category: 'electricity',
          unit: 'kWh',
          kg_co2e_per_unit: kg,
          scope: 2,
          year: 2025,
          uncertainty_pct: '10',
          basis,
        },
      });
    }
    const { data: lab } = await createLab({
      auth,
      throwOnError: true,
      body: { name: `TS ${tag}`, code: `TS-${tag.toUpperCase()}` },
    });
    for (const [key] of bases) {
      await createEntry({
        auth,
        throwOnError: true,
        path: { lab_id: lab.id },
        body: { date: '2025-02-01', factor_key: key, quantity: '1000' },
      });
    }

    const { data: report } = await getLabReport({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      query: { year: 2025 },
    });

    expectTypeOf(report.uncertainty).toEqualTypeOf<Uncertainty>();
    expect(report.total_kg_co2e).toBe('100');
    expect(report.uncertainty).toMatchObject({ low_kg_co2e: '90', high_kg_co2e: '110' });
    expect(report.scope2_headline_basis).toBe('location');
    expect(report.scope2_by_basis.map((b) => [b.basis, b.in_headline, b.kg_co2e])).toEqual([
      ['location', true, '100'],
      ['market', false, '20'],
    ]);

    await replaceTarget({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      body: { baseline_year: 2025, target_year: 2030, reduction_pct: '50' },
    });
    const { data: progress } = await getTargetProgress({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
    });
    expectTypeOf(progress).toEqualTypeOf<TargetProgress>();
    expect(progress.years.slice(0, 2).map((y) => [y.year, y.path_kg_co2e])).toEqual([
      [2025, '100'],
      [2026, '90'],
    ]);

    const { error, response } = await replaceTarget({
      auth,
      path: { lab_id: lab.id },
      body: { baseline_year: 2025, target_year: 2025, reduction_pct: '50' },
    });
    expectTypeOf(error).toEqualTypeOf<ReplaceTargetError | undefined>();
    expect(response.status).toBe(422);
  });
});
