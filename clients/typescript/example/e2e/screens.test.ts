// The documentation's pictures of the app (docs/screens/*.png, shown in docs/dashboard.md): each
// main screen at 1280 px, and a few at 360 px, of a lab with a year of data, its headcount and a
// target. Runs only when CO2CALC_SCREENSHOTS names the folder to write (scripts/screenshots sets
// it to docs/screens); the browser suite skips it otherwise. pngquant, when installed, reduces
// each picture to 128 colours.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

import { createEntry, replaceHeadcount, replaceInstitutionTarget, replaceTarget } from '@co2calculator/client';

import { ACTIVITY_FACTORS, baseUrl, seedActivityFactors, seedWorld, signIn, YEAR, type World } from './seed';

const OUT = process.env.CO2CALC_SCREENSHOTS ?? '';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PNGQUANT = ['/usr/bin/pngquant', '/usr/local/bin/pngquant'].find((path) => existsSync(path));

let browser: Browser;
let page: Page;
let world: World;

async function shoot(name: string, path: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await ready(page);
  await page.evaluate(() => document.fonts.ready);
  await save(name);
}

async function save(name: string): Promise<void> {
  const file = resolve(OUT, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  if (PNGQUANT) execFileSync(PNGQUANT, ['--force', '--skip-if-larger', '--output', file, '128', '--', file]);
}

describe.skipIf(!OUT)('screenshots for the documentation', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    world = await seedWorld();
    const lab = world.lab.id;
    await replaceHeadcount({
      auth: world.auth,
      path: { lab_id: lab, year: YEAR },
      body: { categories: [{ category: 'professors', fte: '2' }, { category: 'researchers', fte: '6' }, { category: 'phd_students', fte: '9.5' }] },
      throwOnError: true,
    });
    // A flight, a refrigerant leak and a laptop, late in the year (the entries list is newest first).
    await seedActivityFactors(await signIn(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '', process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? ''), YEAR);
    for (const body of [
      { kind: 'flight', date: `${YEAR}-11-28`, origin: 'GVA', destination: 'LIS', round_trip: true, travellers: 2, note: 'conference, Lisbon' },
      { kind: 'refrigerant', date: `${YEAR}-11-25`, gas: ACTIVITY_FACTORS.gas, kg: '0.8', note: 'cold room' },
      { kind: 'equipment', date: `${YEAR}-11-20`, factor_key: ACTIVITY_FACTORS.equipment, quantity: '3', lifetime_years: 4 },
    ] as const) {
      await createEntry({ auth: world.auth, path: { lab_id: lab }, body, throwOnError: true });
    }
    await replaceTarget({ auth: world.auth, path: { lab_id: lab }, body: { baseline_year: YEAR - 1, target_year: 2030, reduction_pct: '40' }, throwOnError: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    await page.goto(`${baseUrl}/app/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await save('sign-in');
    await page.getByLabel('Email').fill(world.email);
    await page.getByLabel('Password').fill(world.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('writes each main screen at 1280 px', async () => {
    const lab = `/app/labs/${world.lab.id}`;
    await shoot('labs', '/app/', (p) => p.getByText('Pick a lab').waitFor());
    // The app scrolls inside its content pane, so a whole page is a taller window.
    await page.setViewportSize({ width: 1280, height: 1750 });
    await shoot('report', `${lab}/${YEAR}`, (p) => p.getByTestId('entries').locator('tbody tr').first().waitFor());
    await page.setViewportSize({ width: 1280, height: 900 });
    await shoot('sign-off', `${lab}/${YEAR}/sign-off`, (p) => p.getByTestId('year-state').waitFor());
    await shoot('years', `${lab}/${YEAR}/years`, (p) => p.locator('[data-testid="years"][aria-busy="false"]').waitFor());
    await shoot('audit', `${lab}/audit`, (p) => p.getByTestId('audit').locator('tbody tr').first().waitFor());
    await shoot('target', `${lab}/target`, (p) => p.getByTestId('target-years').waitFor());
    await shoot('imports', `${lab}/imports`, (p) => p.getByTestId('no-imports').waitFor());
    await shoot('members', `${lab}/members`, (p) => p.getByTestId('members').locator('tbody tr').first().waitFor());
    await shoot('settings', `${lab}/settings`, (p) => p.locator('form.lab-form').waitFor());
    await shoot('new-lab', '/app/labs/new', (p) => p.locator('form.lab-form').waitFor());
    await shoot('factors', '/app/factors', (p) => p.getByTestId('factors').locator('tbody tr').first().waitFor());
    await shoot('profile', '/app/profile', (p) => p.getByTestId('no-keys').waitFor());
  });

  it('writes a few at 360 px, in English and in French', async () => {
    const lab = `/app/labs/${world.lab.id}`;
    await page.setViewportSize({ width: 360, height: 780 });
    await shoot('phone-report', `${lab}/${YEAR}`, (p) => p.getByTestId('report-total').waitFor());
    await shoot('phone-labs', '/app/', (p) => p.getByText('Pick a lab').waitFor());
    await page.getByLabel('Language').selectOption('fr');
    await shoot('phone-report-fr', `${lab}/${YEAR}`, (p) => p.getByText('Émissions').first().waitFor());
    await shoot('phone-sign-off-fr', `${lab}/${YEAR}/sign-off`, (p) => p.getByTestId('year-state').waitFor());
  });

  it("writes the administrator's screens at 1280 px", async () => {
    const adminEmail = process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '';
    const adminPassword = process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '';
    const admin = await signIn(adminEmail, adminPassword);
    await replaceInstitutionTarget({ auth: admin, body: { baseline_year: YEAR - 1, target_year: 2030, reduction_pct: '40' }, throwOnError: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    await page.goto(`${baseUrl}/app/users`);
    await page.getByLabel('Email').fill(adminEmail);
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('users').locator('tbody tr').nth(1).waitFor();
    await save('users');
    await shoot('institution', `/app/institution/${YEAR}`, (p) => p.getByTestId('institution-labs-table').locator('tbody tr').first().waitFor());
    await shoot('institution-target', '/app/institution/target', (p) => p.getByTestId('target-years').waitFor());
    await shoot('institution-audit', '/app/audit', (p) => p.getByTestId('audit').locator('tbody tr').first().waitFor());
    await page.setViewportSize({ width: 1280, height: 1100 });
    await shoot('factor-imports', '/app/factors/imports', (p) => p.getByTestId('no-factor-jobs').or(p.getByTestId('factor-jobs')).waitFor()); // empty unless other files ran first
    const lines = ['key,category,unit,kg_co2e_per_unit,scope,year', `heating.wood_pellets,heating,kWh,0.027,1,${YEAR}`, `heating.district,heating,kWh,lots,1,${YEAR}`];
    await page.getByLabel('CSV file').setInputFiles({ name: 'factors-update.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
    await page.getByRole('region', { name: 'Import a factors CSV' }).getByRole('button', { name: 'Upload' }).click();
    await page.getByTestId('row-errors').waitFor({ timeout: 30_000 });
    await save('factor-imports');
  });
});
