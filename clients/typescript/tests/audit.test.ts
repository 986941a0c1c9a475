// The audit trail through the SDK: a change is a typed event with its changed fields, pages
// follow the cursor, and a bad filter is a typed 422.
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  type AuditEventPublic,
  createLab,
  listAudit,
  type ListAuditError,
  listLabAudit,
  updateLab,
} from '../src/client';
import { signIn } from './live';

describe('audit trail', () => {
  it('records a lab change and pages its trail newest first', async () => {
    const auth = await signIn();
    const tag = crypto.randomUUID().slice(0, 8);
    const { data: lab } = await createLab({
      auth,
      throwOnError: true,
      body: { name: `Audit ${tag}`, code: `TA-${tag.toUpperCase()}` },
    });
    await updateLab({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      body: { version: lab.version, description: 'audited' },
    });

    const { data: first } = await listLabAudit({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      query: { limit: 1 },
    });
    expectTypeOf(first.items).toEqualTypeOf<AuditEventPublic[]>();
    expect(first.items.map((e) => [e.action, e.object_type, e.changes])).toEqual([
      ['lab.updated', 'lab', { description: ['', 'audited'] }],
    ]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const { data: second } = await listLabAudit({
      auth,
      throwOnError: true,
      path: { lab_id: lab.id },
      query: { limit: 1, cursor: first.next_cursor },
    });
    expect(second.items.map((e) => e.action)).toEqual(['lab.created']);
    expect(second.items[0].id).toBeLessThan(first.items[0].id);

    const { data: filtered } = await listAudit({
      auth,
      throwOnError: true,
      query: { object_type: 'lab', object_id: lab.id, action: 'lab.created' },
    });
    expect(filtered.items.map((e) => e.id)).toEqual([second.items[0].id]);
  });

  it('refuses a filter without a time zone with a typed 422', async () => {
    const auth = await signIn();
    const { error, response } = await listAudit({ auth, query: { since: '2026-01-01T00:00:00' } });
    expectTypeOf(error).toEqualTypeOf<ListAuditError | undefined>();
    expect(response.status).toBe(422);
  });
});
