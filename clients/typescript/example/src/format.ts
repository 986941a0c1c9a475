// Numbers as the API sends them (decimal strings), for people.
import type { FactorCategory } from '@co2calculator/client';

import { getLang, LOCALES } from './i18n';

// Formatted in the page's language (i18n.ts); the e2e tests call these in Node, where it is English.
const cache = new Map<string, Intl.NumberFormat>();
function numbers(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = LOCALES[getLang()];
  const key = `${locale}${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) cache.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}
const KG = { maximumFractionDigits: 1 };
const TONNES = { minimumFractionDigits: 2, maximumFractionDigits: 2 };

/** `"1234.5"` → `1.23 t`; `"12.34"` → `12.3 kg` (CO2e). */
export function co2e(value: string | number): string {
  const n = Number(value);
  return Math.abs(n) >= 1000 ? `${numbers(TONNES).format(n / 1000)} t` : `${numbers(KG).format(n)} kg`;
}

/** A chart axis tick: `4500` → `4.5 t`. */
export function co2eTick(value: number): string {
  return Math.abs(value) >= 1000 ? `${numbers(KG).format(value / 1000)} t` : `${numbers(KG).format(value)} kg`;
}

/** A quantity as sent (a decimal string), with the language's separators: `25000` → `25,000`. */
export function quantity(value: string | number): string {
  return numbers({ maximumFractionDigits: 6 }).format(Number(value));
}

export function percent(fraction: number): string {
  const format = numbers({ maximumFractionDigits: fraction < 0.01 ? 1 : 0, minimumFractionDigits: fraction < 0.01 ? 1 : 0 });
  if (fraction > 0 && fraction < 0.001) return `< ${format.format(0.1)} %`;
  return `${format.format(fraction * 100)} %`;
}

/** A change in percent, signed, one decimal: `+12.5 %`. */
export function change(percentValue: number): string {
  const text = numbers({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(percentValue);
  return `${percentValue > 0 ? '+' : ''}${text} %`;
}

/** A decimal as typed, for the API: `9,5` (a French decimal comma) → `9.5`; anything else as is
 * (the server says what is wrong with it, next to the field). */
export function decimalInput(typed: string): string {
  const value = typed.trim();
  return /^-?\d+,\d+$/.test(value) ? value.replace(',', '.') : value;
}

export const date = (iso: string): string => new Date(iso).toLocaleDateString(LOCALES[getLang()]);
export const dateTime = (iso: string): string => new Date(iso).toLocaleString(LOCALES[getLang()]);
export const time = (iso: string): string => new Date(iso).toLocaleTimeString(LOCALES[getLang()]);

export const CATEGORY_COLORS: Record<FactorCategory, string> = {
  electricity: '#f2b705',
  heating: '#e4572e',
  fuel: '#a23b72',
  air_travel: '#2e86ab',
  rail_travel: '#3bb273',
  road_travel: '#7768ae',
  purchases: '#f18f01',
  equipment: '#4d9de0',
  waste: '#8d6a9f',
  other: '#9aa5b1',
};

