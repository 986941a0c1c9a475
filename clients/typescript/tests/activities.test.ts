// Typed activities through the generated SDK: the request union on `kind`, and the response's
// `activity` narrowed on its own `kind`.
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  createEntry,
  createFactor,
  createLab,
  type EntryPublic,
  type FlightActivity,
  type RefrigerantActivity,
} from '../src/client';
import { signIn } from './live';

describe('typed activities', () => {
  it('a refrigerant entry narrows to its activity; a bad gas names its field', async () => {
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const gas = `TS${tag}`;
    await createFactor({
      auth,
      body: {
        key: `gas.ar6.${gas}`,
        category: 'other',
        unit: 'kg',
        kg_co2e_per_unit: '771',
        scope: 1,
        year: 2020,
      },
      throwOnError: true,
    });
    const { data: lab } = await createLab({
      auth,
      body: { name: `TS activities ${tag}`, code: `TA-${tag.toUpperCase()}` },
      throwOnError: true,
    });

    const { data: entry } = await createEntry({
      auth,
      path: { lab_id: lab.id },
      body: { kind: 'refrigerant', date: '2020-04-01', gas, kg: '1.5' },
      throwOnError: true,
    });

    expectTypeOf(entry).toEqualTypeOf<EntryPublic>();
    expect(entry.kind).toBe('refrigerant');
    expect(entry.kg_co2e).toBe('1156.5');
    const activity = entry.activity;
    if (activity?.kind !== 'refrigerant') throw new Error(`not a refrigerant: ${activity?.kind}`);
    expectTypeOf(activity).toEqualTypeOf<RefrigerantActivity & { kind: 'refrigerant' }>();
    expect(activity).toEqual({ kind: 'refrigerant', gas, kg: '1.5', assessment: 'ar6', gwp: '771' });
    // The union's other members are typed too: a flight's activity has its distances.
    expectTypeOf<FlightActivity['distance_km']>().toEqualTypeOf<string>();

    const { error, response } = await createEntry({
      auth,
      path: { lab_id: lab.id },
      body: { kind: 'refrigerant', date: '2020-04-01', gas: `${gas}x`, kg: '1' },
    });
    expect(response.status).toBe(422);
    expect(error?.errors?.map((item) => item.loc)).toEqual([['body', 'gas']]);
  });
});
