// The administrator's screens, in a real browser against a live server: accounts (create, a
// refused email and password next to their fields, change the role, deactivate: the account can no
// longer sign in), emission factors (edit one and see the new value, a refused value next to its
// field, delete an unused one, a used one refused; a factors CSV with one bad row fails with that
// row's error; a sync on a server without FACTOR_SYNC_URL says so), the institution (the year's
// report at a deep link and its CSV download, equal to the API's; a reduction target, a refused
// percentage next to its field, and each year against the path). A plain account sees none of
// these links and is told at their URLs that they are for administrators. axe passes on each
// screen in English at 1280 px and in French at 360 px, where nothing sticks out sideways.
// A sync that runs: a second throwaway server (scripts/live-server) whose FACTOR_SYNC_URL is a
// loopback source of this test; the job's progress shows live and the synced factor is listed.
// Screenshots go to .artifacts/dashboard/ (admin-*.png).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  createEntry,
  createFactor,
  createLab,
  createUser,
  getFactor,
  getInstitutionReport,
  getUser,
  listUsers,
  login,
  type FactorPublic,
  type LabPublic,
} from '@co2calculator/client';

import { co2e } from '../src/format';
import { axeViolations, englishLeftovers, overflow } from './checks';
import { baseUrl, seedFactors, signIn, YEAR, type Token } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
// Chromium logs every non-2xx answer; these are provoked on purpose: the first refresh without a
// cookie and the deactivated sign-in (401), the plain account's calls (403), no institution
// target yet (404), a taken email, a used factor, sync not configured (409), refused values (422).
const EXPECTED_STATUSES = [401, 403, 404, 409, 422];

let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: Token;
let adminEmail: string;
let adminPassword: string;
let tag: string;
let plainEmail: string;
let plainPassword: string;
let lab: LabPublic;
let factor: FactorPublic;
let spare: FactorPublic;
const consoleErrors: string[] = [];

const shot = (target: Page, name: string) => target.screenshot({ path: `${ARTIFACTS}admin-${name}.png`, fullPage: true });

function watch(target: Page): void {
  target.setDefaultTimeout(10_000);
  target.on('console', (message) => {
    const expected = EXPECTED_STATUSES.some((status) => message.text().includes(`status of ${status}`));
    if (message.type() === 'error' && !expected) consoleErrors.push(message.text());
  });
  target.on('pageerror', (error) => consoleErrors.push(String(error)));
}

