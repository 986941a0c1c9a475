// Test data for the browser test, created through the API with the generated SDK (never SQL):
// factors as the harness's admin, then a fresh user who owns a page and a half of labs.
import {
  createEntry,
  createFactor,
  createLab,
  createUser,
  login,
  type FactorCategory,
  type LabPublic,
} from '@co2calculator/client';
import { client } from '@co2calculator/client/client';

export const baseUrl = process.env.CO2CALC_BASE_URL ?? '';
if (!baseUrl) {
  throw new Error('CO2CALC_BASE_URL is not set: run this through scripts/test-browser');
}
client.setConfig({ baseUrl });

export const YEAR = new Date().getUTCFullYear();

/** The `auth` option of every SDK call: the bearer token only (not as an X-API-Key). */
export type Token = NonNullable<Parameters<typeof createLab>[0]['auth']>;
const bearer =
  (token: string): Token =>
  (auth) =>
    auth.scheme === 'bearer' ? token : undefined;

export async function signIn(email: string, password: string): Promise<Token> {
  const { data } = await login({ body: { username: email, password }, throwOnError: true });
  return bearer(data.access_token);
}

interface FactorSeed {
  key: string;
  category: FactorCategory;
  unit: string;
  kg: string;
  scope: number;
}

export const FACTORS: FactorSeed[] = [
  { key: 'electricity.grid.CH', category: 'electricity', unit: 'kWh', kg: '0.128', scope: 2 },
  { key: 'heating.natural_gas', category: 'heating', unit: 'kWh', kg: '0.228', scope: 1 },
  { key: 'air_travel.economy.short_haul', category: 'air_travel', unit: 'km', kg: '0.151', scope: 3 },
  { key: 'rail_travel.national', category: 'rail_travel', unit: 'km', kg: '0.007', scope: 3 },
  { key: 'purchases.lab_consumables', category: 'purchases', unit: 'CHF', kg: '0.25', scope: 3 },
];

export const LAB_NAMES = [
  'Alpine Ecology', 'Analytical Chemistry', 'Atmospheric Chemistry', 'Bioinformatics Core', 'Biophysics',
  'Cell Biology', 'Climate Modelling', 'Computational Linguistics', 'Cryo-EM Facility', 'Developmental Biology',
  'Ecotoxicology', 'Genomics Platform', 'Geochemistry', 'Glaciology', 'Hydrology', 'Immunology',
  'Marine Biology', 'Materials Science', 'Microbiology', 'Nanofabrication', 'Neuroscience', 'Paleoclimate',
  'Plant Physiology', 'Quantum Optics', 'Seismology', 'Zoology',
];
export const REPORT_LAB = 'Climate Modelling';

export interface World {
  email: string;
  password: string;
  auth: Token;
  lab: LabPublic;
}

/** Factors for this year and the last (a 409 means a previous run made them: fine). */
export async function seedFactors(admin: Token): Promise<void> {
  for (const year of [YEAR - 1, YEAR]) {
    for (const f of FACTORS) {
      const { error, response } = await createFactor({
        auth: admin,
        body: { key: f.key, category: f.category, unit: f.unit, kg_co2e_per_unit: f.kg, scope: f.scope, year },
      });
      if (error && response.status !== 409) throw new Error(`createFactor ${f.key}: ${JSON.stringify(error)}`);
    }
  }
}

/** A year of plausible activity: monthly electricity, winter heating, some travel and purchases. */
async function seedEntries(auth: Token, labId: string): Promise<void> {
  const add = (date: string, factor_key: string, quantity: number, note = '') =>
    createEntry({ auth, path: { lab_id: labId }, body: { date, factor_key, quantity: String(quantity), note }, throwOnError: true });
  const heating = [5200, 4600, 3500, 2100, 900, 0, 0, 0, 700, 2300, 3900, 5000];
  for (const [year, scale] of [[YEAR - 1, 1.12], [YEAR, 1]] as const) {
    for (let month = 1; month <= 11; month++) {
      const date = `${year}-${String(month).padStart(2, '0')}`;
      await add(date, 'electricity.grid.CH', Math.round((9000 + 900 * Math.sin(month)) * scale), 'meter reading');
      if (heating[month - 1]) await add(date, 'heating.natural_gas', Math.round(heating[month - 1] * scale));
    }
    await add(`${year}-03-14`, 'air_travel.economy.short_haul', Math.round(4200 * scale), 'conference, Lisbon');
    await add(`${year}-06-02`, 'rail_travel.national', 1800, 'field trip');
    await add(`${year}-09-20`, 'air_travel.economy.short_haul', Math.round(2600 * scale), 'workshop, Berlin');
    await add(`${year}-10-05`, 'purchases.lab_consumables', Math.round(12000 * scale), 'reagents');
  }
}

export async function seedWorld(): Promise<World> {
  const adminEmail = process.env.CO2CALC_TEST_ADMIN_EMAIL;
  const adminPassword = process.env.CO2CALC_TEST_ADMIN_PASSWORD;
  if (!adminEmail || !adminPassword) throw new Error('the harness did not export the admin account');
  const admin = await signIn(adminEmail, adminPassword);
  await seedFactors(admin);

  const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
  const email = `ada.${tag.toLowerCase()}@example.org`;
  const password = `pw-${crypto.randomUUID()}`;
  await createUser({ auth: admin, body: { email, password, full_name: 'Ada Keller' }, throwOnError: true });
  const auth = await signIn(email, password);

  let lab: LabPublic | undefined;
  for (const name of LAB_NAMES) {
    const code = `${name.replace(/[^A-Za-z]/g, '').slice(0, 4).toUpperCase()}-${tag}`;
    const { data } = await createLab({
      auth,
      body: { name, code, institution: 'Institute for Environmental Research' },
      throwOnError: true,
    });
    if (name === REPORT_LAB) lab = data;
  }
  if (!lab) throw new Error(`${REPORT_LAB} was not created`);
  await seedEntries(auth, lab.id);
  return { email, password, auth, lab };
}

/** What the typed activities need (docs/activities.md), for a year: a flight factor of every
 * distance in economy, a refrigerant's GWP and a laptop's embodied emissions; a purchase uses the
 * spend-based `purchases.lab_consumables` (per CHF) of `FACTORS`. A 409: made by a previous run. */
export const ACTIVITY_FACTORS = {
  flight: 'air_travel.flight.economy',
  gas: 'HFC134a',
  equipment: 'equipment.laptop',
  spend: 'purchases.lab_consumables',
};

export async function seedActivityFactors(admin: Token, year: number): Promise<void> {
  const bodies = [
    { key: ACTIVITY_FACTORS.flight, category: 'air_travel', unit: 'km', kg_co2e_per_unit: '0.15', scope: 3, year, cabin_class: 'economy', distance_min_km: 0 },
    { key: `gas.ar6.${ACTIVITY_FACTORS.gas}`, category: 'other', unit: 'kg', kg_co2e_per_unit: '1530', scope: 1, year },
    { key: ACTIVITY_FACTORS.equipment, category: 'equipment', unit: 'item', kg_co2e_per_unit: '250', scope: 3, year },
  ] as const;
  for (const body of bodies) {
    const { error, response } = await createFactor({ auth: admin, body });
    if (error && response.status !== 409) throw new Error(`createFactor ${body.key}: ${JSON.stringify(error)}`);
  }
}
