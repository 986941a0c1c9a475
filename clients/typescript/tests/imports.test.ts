// @vitest-environment node
// (jsdom's Blob is not the one fetch's FormData knows; in a browser both are native.)
// A CSV upload through the generated SDK (multipart with a Blob), then its job polled to the end.
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  createFactor,
  createLab,
  getImport,
  getImportStatus,
  uploadActivities,
  uploadFactors,
  type BodyUploadActivities,
  type BodyUploadFactors,
  type JobPublic,
  type JobStatus,
} from '../src/client';
import { signIn } from './live';

async function waitForEnd(auth: Awaited<ReturnType<typeof signIn>>, id: string): Promise<JobStatus> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data } = await getImportStatus({ auth, path: { job_id: id }, throwOnError: true });
    if (data.state !== 'queued' && data.state !== 'running') return data;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${data.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('imports', () => {
  it('uploads a Blob as multipart and the job succeeds', async () => {
    expectTypeOf<BodyUploadActivities['file']>().toEqualTypeOf<Blob | File>();
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const key = `test.ts${tag}`;
    await createFactor({
      auth,
      body: { key, category: 'other', unit: 'kg', kg_co2e_per_unit: '2', scope: 3, year: 2025 },
      throwOnError: true,
    });
    const { data: lab } = await createLab({
      auth,
      body: { name: `TS upload ${tag}`, code: `TS-${tag.toUpperCase()}` },
      throwOnError: true,
    });
    const file = new Blob([`date,factor_key,quantity\n2025-03-01,${key},3\n`], { type: 'text/csv' });

    const { data: job, response } = await uploadActivities({
      auth,
      path: { lab_id: lab.id },
      body: { file },
      throwOnError: true,
    });

    expectTypeOf(job).toEqualTypeOf<JobPublic>();
    expect(response.status).toBe(202);
    expect(job.rows_total).toBe(1);
    const ended = await waitForEnd(auth, job.id);
    expect(ended).toMatchObject({ state: 'succeeded', rows_ok: 1, rows_failed: 0 });
    const { data: full } = await getImport({ auth, path: { job_id: job.id }, throwOnError: true });
    expect(full.row_errors).toEqual([]);
  });

  it('uploads a factors File as multipart and the factor import succeeds', async () => {
    expectTypeOf<BodyUploadFactors['file']>().toEqualTypeOf<Blob | File>();
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const csv = `key,category,unit,kg_co2e_per_unit,scope,year\ntest.tsfactor${tag},other,kg,1.5,3,2025\n`;
    const file = new File([csv], 'factors.csv', { type: 'text/csv' });

    const { data: job, response } = await uploadFactors({
      auth,
      body: { file },
      query: { on_error: 'fail' },
      throwOnError: true,
    });

    expectTypeOf(job).toEqualTypeOf<JobPublic>();
    expect(response.status).toBe(202);
    expect(job).toMatchObject({ target_type: 'factors', lab_id: null, rows_total: 1 });
    const ended = await waitForEnd(auth, job.id);
    expect(ended).toMatchObject({ state: 'succeeded', rows_ok: 1 });
  });
});
