// The app's words in English and French: one typed dictionary per language (messages.en.ts,
// messages.fr.ts; docs/decisions.md, "The web app's two languages"). `fr` is typed by `en`, so a
// key missing in French, or a message whose parameters differ, is a type error at build time.
// The names of the API's enum values are below. The language is chosen with the switch
// in the page's header, remembered in localStorage (only once someone picks one), and set as the
// page's `lang`. Problem responses from the server are shown as the server sent them.
import { useSyncExternalStore } from 'react';

import type { CabinClass, EntryKind, FactorCategory, JobState, LabRole, Scope2Basis, StaffCategory, YearAction, YearState } from '@co2calculator/client';

import { en, type Messages } from './messages.en';
import { fr } from './messages.fr';

export type Lang = 'en' | 'fr';
export const LANGUAGES: Record<Lang, string> = { en: 'English', fr: 'Français' };

export type { Messages };

export const MESSAGES: Record<Lang, Messages> = { en, fr };

/** The names of the API's enum values, per language (the values themselves stay as sent). */
export const CATEGORY_NAMES: Record<Lang, Record<FactorCategory, string>> = {
  en: {
    electricity: 'Electricity',
    heating: 'Heating',
    fuel: 'Fuel',
    air_travel: 'Air travel',
    rail_travel: 'Rail travel',
    road_travel: 'Road travel',
    purchases: 'Purchases',
    equipment: 'Equipment',
    waste: 'Waste',
    other: 'Other',
  },
  fr: {
    electricity: 'Électricité',
    heating: 'Chauffage',
    fuel: 'Combustibles',
    air_travel: 'Avion',
    rail_travel: 'Train',
    road_travel: 'Route',
    purchases: 'Achats',
    equipment: 'Équipement',
    waste: 'Déchets',
    other: 'Autres',
  },
};

export const ROLE_NAMES: Record<Lang, Record<LabRole, string>> = {
  en: { manager: 'manager', contributor: 'contributor', viewer: 'viewer' },
  fr: { manager: 'responsable', contributor: 'contributeur', viewer: 'lecteur' },
};

export const JOB_STATE_NAMES: Record<Lang, Record<JobState, string>> = {
  en: { queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' },
  fr: { queued: 'en attente', running: 'en cours', succeeded: 'réussie', failed: 'échouée', cancelled: 'annulée' },
};

export const STAFF_NAMES: Record<Lang, Record<StaffCategory, string>> = {
  en: {
    professors: 'Professors',
    researchers: 'Researchers',
    phd_students: 'PhD students',
    technical_administrative: 'Technical and administrative staff',
    students: 'Students',
  },
  fr: {
    professors: 'Professeurs',
    researchers: 'Chercheurs',
    phd_students: 'Doctorants',
    technical_administrative: 'Personnel technique et administratif',
    students: 'Étudiants',
  },
};

export const YEAR_STATE_NAMES: Record<Lang, Record<YearState, string>> = {
  en: { open: 'open', submitted: 'submitted', validated: 'validated' },
  fr: { open: 'ouverte', submitted: 'soumise', validated: 'validée' },
};

export const YEAR_ACTION_NAMES: Record<Lang, Record<YearAction, string>> = {
  en: { submit: 'submitted', validate: 'validated', send_back: 'sent back', reopen: 'reopened' },
  fr: { submit: 'soumise', validate: 'validée', send_back: 'renvoyée', reopen: 'rouverte' },
};

/** Scope 2 bases; `none` for scope 2 factors that state none. */
export const BASIS_NAMES: Record<Lang, Record<Scope2Basis | 'none', string>> = {
  en: { location: 'location-based', market: 'market-based', none: 'no basis stated' },
  fr: { location: 'méthode géographique', market: 'méthode de marché', none: 'méthode non indiquée' },
};

/** Kinds of entry (docs/activities.md) and flight cabin classes. */
export const KIND_NAMES: Record<Lang, Record<EntryKind, string>> = {
  en: { quantity: 'Plain entry', flight: 'Flight', purchase: 'Purchase', refrigerant: 'Refrigerant', equipment: 'Equipment' },
  fr: { quantity: 'Saisie simple', flight: 'Vol', purchase: 'Achat', refrigerant: 'Fluide frigorigène', equipment: 'Équipement' },
};

export const CABIN_NAMES: Record<Lang, Record<CabinClass, string>> = {
  en: { economy: 'economy', premium_economy: 'premium economy', business: 'business', first: 'first' },
  fr: { economy: 'économique', premium_economy: 'économique premium', business: 'affaires', first: 'première' },
};

export const MONTH_NAMES: Record<Lang, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
};

/** The locale of numbers and dates: `25,000` and 04/12/2026 in English, `25 000` and 04/12/2026 in French. */
export const LOCALES: Record<Lang, string> = { en: 'en-GB', fr: 'fr-FR' };

// The chosen language: the one picked before (localStorage), else the browser's first of ours.
const STORAGE_KEY = 'co2calc.lang';
const isLang = (value: unknown): value is Lang => value === 'en' || value === 'fr';

function initialLang(): Lang {
  if (typeof window === 'undefined') return 'en';
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // storage refused (a privacy mode): the browser's language decides
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();
if (typeof document !== 'undefined') document.documentElement.lang = lang;

export const getLang = (): Lang => lang;

export function setLang(next: Lang): void {
  if (next === lang) return;
  lang = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => lang,
    () => lang,
  );
}

/** The current language's messages (re-renders on a switch). */
export function useT(): Messages {
  return MESSAGES[useLang()];
}
