// The footprint figures a lab defends (SPEC §13), in a real browser against a live server: the
// year's headcount (a refused FTE said under its field, nothing stored), the report's emissions
// per FTE, 95 % interval and scope 2 by basis as the API gives them, the year's sign-off (submit,
// send back without and with a reason, validate, reopen; the report says the year is locked), and
// a reduction target with its path. The administrator drives it: a lab's manager (it creates the
// lab) who also validates. Screenshots: .artifacts/dashboard/footprint-*.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createEntry, createLab, getLabReport, getTargetProgress, getYearStatus, listHeadcount, type LabPublic } from '@co2calculator/client';

import { co2e, quantity } from '../src/format';
import { baseUrl, seedFactors, signIn, YEAR, type Token } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_EMAIL = process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '';
const ADMIN_PASSWORD = process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '';

let browser: Browser;
let page: Page;
let admin: Token;
let lab: LabPublic;
const consoleErrors: string[] = [];
// Provoked on purpose: the signed-out page's first refresh (401), a refused FTE and a send-back
// without a reason (422).
const EXPECTED_STATUSES = [401, 422];

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}footprint-${name}.png`, fullPage: true });
const path = () => new URL(page.url()).pathname;

async function report() {
  const { data } = await getLabReport({ auth: admin, path: { lab_id: lab.id }, query: { year: YEAR }, throwOnError: true });
  return data;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  admin = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  await seedFactors(admin);
  const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
  ({ data: lab } = await createLab({ auth: admin, body: { name: 'Seismology', code: `SEIS-${tag}` }, throwOnError: true }));
  for (const [year, scale] of [[YEAR - 1, 1.2], [YEAR, 1]] as const) {
    for (const [date, factor_key, amount] of [
      [`${year}-01-31`, 'electricity.grid.CH', 9000],
      [`${year}-02-28`, 'heating.natural_gas', 4000],
      [`${year}-05-10`, 'air_travel.economy.short_haul', 3000],
    ] as const) {
      await createEntry({
        auth: admin,
        path: { lab_id: lab.id },
        body: { date, factor_key, quantity: String(Math.round(amount * scale)) },
        throwOnError: true,
      });
    }
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    const expected = EXPECTED_STATUSES.some((status) => message.text().includes(`status of ${status}`));
    if (message.type() === 'error' && !expected) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
});

afterEach(async (test) => {
  if (test.task.result?.state === 'fail' && page) await shot(`failed-${test.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
});