async function signInAt(target: Page, path: string, email: string, password: string): Promise<void> {
  await target.goto(`${baseUrl}${path}`);
  await target.getByLabel('Email').fill(email);
  await target.getByLabel('Password').fill(password);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens a path as a click on a link would (no reload: the session stays in memory). */
async function open(path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  adminEmail = process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '';
  adminPassword = process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '';
  admin = await signIn(adminEmail, adminPassword);
  await seedFactors(admin);
  tag = crypto.randomUUID().slice(0, 6).toLowerCase();
  // Two factors of this run: one to edit, one to delete (no entry uses either).
  ({ data: factor } = await createFactor({
    auth: admin,
    body: { key: `admin.edit.${tag}`, category: 'purchases', unit: 'CHF', kg_co2e_per_unit: '0.3', scope: 3, year: YEAR },
    throwOnError: true,
  }));
  ({ data: spare } = await createFactor({
    auth: admin,
    body: { key: `admin.spare.${tag}`, category: 'purchases', unit: 'CHF', kg_co2e_per_unit: '0.2', scope: 3, year: YEAR },
    throwOnError: true,
  }));
  // A plain account with a lab and a few entries: the institution's report has a lab to show.
  plainEmail = `theo.${tag}@example.org`;
  plainPassword = `pw-${crypto.randomUUID()}`;
  await createUser({ auth: admin, body: { email: plainEmail, password: plainPassword, full_name: 'Théo Martin' }, throwOnError: true });
  const plain = await signIn(plainEmail, plainPassword);
  ({ data: lab } = await createLab({ auth: plain, body: { name: 'Glaciology', code: `GLAC-${tag.toUpperCase()}` }, throwOnError: true }));
  for (const [year, quantity] of [[YEAR - 1, '12000'], [YEAR, '9000']] as const) {
    await createEntry({ auth: plain, path: { lab_id: lab.id }, body: { date: `${year}-02-15`, factor_key: 'electricity.grid.CH', quantity }, throwOnError: true });
    await createEntry({ auth: plain, path: { lab_id: lab.id }, body: { date: `${year}-03-01`, factor_key: 'heating.natural_gas', quantity: '3000' }, throwOnError: true });
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', acceptDownloads: true });
  page = await context.newPage();
  watch(page);
});

afterEach(async (test) => {
  if (test.task.result?.state === 'fail' && page) await shot(page, `failed-${test.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
});

describe("the administrator's screens", () => {
  it('an administrator signs in at a deep link to the users; the header leads to users and the institution', async () => {
    await signInAt(page, '/app/users', adminEmail, adminPassword);
    await page.getByRole('form', { name: 'Create an account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/users');
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await expect.poll(() => nav.getByRole('link').allInnerTexts()).toEqual(['Labs', 'Factors', 'Institution', 'Users', 'Profile']);
    expect(await nav.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
    await page.getByTestId('users').locator('tbody tr').first().waitFor();
  });

  it('creates an account (a taken email and a weak password refused at their fields), changes its role and deactivates it', async () => {
    const form = page.getByRole('form', { name: 'Create an account' });
    const email = `sara.${tag}@example.org`;
    const password = `pw-${crypto.randomUUID()}`;
    // A taken email: the 409 under the email field.
    await form.getByLabel('Email').fill(plainEmail);
    await form.getByLabel('Full name').fill('Sara Rossi');
    await form.getByLabel('Initial password').fill(password);
    await form.getByRole('button', { name: 'Create an account' }).click();
    await expect.poll(() => form.locator('[data-field="email"] .field-error').innerText()).toMatch(/already|registered|exists|use/i);
    // A weak password: the 422 under the password field.
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Initial password').fill('short');
    await form.getByRole('button', { name: 'Create an account' }).click();
    await form.locator('[data-field="password"] .field-error').waitFor();
    expect(await form.locator('[data-field="email"] .field-error').count()).toBe(0);

    await form.getByLabel('Initial password').fill(password);
    await form.getByRole('button', { name: 'Create an account' }).click();
    await expect.poll(() => form.getByRole('status').innerText()).toContain(email);
    // The new account's form opens: make it an administrator.
    const edit = page.getByTestId('edit-user');
    await expect.poll(() => edit.locator('h3').innerText()).toContain(email);
    expect(await edit.getByTestId('edit-user-state').innerText()).toBe('user · active');
    await edit.getByLabel('Account role').selectOption('admin');
    await edit.getByRole('button', { name: 'Save the account' }).click();
    await expect.poll(() => edit.getByTestId('edit-user-state').innerText()).toBe('administrator · active');
    await edit.getByRole('status').waitFor();
    const { data: found } = await listUsers({ auth: admin, query: { limit: 200 }, throwOnError: true });
    const created = found.items.find((u) => u.email === email);
    expect(created?.role).toBe('admin');
    await shot(page, 'users');

    // Deactivate: the account can no longer sign in, in the API nor in the app.
    await edit.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => edit.getByTestId('edit-user-state').innerText()).toBe('administrator · deactivated');
    const { data: after } = await getUser({ auth: admin, path: { user_id: created!.id }, throwOnError: true });
    expect(after.is_active).toBe(false);
    const { response } = await login({ body: { username: email, password } });
    expect(response.status).toBe(401);

    const other = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const outsider = await other.newPage();
    watch(outsider);
    await signInAt(outsider, '/app/', email, password);
    await outsider.getByRole('form', { name: 'Sign in' }).getByRole('alert').waitFor();
    expect(await outsider.getByRole('form', { name: 'Sign in' }).getByRole('alert').getAttribute('data-status')).toBe('401');
    expect(await outsider.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    await other.close();
  });

  it('edits a factor and sees the new value; a refused value is shown at its field', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Factors' }).click();
    await page.getByLabel('Search').fill(factor.key);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByTestId('factors').locator('tbody tr', { hasText: factor.key });
    await expect.poll(() => row.innerText()).toContain('0.3 / CHF');
    await row.getByRole('link', { name: `Edit ${factor.key} (${YEAR})` }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/factors/${factor.id}`);
    const form = page.getByRole('form', { name: 'Edit the factor' });
    await form.getByLabel('kg CO2e per unit', { exact: false }).fill('-1');
    await form.getByRole('button', { name: 'Save the factor' }).click();
    await form.locator('[data-field="kg_co2e_per_unit"] .field-error').waitFor();
    // A reload of the factor's address opens the same form.
    await page.reload();
    await form.getByLabel('kg CO2e per unit', { exact: false }).fill('0,45');
    await form.getByLabel('Source').fill(`edited by the test ${tag}`);
    await form.getByRole('button', { name: 'Save the factor' }).click();
    await page.waitForURL((url) => url.pathname === '/app/factors' && url.searchParams.get('search') === factor.key);
    await expect.poll(() => row.innerText()).toContain('0.45 / CHF');
    expect(await row.innerText()).toContain(`edited by the test ${tag}`);
    const { data } = await getFactor({ auth: admin, path: { factor_id: factor.id }, throwOnError: true });
    expect(data.kg_co2e_per_unit).toBe('0.45');
    expect(data.version).toBe(factor.version + 1);
  });

  it('deletes an unused factor; one that entries use is refused with the reason', async () => {
    await open(`/app/factors/${spare.id}`);
    const form = page.getByRole('form', { name: 'Edit the factor' });
    await form.getByRole('button', { name: 'Delete the factor' }).click();
    await page.waitForURL((url) => url.pathname === '/app/factors' && url.searchParams.get('search') === spare.key);
    await page.getByTestId('no-factors').waitFor();
    const { response } = await getFactor({ auth: admin, path: { factor_id: spare.id } });
    expect(response.status).toBe(404);

    // The electricity factor the lab's entries use.
    await open(`/app/factors?search=electricity.grid.CH&year=${YEAR}`);
    const used = page.getByTestId('factors').locator('tbody tr', { hasText: 'electricity.grid.CH' }).first();
    await used.getByRole('link', { name: /^Edit electricity\.grid\.CH/ }).click();
    await form.getByRole('button', { name: 'Delete the factor' }).click();
    const problem = form.getByRole('alert');
    await problem.waitFor();
    expect(await problem.getAttribute('data-status')).toBe('409');
    expect(new URL(page.url()).pathname).toMatch(/^\/app\/factors\/[0-9a-f-]{36}$/);
  });

  it('uploads a factors CSV with one bad row: the import fails and names the row', async () => {
    await open('/app/factors');
    await page.getByRole('link', { name: 'Import or sync factors' }).click();
    expect(new URL(page.url()).pathname).toBe('/app/factors/imports');
    const lines = [
      'key,category,unit,kg_co2e_per_unit,scope,year',
      `admin.csv.one.${tag},purchases,CHF,0.1,3,${YEAR}`,
      `admin.csv.two.${tag},purchases,CHF,lots,3,${YEAR}`,
      `admin.csv.three.${tag},purchases,CHF,0.3,3,${YEAR}`,
    ];
    await page.getByLabel('CSV file').setInputFiles({ name: 'factors.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
    const section = page.getByRole('region', { name: 'Import a factors CSV' });
    await section.getByLabel('Bad rows').selectOption('fail');
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/factors/imports?on_error=fail'));
    await section.getByRole('button', { name: 'Upload' }).click();
    expect((await answer).status()).toBe(202);
    const job = section.getByTestId('job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    const errors = section.getByTestId('row-errors').locator('tbody tr');
    await expect.poll(() => errors.count()).toBe(1);
    expect(await errors.first().innerText()).toMatch(/^3\s+kg_co2e_per_unit/);
    // Nothing was written (fail: one bad row fails the whole file).
    await open(`/app/factors?search=admin.csv.one.${tag}`);
    await page.getByTestId('no-factors').waitFor();
    await open('/app/factors/imports');
    const jobs = page.getByTestId('factor-jobs').locator('tbody tr[data-kind="factors"]').first();
    await expect.poll(() => jobs.innerText()).toMatch(/factors import\s+failed/i);
    await shot(page, 'factor-imports');
  });

  it('triggers a sync: on a server without FACTOR_SYNC_URL the refusal names the setting', async () => {
    const section = page.getByRole('region', { name: 'Sync from the source' });
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/factors/sync'));
    await section.getByRole('button', { name: 'Sync now' }).click();
    expect((await answer).status()).toBe(409);
    const problem = section.getByRole('alert');
    await problem.waitFor();
    expect(await problem.getAttribute('data-status')).toBe('409');
    expect(await problem.innerText()).toContain('FACTOR_SYNC_URL');
    expect(await section.getByTestId('job').count()).toBe(0);
  });

  it("views the institution's report at its URL and exports it as CSV, the same as the API's", async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Institution' }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/institution/${YEAR}`);
    const { data: report } = await getInstitutionReport({ auth: admin, query: { year: YEAR }, throwOnError: true });
    await expect.poll(() => page.getByTestId('institution-total').innerText()).toBe(`${co2e(report.total_kg_co2e)} CO2e`);
    const row = page.getByTestId('institution-labs-table').locator(`tr[data-lab="${lab.code}"]`);
    await expect.poll(() => row.innerText()).toContain('Glaciology');
    // The previous year, by its address and after a reload.
    await page.goto(`${baseUrl}/app/institution/${YEAR - 1}`);
    await expect.poll(() => page.getByTestId('year').innerText()).toBe(String(YEAR - 1));
    await page.getByTestId('institution-labs-table').locator(`tr[data-lab="${lab.code}"]`).waitFor();
    await page.getByRole('button', { name: 'Next year' }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/institution/${YEAR}`);
    await row.waitFor();

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: `Export ${YEAR} as CSV` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`institution-${YEAR}.csv`);
    const text = readFileSync((await download.path())!, 'utf-8');
    const { data: expected } = await getInstitutionReport({ auth: admin, query: { year: YEAR, format: 'csv' }, parseAs: 'text', throwOnError: true });
    expect(text).toBe(expected as unknown as string);
    const csvLines = text.split('\r\n');
    expect(csvLines[0]).toBe('section,key,kg_co2e,quantity,unit,share');
    const total = csvLines[1].split(',');
    expect(total.slice(0, 2)).toEqual(['total', String(YEAR)]);
    expect(Number(total[2])).toBe(Number(report.total_kg_co2e));
    expect(csvLines.some((line) => line.startsWith(`lab_category,${lab.code}/electricity,`))).toBe(true);
    await shot(page, 'institution');
  });

  it("sets the institution's reduction target (a refused percentage at its field) and sees each year against the path", async () => {
    await page.getByRole('link', { name: "The institution's reduction target" }).click();
    expect(new URL(page.url()).pathname).toBe('/app/institution/target');
    await page.getByTestId('no-target').waitFor();
    const form = page.getByRole('form', { name: "The institution's reduction target" });
    await form.getByLabel('Baseline year').fill(String(YEAR - 1));
    await form.getByLabel('Target year').fill(String(YEAR + 4));
    await form.getByLabel('Reduction (%)').fill('150');
    await form.getByRole('button', { name: 'Save the target' }).click();
    await form.locator('[data-field="reduction_pct"] .field-error').waitFor();
    await form.getByLabel('Reduction (%)').fill('40');
    await form.getByRole('button', { name: 'Save the target' }).click();
    const years = page.getByTestId('target-years').locator('tbody tr');
    await expect.poll(() => years.count()).toBe(6);
    await page.reload();
    await expect.poll(() => years.count()).toBe(6);
    expect(await page.getByRole('heading', { level: 3 }).filter({ hasText: '−40 %' }).innerText()).toBe(`−40 % from ${YEAR - 1} to ${YEAR + 4}`);
    // This year has entries: an actual total, a gap and a status.
    const current = page.getByTestId('target-years').locator(`tr[data-year="${YEAR}"]`);
    expect(await current.locator('td').nth(2).innerText()).not.toBe('—');
    expect(await current.locator('td').nth(4).innerText()).toMatch(/^(on track|above the path)$/);
    expect(await page.getByTestId('target-years').locator(`tr[data-year="${YEAR + 4}"] td`).nth(2).innerText()).toBe('—');
    await shot(page, 'institution-target');
  });

  it("shows every lab's audit trail at its URL: who did what, in which lab; the period is in the URL", async () => {
    await page.getByRole('link', { name: 'Audit trail of every lab' }).click();
    expect(new URL(page.url()).pathname).toBe('/app/audit');
    const rows = page.getByTestId('audit').locator('tbody tr');
    // The plain account added entries to its lab in beforeAll: events of that lab, by that account.
    const created = rows.filter({ hasText: plainEmail }).filter({ hasText: 'entry.created' }).first();
    await created.waitFor();
    expect(await created.locator('td').nth(2).innerText()).toBe('Glaciology');
    // The target this admin just set belongs to no lab.
    const target = rows.filter({ hasText: 'target.replaced' }).first();
    expect(await target.locator('td').nth(2).innerText()).toBe('—');
    expect(await target.innerText()).toContain(adminEmail);

    const today = new Date().toLocaleDateString('en-CA'); // YYYY-MM-DD, the browser's own day
    const filter = page.getByRole('form', { name: 'Filter the audit trail' });
    await filter.getByLabel('From').fill(today);
    await filter.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe(`?since=${today}`);
    await created.waitFor();
    await page.reload();
    await created.waitFor();
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA');
    await filter.getByLabel('From').fill(tomorrow);
    await filter.getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('no-audit').waitFor();
    expect(await rows.count()).toBe(0);
    await shot(page, 'audit');
  });

  it('passes axe on each screen in English at 1280 px and in French at 360 px, where nothing sticks out', async () => {
    const screens: [string, string, () => Promise<unknown>][] = [
      ['users', '/app/users', () => page.getByTestId('users').locator('tbody tr').first().waitFor()],
      ['factors', `/app/factors?search=${factor.key}`, () => page.getByTestId('factors').locator('tbody tr td.actions a').first().waitFor()],
      ['factor', `/app/factors/${factor.id}`, () => page.getByRole('form', { name: /./ }).locator('input').first().waitFor()],
      ['factor-imports', '/app/factors/imports', () => page.getByTestId('factor-jobs').waitFor()],
      ['institution', `/app/institution/${YEAR}`, () => page.getByTestId('institution-total').waitFor()],
      ['institution-target', '/app/institution/target', () => page.getByTestId('target-years').waitFor()],
      ['audit', '/app/audit', () => page.getByTestId('audit').locator('tbody tr').first().waitFor()],
    ];
    for (const [name, path, ready] of screens) {
      await open(path);
      await ready();
      expect(await axeViolations(page), `${name} (en, 1280 px)`).toEqual([]);
    }
    await page.locator('.lang-switch select').selectOption('fr');
    await page.setViewportSize(PHONE);
    try {
      for (const [name, path, ready] of screens) {
        await open(path);
        await ready();
        expect(await axeViolations(page), `${name} (fr, 360 px)`).toEqual([]);
        expect(await overflow(page), `${name} (fr, 360 px)`).toEqual([]);
        expect(await englishLeftovers(page, { skip: 'td, .me, .sidebar, h3 .muted' }), `${name} (fr): English words`).toEqual([]);
        await page.screenshot({ path: `${ARTIFACTS}admin-360-fr-${name}.png`, fullPage: true });
      }
    } finally {
      // The next steps read English at desktop width, also after a failure here.
      await page.locator('.lang-switch select').selectOption('en');
      await page.setViewportSize(DESKTOP);
    }
  });

  it('creates an account with the keyboard alone', async () => {
    await open('/app/users');
    const form = page.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Email').focus();
    const email = `kbd.${tag}@example.org`;
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim Berg');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`pw-${crypto.randomUUID()}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('label')?.dataset.field)).toBe('role');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Create an account');
    await page.keyboard.press('Enter');
    await expect.poll(() => form.getByRole('status').innerText()).toContain(email);
    expect(await page.getByTestId('edit-user').locator('h3').innerText()).toContain(email);
  });

  it('removes the target again (the institution is shared by the other browser tests)', async () => {
    await open('/app/institution/target');
    await page.getByRole('button', { name: 'Remove the target' }).click();
    await page.getByTestId('no-target').waitFor();
  });

  it('a plain account sees no administrator links and is told so at their URLs', async () => {
    const other = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const plain = await other.newPage();
    watch(plain);
    await signInAt(plain, '/app/users', plainEmail, plainPassword);
    const refused = plain.getByTestId('admins-only');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('For administrators only');
    const nav = plain.getByRole('navigation', { name: 'Sections' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Labs', 'Factors', 'Profile']);
    for (const path of [`/app/institution/${YEAR}`, '/app/institution/target', '/app/audit', '/app/factors/imports', `/app/factors/${factor.id}`]) {
      await plain.goto(`${baseUrl}${path}`);
      await refused.waitFor();
    }
    // The factors stay readable, without the administrator's links.
    await plain.goto(`${baseUrl}/app/factors?search=${factor.key}`);
    await plain.getByTestId('factors').locator('tbody tr').first().waitFor();
    expect(await plain.getByRole('link', { name: /^Edit / }).count()).toBe(0);
    expect(await plain.getByRole('link', { name: 'Import or sync factors' }).count()).toBe(0);
    // The server refuses all the same.
    const token = await signIn(plainEmail, plainPassword);
    const { response } = await listUsers({ auth: token });
    expect(response.status).toBe(403);
    await other.close();
  });

  it('logged no unexpected console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});

/** A second live server started with FACTOR_SYNC_URL (the shared one has none, on purpose: the
 * co2calc suite checks its 409), printed by `scripts.live_server` when it serves. */
async function syncServer(url: string): Promise<{ process: ChildProcess; base: string; email: string; password: string }> {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const child = spawn('uv', ['run', '--no-sync', 'python', '-m', 'scripts.live_server'], {
    cwd: root,
    env: { ...process.env, FACTOR_SYNC_URL: url, CO2CALC_BASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const found = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no second server within 90 s:\n${out}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /CO2CALC_BASE_URL=(\S+)[\s\S]*CO2CALC_TEST_ADMIN_EMAIL=(\S+)[\s\S]*CO2CALC_TEST_ADMIN_PASSWORD=(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the second server exited with ${code}:\n${out}`));
    });
  });
  return { process: child, base: found[1], email: found[2], password: found[3] };
}

describe('a sync that runs, on a server with FACTOR_SYNC_URL', () => {
  let source: Server;
  let second: Awaited<ReturnType<typeof syncServer>> | undefined;
  const key = `sync.feed.${crypto.randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    source = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/csv' });
      response.end(`key,category,unit,kg_co2e_per_unit,scope,year,region,source\n${key},heating,kWh,0.2,1,${YEAR},,the test's feed\n`);
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    second = await syncServer(`http://127.0.0.1:${(source.address() as AddressInfo).port}/factors.csv`);
  }, 120_000);

  afterAll(async () => {
    if (second?.process.exitCode === null) {
      const exited = new Promise((resolve) => second!.process.once('exit', resolve));
      second.process.kill('SIGTERM'); // the live server stops uvicorn and drops its database
      await exited;
    }
    await new Promise((resolve) => source?.close(resolve));
  }, 60_000);

  it('starts the sync, shows its job live until it succeeds, and lists the synced factor', async () => {
    const other = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const target = await other.newPage();
    watch(target);
    await target.goto(`${second!.base}/app/factors/imports`);
    await target.getByLabel('Email').fill(second!.email);
    await target.getByLabel('Password').fill(second!.password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    const section = target.getByRole('region', { name: 'Sync from the source' });
    const answer = target.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/factors/sync'));
    await section.getByRole('button', { name: 'Sync now' }).click();
    expect((await answer).status()).toBe(202);
    const job = section.getByTestId('job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(await job.innerText()).toContain('factors.csv');
    await expect.poll(() => target.getByTestId('factor-jobs').locator('tbody tr[data-kind="factor_sync"]').first().innerText()).toMatch(/sync\s+succeeded/i);
    await target.getByRole('link', { name: '‹ Emission factors' }).first().click();
    await target.getByLabel('Search').fill(key);
    await target.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => target.getByTestId('factors').locator('tbody tr').first().innerText()).toContain(key);
    await other.close();
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
