// Usable (issue 17 item 4) and in two languages (SPEC §10): every main screen passes axe's
// automated accessibility rules (colour contrast, labels, names, landmarks, …; no rule disabled) in
// English at desktop width and in French at 360 px (a small phone); at 360 px, in both languages,
// nothing scrolls or sticks out sideways; the app can be used from the keyboard; the language
// switch is remembered across a reload and sets `lang`; and no English is left on a French screen
// (the words of the English dictionary that the French one does not use, looked for in the text,
// labels and placeholders of each screen, without the data the test created).
// Screenshots: .artifacts/dashboard/usable-*.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createEntry, createFactor, createLab, createUser, type LabPublic } from '@co2calculator/client';

import { axeViolations, englishLeftovers, overflow } from './checks';
import { ACTIVITY_FACTORS, baseUrl, seedActivityFactors, seedFactors, signIn, YEAR } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

let browser: Browser;
let page: Page;
let email: string;
let password: string;
let lab: LabPublic;
let regionalKey: string;
/** What the test created, shown as data on the screens (not words of the app). */
const seedData = () => [email, lab.name, lab.code, lab.institution ?? '', 'Inès Favre', 'meter reading', 'conference, Lisbon', 'field trip'];
const consoleErrors: string[] = [];

/** A main screen: its path under /app/ and what shows once it has loaded. */
interface Screen {
  name: string;
  path: () => string;
  ready: (page: Page) => Promise<unknown>;
}

const SCREENS: Screen[] = [
  { name: 'home', path: () => '/app/', ready: (p) => p.locator('.content .empty h2').waitFor() },
  { name: 'new-lab', path: () => '/app/labs/new', ready: (p) => p.getByRole('form', { name: /./ }).waitFor() },
  {
    name: 'lab-year',
    path: () => `/app/labs/${lab.id}/${YEAR}`,
    ready: async (p) => {
      await p.getByTestId('report-total').waitFor();
      await p.getByTestId('entries').locator('tbody tr').first().waitFor();
    },
  },
  { name: 'imports', path: () => `/app/labs/${lab.id}/imports`, ready: (p) => p.getByTestId('no-imports').waitFor() },
  { name: 'members', path: () => `/app/labs/${lab.id}/members`, ready: (p) => p.getByTestId('members').locator('tbody tr').first().waitFor() },
  { name: 'settings', path: () => `/app/labs/${lab.id}/settings`, ready: (p) => p.locator('form.lab-form').waitFor() },
  { name: 'sign-off', path: () => `/app/labs/${lab.id}/${YEAR}/sign-off`, ready: (p) => p.getByTestId('year-state').waitFor() },
  {
    name: 'years',
    path: () => `/app/labs/${lab.id}/${YEAR}/years`,
    ready: (p) => p.locator('[data-testid="years"][aria-busy="false"]').waitFor(),
  },
  { name: 'audit', path: () => `/app/labs/${lab.id}/audit`, ready: (p) => p.getByTestId('audit').locator('tbody tr').first().waitFor() },
  { name: 'target', path: () => `/app/labs/${lab.id}/target`, ready: (p) => p.getByTestId('no-target').waitFor() },
  { name: 'factors', path: () => '/app/factors', ready: (p) => p.getByTestId('factors').locator('tbody tr').first().waitFor() },
  { name: 'profile', path: () => '/app/profile', ready: (p) => p.getByTestId('no-keys').waitFor() },
];