describe('the footprint figures', () => {
  it('records the year\'s headcount; a refused FTE is said under its field and nothing is stored', async () => {
    await page.goto(`${baseUrl}/app/labs/${lab.id}/${YEAR}/sign-off`);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.getByRole('form', { name: `Headcount ${YEAR} (FTE)` });
    await form.waitFor();
    expect(path()).toBe(`/app/labs/${lab.id}/${YEAR}/sign-off`);
    expect(await form.innerText()).toContain(`No headcount recorded for ${YEAR}`);

    await form.getByLabel('Researchers').fill('4');
    await form.getByLabel('Professors').fill('-1');
    await form.getByRole('button', { name: 'Save the headcount' }).click();
    const fieldError = form.locator('[data-field="professors"] .field-error');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).not.toBe('');
    expect(await form.locator('[data-field="researchers"] .field-error').count()).toBe(0);
    const { data: none } = await listHeadcount({ auth: admin, path: { lab_id: lab.id }, query: { year: YEAR }, throwOnError: true });
    expect(none).toEqual([]);

    await form.getByLabel('Professors').fill('1');
    await form.getByLabel('PhD students').fill('2,5'); // a decimal comma, as French is written
    await form.getByRole('button', { name: 'Save the headcount' }).click();
    await expect.poll(() => form.innerText()).toContain('7.5 FTE in all.');
    const { data: stored } = await listHeadcount({ auth: admin, path: { lab_id: lab.id }, query: { year: YEAR }, throwOnError: true });
    expect(Number(stored[0].total_fte)).toBe(7.5);
  });

  it('the report shows the emissions per FTE, the 95 % interval and scope 2 by basis, as the API gives them', async () => {
    await page.getByRole('link', { name: 'Report & entries' }).click();
    await page.getByTestId('report-total').waitFor();
    const figures = await report();
    expect(figures.headcount?.t_co2e_per_fte).not.toBeNull();
    await expect.poll(() => page.getByTestId('report-per-fte').innerText()).toBe(`${quantity(figures.headcount!.t_co2e_per_fte!)} t`);
    expect(await page.getByTestId('report-interval').innerText()).toBe(
      `95 % interval: ${co2e(figures.uncertainty.low_kg_co2e)} – ${co2e(figures.uncertainty.high_kg_co2e)}`,
    );
    const bases = page.getByTestId('scope2-bases').locator('li');
    expect(await bases.count()).toBe(figures.scope2_by_basis.length);
    expect(figures.scope2_by_basis.length).toBeGreaterThan(0);
    expect(await bases.first().innerText()).toContain(co2e(figures.scope2_by_basis[0].kg_co2e));
    await shot('report');
  });

  it('submits the year, which locks it; a send-back needs a reason; validates; reopens', async () => {
    await page.getByRole('link', { name: 'Headcount & sign-off' }).click();
    const state = page.getByTestId('year-state');
    await expect.poll(() => state.textContent()).toBe('open');
    await page.getByRole('button', { name: 'Submit for validation' }).click();
    await expect.poll(() => state.textContent()).toBe('submitted');

    await page.getByRole('button', { name: 'Send back' }).click();
    const reasonError = page.locator('[data-field="reason"] .field-error');
    await reasonError.waitFor();
    expect((await getYearStatus({ auth: admin, path: { lab_id: lab.id, year: YEAR }, throwOnError: true })).data.state).toBe('submitted');
    await page.getByLabel('Reason').fill('the heating of December is missing');
    await page.getByRole('button', { name: 'Send back' }).click();
    await expect.poll(() => state.textContent()).toBe('open');

    await page.getByRole('button', { name: 'Submit for validation' }).click();
    await expect.poll(() => state.textContent()).toBe('submitted');
    await page.getByRole('link', { name: 'Report & entries' }).click();
    await expect.poll(() => page.getByTestId('year-locked').innerText()).toContain('This year is submitted');
    await page.getByRole('link', { name: 'Headcount & sign-off' }).click();
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => state.textContent()).toBe('validated');
    expect(await page.getByTestId('signed').innerText()).toContain(co2e((await report()).total_kg_co2e));
    await shot('sign-off');

    await page.getByLabel('Reason').fill('a late invoice');
    await page.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => state.textContent()).toBe('open');
    const { data } = await getYearStatus({ auth: admin, path: { lab_id: lab.id, year: YEAR }, throwOnError: true });
    expect(data.history.map((step) => step.action)).toEqual(['submit', 'send_back', 'submit', 'validate', 'reopen']);
    expect(await page.getByTestId('year-history').locator('tbody tr').count()).toBe(5);
  });

  it('sets a reduction target and shows each year against its path', async () => {
    await page.getByRole('link', { name: 'Target' }).click();
    expect(path()).toBe(`/app/labs/${lab.id}/target`);
    await page.getByTestId('no-target').waitFor();
    const form = page.getByRole('form', { name: 'Reduction target' });
    await form.getByLabel('Baseline year').fill(String(YEAR - 1));
    await form.getByLabel('Target year').fill(String(YEAR + 4));
    await form.getByLabel('Reduction (%)').fill('50');
    await form.getByRole('button', { name: 'Save the target' }).click();
    const rows = page.getByTestId('target-years').locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const { data } = await getTargetProgress({ auth: admin, path: { lab_id: lab.id }, throwOnError: true });
    expect(await rows.count()).toBe(data.years.length);
    const thisYear = data.years.find((row) => row.year === YEAR)!;
    const row = page.locator(`tr[data-year="${YEAR}"]`);
    expect(await row.innerText()).toContain(thisYear.on_track ? 'on track' : 'above the path');
    expect(await row.innerText()).toContain(co2e(thisYear.path_kg_co2e!));
    await shot('target');
  });

  it('logged no unexpected errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
