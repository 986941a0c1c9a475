// A lab's records over time, in a real browser against a live server: the multi-year view (its
// own URL: five years, each against the one before, as the API reports them), the headcount CSV
// upload on the sign-off screen (a good file replaces its years; a bad line is said under the
// file with its line number and nothing changes; a signed-off year is a 409; a file over the
// limit a 413), and the audit trail (its own URL, filtered by days in the URL, a reload keeps
// the filter). A lab's manager drives it; the administrator submits a year through the API.
// Screenshots: .artifacts/dashboard/records-*.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createEntry, createLab, createUser, getLabReport, getYearStatus, listHeadcount, submitYear, type LabPublic } from '@co2calculator/client';

import { change, co2e } from '../src/format';
import { baseUrl, seedFactors, signIn, YEAR, type Token } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;
let auth: Token;
let email: string;
let password: string;
let lab: LabPublic;
const consoleErrors: string[] = [];
// Provoked on purpose: the signed-out page's first refresh (401), a bad CSV line (422), a
// signed-off year (409) and a file over the limit (413).
const EXPECTED_STATUSES = [401, 409, 413, 422];

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}records-${name}.png`, fullPage: true });
const url = () => new URL(page.url());

function csvFile(text: string, name = 'headcount.csv') {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text) };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const admin = await signIn(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '', process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
  await seedFactors(admin);
  const tag = crypto.randomUUID().slice(0, 6).toLowerCase();
  email = `olga.${tag}@example.org`;
  password = `pw-${crypto.randomUUID()}`;
  await createUser({ auth: admin, body: { email, password, full_name: 'Olga Meier' }, throwOnError: true });
  auth = await signIn(email, password);
  ({ data: lab } = await createLab({ auth, body: { name: 'Paleoclimate', code: `PALE-${tag.toUpperCase()}` }, throwOnError: true }));
  for (const [year, kwh] of [[YEAR - 1, '12000'], [YEAR, '9000']] as const) {
    await createEntry({ auth, path: { lab_id: lab.id }, body: { date: `${year}-02-01`, factor_key: 'electricity.grid.CH', quantity: kwh }, throwOnError: true });
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
  await page.goto(`${baseUrl}/app/labs/${lab.id}/${YEAR}/years`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
});

afterEach(async (test) => {
  if (test.task.result?.state === 'fail' && page) await shot(`failed-${test.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
});