/** Opens a screen as a click on a link would (no reload: the session and caches stay). */
async function open(screen: Screen): Promise<void> {
  await page.evaluate((path) => {
    window.history.pushState(null, '', path);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, screen.path());
  await screen.ready(page);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const admin = await signIn(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '', process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
  await seedFactors(admin);
  const tag = crypto.randomUUID().slice(0, 6).toLowerCase();
  email = `ines.${tag}@example.org`;
  password = `pw-${crypto.randomUUID()}`;
  await createUser({ auth: admin, body: { email, password, full_name: 'Inès Favre' }, throwOnError: true });
  // A factor of the lab's region beside the one for every region (the form must show the former).
  regionalKey = `heating.district.${tag}`;
  for (const region of [null, 'CH']) {
    await createFactor({
      auth: admin,
      body: { key: regionalKey, category: 'heating', unit: 'kWh', kg_co2e_per_unit: region ? '0.15' : '0.2', scope: 2, year: YEAR, region },
      throwOnError: true,
    });
  }
  const auth = await signIn(email, password);
  ({ data: lab } = await createLab({
    auth,
    body: { name: 'Hydrology', code: `HYDR-${tag.toUpperCase()}`, institution: 'Institute for Environmental Research', region: 'CH' },
    throwOnError: true,
  }));
  for (const [date, factor_key, quantity, note] of [
    [`${YEAR}-01-31`, 'electricity.grid.CH', '9100', 'meter reading'],
    [`${YEAR}-02-28`, 'heating.natural_gas', '4600', ''],
    [`${YEAR}-03-14`, 'air_travel.economy.short_haul', '4200', 'conference, Lisbon'],
    [`${YEAR}-06-02`, 'rail_travel.national', '1800', 'field trip'],
  ]) {
    await createEntry({ auth, path: { lab_id: lab.id }, body: { date, factor_key, quantity, note }, throwOnError: true });
  }
  // Typed entries: each line says what it was computed from (in both languages, at 360 px too).
  await seedActivityFactors(admin, YEAR);
  for (const body of [
    { kind: 'flight', date: `${YEAR}-04-02`, origin: 'GVA', destination: 'LIS', round_trip: true, travellers: 2 },
    { kind: 'refrigerant', date: `${YEAR}-04-03`, gas: ACTIVITY_FACTORS.gas, kg: '0.8' },
    { kind: 'equipment', date: `${YEAR}-04-04`, factor_key: ACTIVITY_FACTORS.equipment, quantity: '3', lifetime_years: 4 },
  ] as const) {
    await createEntry({ auth, path: { lab_id: lab.id }, body, throwOnError: true });
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  // A context of its own (axe runs its frames' script through the context).
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    // Chromium logs every non-2xx answer: the signed-out page's first refresh (401) and the
    // refused entry (422) are provoked on purpose.
    const expected = ['status of 401', 'status of 422'].some((status) => message.text().includes(status));
    if (message.type() === 'error' && !expected) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
});

afterEach(async (test) => {
  if (test.task.result?.state === 'fail' && page) {
    await page.screenshot({ path: `${ARTIFACTS}failed-${test.task.name.replace(/\W+/g, '-')}.png`, fullPage: true });
  }
});

afterAll(async () => {
  await browser?.close();
});

describe('usable', () => {
  it('signs in with the keyboard alone, and the sign-in screen passes axe at both widths', async () => {
    await page.goto(`${baseUrl}/app/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}usable-360-sign-in.png` });
    await page.setViewportSize(DESKTOP);

    // Tab order: (language switch,) email, password, the button; Enter submits.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('autocomplete') ?? document.activeElement?.tagName);
    await page.locator('body').focus();
    for (let tabs = 0; tabs < 4 && (await focused()) !== 'username'; tabs++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('username');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('current-password');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('shows where the keyboard focus is', async () => {
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return [document.activeElement!.tagName, style.outlineStyle, style.outlineWidth];
    });
    expect(outline[1]).not.toBe('none');
    expect(outline[2]).not.toBe('0px');
  });

  for (const screen of SCREENS) {
    it(`${screen.name}: no axe violation on the desktop`, async () => {
      await page.setViewportSize(DESKTOP);
      await open(screen);
      expect(await axeViolations(page)).toEqual([]);
    });
  }

  it('the entry form shows the factor it will apply: the region\'s own, else the one for every region', async () => {
    await open(SCREENS[2]);
    const applied = page.getByTestId('applied-factor');
    await page.getByLabel('Factor').selectOption('electricity.grid.CH');
    await expect.poll(() => applied.innerText()).toBe(`Factor applied: 0.128 kg CO2e per kWh, of ${YEAR}, for every region (there is none of CH).`);
    await page.getByLabel('Factor').selectOption(regionalKey);
    await expect.poll(() => applied.innerText()).toBe(`Factor applied: 0.15 kg CO2e per kWh, of ${YEAR}, for region CH.`);
  });

  it('shows a refused entry\'s problem next to the field it names, and adds nothing', async () => {
    const before = await page.getByTestId('report-entries').innerText();
    await page.getByLabel(/^Quantity/).fill('-5');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const fieldError = page.locator('.add-entry [data-field="quantity"] .field-error');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).not.toBe('');
    expect(await page.locator('.add-entry .problem').count()).toBe(0); // nothing else to say
    expect(await page.getByTestId('report-entries').innerText()).toBe(before);
  });

  it('a search for a mistyped factor key suggests the nearest keys', async () => {
    await open({ ...SCREENS.find((x) => x.name === 'factors')!, path: () => '/app/factors?search=electrcity.grid', ready: (p) => p.getByTestId('no-factors').waitFor() });
    const suggestions = page.getByTestId('did-you-mean');
    await suggestions.waitFor();
    expect(await suggestions.locator('code').allInnerTexts()).toContain('electricity.grid.CH');
    await suggestions.getByRole('button', { name: 'electricity.grid.CH' }).click();
    await page.getByTestId('factors').locator('tbody tr').first().waitFor();
    expect(new URL(page.url()).searchParams.get('search')).toBe('electricity.grid.CH');
  });

  for (const screen of SCREENS) {
    it(`${screen.name}: at 360 px, no horizontal scrolling, nothing outside the viewport`, async () => {
      await page.setViewportSize(PHONE);
      await open(screen);
      expect(await overflow(page)).toEqual([]);
    });
  }

  it('switches to French: `lang` is set, and the choice survives a reload', async () => {
    await page.setViewportSize(DESKTOP);
    await open(SCREENS[0]);
    // The check can fail: on the English screen it finds the app's English words.
    expect(await englishLeftovers(page, { data: seedData() })).toEqual(expect.arrayContaining(['labs', 'pick', 'create', 'sign', 'out']));
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.reload();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.getByLabel('Langue').inputValue()).toBe('fr');
    expect(await englishLeftovers(page, { data: seedData() })).toEqual([]);
  });

  for (const screen of SCREENS) {
    it(`${screen.name} in French at 360 px: no English left, no axe violation, nothing outside the viewport`, async () => {
      await page.setViewportSize(PHONE);
      await open(screen);
      expect(await englishLeftovers(page, { data: seedData() })).toEqual([]);
      expect(await overflow(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}usable-360-fr-${screen.name}.png`, fullPage: true });
    });
  }

  it('the add-entry form of every kind, in French at 360 px: no English left, no axe violation, nothing outside the viewport', async () => {
    await page.setViewportSize(PHONE);
    await open(SCREENS.find((x) => x.name === 'lab-year')!);
    const kinds = await page.getByTestId('entry-kind').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(kinds).toEqual(['quantity', 'flight', 'purchase', 'refrigerant', 'equipment']);
    for (const kind of kinds) {
      await page.getByTestId('entry-kind').selectOption(kind);
      await page.locator(`.add-entry [data-field="${kind === 'flight' ? 'origin' : kind === 'refrigerant' ? 'gas' : 'factor_key'}"]`).waitFor();
      expect(await englishLeftovers(page, { data: seedData() })).toEqual([]);
      expect(await overflow(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
    }
    expect(await page.getByTestId('activity').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GVA → LIS, économique, aller-retour, 2 × voyageur; /)]),
    );
    await page.getByTestId('entry-kind').selectOption('quantity');
  });

  it('the sign-in screen in French after signing out: no English left', async () => {
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await englishLeftovers(page, { data: [] })).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('logged no unexpected errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
