// The two dictionaries of the web app (src/i18n.ts) are complete and alike: the same keys, the
// same kind of message (text or a function of the same arguments), nothing empty, and French that
// is not English copied over. No browser or server: it runs in Node with the browser tests.
import { describe, expect, it } from 'vitest';

import {
  BASIS_NAMES,
  CATEGORY_NAMES,
  JOB_STATE_NAMES,
  LANGUAGES,
  MESSAGES,
  MONTH_NAMES,
  ROLE_NAMES,
  STAFF_NAMES,
  YEAR_ACTION_NAMES,
  YEAR_STATE_NAMES,
  type Lang,
} from '../src/i18n';

const LANGS = Object.keys(LANGUAGES) as Lang[];

// Words that are the same in both languages.
const SAME_IN_BOTH = new Set(['invitations', 'invitation', 'institution', 'description', 'date', 'message', 'source', 'actions', 'scopeLabel', 'scope', 'action', 'perFteValue']);

describe('the dictionaries', () => {
  it('are English and French', () => {
    expect(LANGS).toEqual(['en', 'fr']);
  });

  it('have the same keys, each of the same kind and arity, none empty', () => {
    const [en, fr] = [MESSAGES.en, MESSAGES.fr];
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const [a, b] = [en[key], fr[key]];
      expect(typeof b, key).toBe(typeof a);
      if (typeof a === 'function' && typeof b === 'function') expect(b.length, key).toBe(a.length);
      for (const message of [a, b]) {
        const text = typeof message === 'string' ? message : (message as (...args: unknown[]) => string)(...Array<unknown>(message.length).fill('x'));
        expect(text.trim(), key).not.toBe('');
      }
    }
  });

  it('translate every message but a few words that French shares', () => {
    const untranslated = (Object.keys(MESSAGES.en) as (keyof typeof MESSAGES.en)[]).filter((key) => {
      const [a, b] = [MESSAGES.en[key], MESSAGES.fr[key]];
      const text = (m: typeof a) => (typeof m === 'string' ? m : (m as (...args: unknown[]) => string)(...Array<unknown>(m.length).fill('x')));
      return text(a) === text(b) && !SAME_IN_BOTH.has(key);
    });
    expect(untranslated).toEqual([]);
  });

  it('name every category, role, job state, staff category, year state and action, scope 2 basis and month in both', () => {
    for (const table of [CATEGORY_NAMES, ROLE_NAMES, JOB_STATE_NAMES, STAFF_NAMES, YEAR_STATE_NAMES, YEAR_ACTION_NAMES, BASIS_NAMES]) {
      expect(Object.keys(table.fr).sort()).toEqual(Object.keys(table.en).sort());
      for (const lang of LANGS) for (const name of Object.values(table[lang] as Record<string, string>)) expect(name).not.toBe('');
    }
    expect(MONTH_NAMES.en).toHaveLength(12);
    expect(MONTH_NAMES.fr).toHaveLength(12);
  });
});