describe("a lab's records", () => {
  it('shows five years at their own URL, each against the year before, and keeps them on reload', async () => {
    const table = page.getByTestId('years');
    const totalOf = (year: number) => table.locator(`tr[data-year="${year}"] [data-testid="year-total"]`);
    await expect.poll(() => totalOf(YEAR).innerText()).not.toBe('Loading…');
    const { data: now } = await getLabReport({ auth, path: { lab_id: lab.id }, query: { year: YEAR }, throwOnError: true });
    const { data: before } = await getLabReport({ auth, path: { lab_id: lab.id }, query: { year: YEAR - 1 }, throwOnError: true });
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-year')))).toEqual(
      [0, 1, 2, 3, 4].map((i) => String(YEAR - i)),
    );
    expect(await totalOf(YEAR).innerText()).toBe(co2e(now.total_kg_co2e));
    await expect.poll(() => totalOf(YEAR - 1).innerText()).toBe(co2e(before.total_kg_co2e));
    await expect.poll(() => totalOf(YEAR - 2).innerText()).toBe('nothing recorded');
    expect(now.change_percent).not.toBeNull();
    expect(await table.locator(`tr[data-year="${YEAR}"] [data-testid="year-change"]`).innerText()).toBe(change(Number(now.change_percent)));
    expect(await table.locator(`tr[data-year="${YEAR - 1}"] [data-testid="year-change"]`).innerText()).toBe('—');
    await shot('years');

    // The year picker moves the window; a reload keeps it.
    await page.getByRole('button', { name: 'Previous year' }).click();
    expect(url().pathname).toBe(`/app/labs/${lab.id}/${YEAR - 1}/years`);
    await page.reload();
    await table.locator(`tr[data-year="${YEAR - 5}"]`).waitFor();
    expect(await table.locator(`tr[data-year="${YEAR}"]`).count()).toBe(0);
    // A year's link opens its report.
    await table.getByRole('link', { name: String(YEAR - 1) }).click();
    expect(url().pathname).toBe(`/app/labs/${lab.id}/${YEAR - 1}`);
    await page.getByTestId('report-total').waitFor();
  });

  it('uploads a headcount CSV on the sign-off screen, and says which line of a bad one is wrong', async () => {
    await page.getByRole('link', { name: 'Headcount & sign-off' }).click();
    const form = page.getByRole('form', { name: 'Upload a headcount CSV' });
    await form.waitFor();
    const upload = async (text: string, name?: string) => {
      await form.getByLabel('Headcount CSV file').setInputFiles(csvFile(text, name));
      await form.getByRole('button', { name: 'Upload' }).click();
    };

    await upload(`year,category,fte\n${YEAR - 1},researchers,3\n${YEAR - 1},phd_students,4abc\n`);
    const lineError = form.locator('[data-field="file"] .field-error');
    await lineError.waitFor();
    expect(await lineError.innerText()).toMatch(/^line 3, fte: /);
    const { data: none } = await listHeadcount({ auth, path: { lab_id: lab.id }, throwOnError: true });
    expect(none).toEqual([]); // all or none

    await upload(`year,category,fte\n${YEAR - 1},researchers,3\n${YEAR - 1},phd_students,4.5\n${YEAR - 2},researchers,2\n`);
    await form.getByTestId('headcount-uploaded').waitFor();
    expect(await form.getByTestId('headcount-uploaded').innerText()).toBe(`Headcount replaced for ${YEAR - 2}, ${YEAR - 1}.`);
    expect(await lineError.count()).toBe(0);
    // The year on screen (YEAR - 1, from the years view) shows its new headcount.
    await expect.poll(() => page.getByText('7.5 FTE in all.').count()).toBe(1);
    const { data: stored } = await listHeadcount({ auth, path: { lab_id: lab.id }, throwOnError: true });
    expect(stored.map((y) => [y.year, Number(y.total_fte)])).toEqual([
      [YEAR - 2, 2],
      [YEAR - 1, 7.5],
    ]);
    await shot('headcount-csv');

    // A submitted year refuses it (409), as does a file over the limit (413): said under the form.
    const admin = await signIn(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '', process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
    const { data: status } = await getYearStatus({ auth: admin, path: { lab_id: lab.id, year: YEAR - 2 }, throwOnError: true });
    await submitYear({ auth: admin, path: { lab_id: lab.id, year: YEAR - 2 }, body: { version: status.version }, throwOnError: true });
    await upload(`year,category,fte\n${YEAR - 2},researchers,5\n`);
    const problem = form.locator('.problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-status')).toBe('409');
    await upload(`year,category,fte\n${`${YEAR - 1},researchers,1\n`.repeat(6000)}`, 'big.csv');
    await expect.poll(() => problem.getAttribute('data-status')).toBe('413');
    expect(await problem.innerText()).toContain('The headcount CSV was refused');
    const { data: unchanged } = await listHeadcount({ auth, path: { lab_id: lab.id }, throwOnError: true });
    expect(unchanged.map((y) => [y.year, Number(y.total_fte)])).toEqual([
      [YEAR - 2, 2],
      [YEAR - 1, 7.5],
    ]);
  });

  it('shows the audit trail at its own URL, filtered by days kept in the URL', async () => {
    await page.getByRole('link', { name: 'Audit trail' }).click();
    expect(url().pathname).toBe(`/app/labs/${lab.id}/audit`);
    const rows = page.getByTestId('audit').locator('tbody tr');
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['lab.created', 'entry.created', 'headcount.replaced', 'year.submitted']));
    expect(actions[0]).toBe('year.submitted'); // newest first
    const created = rows.filter({ has: page.locator('code', { hasText: 'lab.created' }) });
    await expect.poll(() => created.innerText()).toContain(email); // who, by the member's email
    await shot('audit');

    // Tomorrow on: nothing yet; the filter is the URL, and a reload keeps it.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await page.getByLabel('From (day)').fill(day);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('no-audit').waitFor();
    expect(url().searchParams.get('since')).toBe(day);
    await page.reload();
    await page.getByTestId('no-audit').waitFor();
    expect(await page.getByLabel('From (day)').inputValue()).toBe(day);
    // Until that day (included), from none: everything again.
    await page.getByLabel('From (day)').fill('');
    await page.getByLabel('Until (day, included)').fill(day);
    await page.getByRole('button', { name: 'Filter' }).click();
    await rows.first().waitFor();
    expect(url().search).toBe(`?until=${day}`);
    expect(await rows.count()).toBe(actions.length);
    // Back: the filter of the URL before.
    await page.goBack();
    await page.getByTestId('no-audit').waitFor();
  });

  it('logged no unexpected errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
