// Numbers as the API sends them (decimal strings), for people.
import type { FactorCategory } from '@co2calculator/client';

const kg = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const tonnes = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const axisTonnes = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** `"1234.5"` → `1.23 t`; `"12.34"` → `12.3 kg` (CO2e). */
export function co2e(value: string | number): string {
  const n = Number(value);
  return Math.abs(n) >= 1000 ? `${tonnes.format(n / 1000)} t` : `${kg.format(n)} kg`;
}

/** A chart axis tick: `4500` → `4.5 t`. */
export function co2eTick(value: number): string {
  return Math.abs(value) >= 1000 ? `${axisTonnes.format(value / 1000)} t` : `${kg.format(value)} kg`;
}

export function percent(fraction: number): string {
  if (fraction > 0 && fraction < 0.001) return '< 0.1 %';
  return `${(fraction * 100).toFixed(fraction < 0.01 ? 1 : 0)} %`;
}

export const CATEGORY_LABELS: Record<FactorCategory, string> = {
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
};

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

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
