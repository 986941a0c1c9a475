// The first hour, in a real browser against a live server. A new account meets "No labs yet" and
// what to do about it, creates a lab, invites a colleague, makes an API key (shown once) and
// revokes it, filters the factors through the URL. Then the administrator signs in at a deep link,
// adds a member directly (an unknown email is refused next to the field) and changes its role;
// the session and the view survive a reload of a deep link, a link opened in a new tab, and two
// tabs reloading at the same moment (they share the refresh cookie: without the cross-tab lock,
// the second rotation would present a spent token and the server would end the session).
// Then an entry of each kind (plain, flight, purchase, refrigerant, equipment; a bad airport and a
// bad currency refused at their fields), each showing what it was computed from; a typed entry's
// note edited, the report exported as CSV (its total is the entries' sum) and an equipment's
// lifetime deleted as one. Screenshots go to .artifacts/dashboard/ (1x-*.png).
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createUser, getLabReport, getMe, listLabEntries, listLabMembers, listMyInvitations } from '@co2calculator/client';

import { co2e } from '../src/format';
import { ACTIVITY_FACTORS, baseUrl, seedActivityFactors, seedFactors, signIn, YEAR, type Token } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let email: string;
let password: string;
let colleague: string;
let member: string;
let auth: Token;
let labId: string;
const consoleErrors: string[] = [];
// Chromium logs every non-2xx answer: the page's first refresh without a cookie (401), the
// refused member and password (422) and the taken lab code (409) are provoked on purpose.
const EXPECTED_STATUSES = [401, 409, 422];

const shot = (target: Page, name: string) => target.screenshot({ path: `${ARTIFACTS}${name}.png` });
const path = (target: Page) => new URL(target.url()).pathname;

function watch(target: Page): void {
  target.on('console', (message) => {
    const expected = EXPECTED_STATUSES.some((status) => message.text().includes(`status of ${status}`));
    if (message.type() === 'error' && !expected) consoleErrors.push(message.text());
  });
  target.on('pageerror', (error) => consoleErrors.push(String(error)));
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const admin = await signIn(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '', process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
  await seedFactors(admin);
  await seedActivityFactors(admin, YEAR - 1);
  const tag = crypto.randomUUID().slice(0, 6).toLowerCase();
  email = `lea.${tag}@example.org`;
  colleague = `marc.${tag}@example.org`;
  member = `nina.${tag}@example.org`;
  password = `pw-${crypto.randomUUID()}`;
  await createUser({ auth: admin, body: { email, password, full_name: 'Léa Rochat' }, throwOnError: true });
  await createUser({ auth: admin, body: { email: colleague, password, full_name: 'Marc Dubois' }, throwOnError: true });
  await createUser({ auth: admin, body: { email: member, password, full_name: 'Nina Weber' }, throwOnError: true });
  auth = await signIn(email, password);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
  page = await context.newPage();
  watch(page);
});

afterEach(async (test) => {
  if (test.task.result?.state === 'fail' && page) await shot(page, `failed-${test.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
});

describe('the first hour in the app', () => {
  it('a new account signs in to "No labs yet", which says what to do, and creates a lab', async () => {
    await page.goto(`${baseUrl}/app/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const empty = page.getByTestId('no-labs');
    await empty.waitFor();
    expect(await empty.innerText()).toContain('Create the first one');
    await shot(page, '10-no-labs');

    await empty.getByRole('link', { name: 'Create a lab' }).click();
    expect(path(page)).toBe('/app/labs/new');
    await page.getByLabel('Name').fill('Glaciology');
    await page.getByLabel(/^Code/).fill(`GLAC-${email.slice(4, 10).toUpperCase()}`);
    await page.getByLabel('Institution').fill('Institute for Environmental Research');
    await page.getByLabel(/^Region/).fill('CH');
    await shot(page, '11-create-lab');
    await page.getByRole('button', { name: 'Create the lab' }).click();
    await page.getByTestId('members').waitFor();
    const match = /^\/app\/labs\/([0-9a-f-]{36})\/members$/.exec(path(page));
    expect(match).not.toBeNull();
    labId = match![1];
    expect(await page.getByTestId('lab-list').locator('a.lab').allInnerTexts()).toEqual([
      expect.stringContaining('Glaciology'),
    ]);
    expect(await page.locator('.members').innerText()).toContain('Only you so far');
  });

  it('refuses a second lab with the same code next to the code field', async () => {
    const code = `GLAC-${email.slice(4, 10).toUpperCase()}`;
    await page.getByRole('link', { name: 'New lab' }).click();
    await page.getByLabel('Name').fill('Glaciology again');
    await page.getByLabel(/^Code/).fill(code);
    await page.getByRole('button', { name: 'Create the lab' }).click();
    const fieldError = page.locator('[data-field="code"] .field-error');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toContain(`A lab with code ${code} already exists`);
    expect(path(page)).toBe('/app/labs/new');
    await page.goBack(); // the history API: back to the members of the first lab
    await page.getByTestId('members').waitFor();
    expect(path(page)).toBe(`/app/labs/${labId}/members`);
  });

  it('its manager edits the lab in its settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(path(page)).toBe(`/app/labs/${labId}/settings`);
    await page.getByLabel('Description').fill('Ice cores and glacier mass balance');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('link', { name: 'Members' }).click();
  });

  it('its manager invites a colleague, who finds the invitation', async () => {
    const form = page.getByRole('form', { name: 'Invite a member' });
    await form.getByLabel('Email').fill(colleague);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Invite' }).click();
    await page.locator(`tr[data-invitation="${colleague}"]`).waitFor();
    const { data } = await listMyInvitations({ auth: await signIn(colleague, password), throwOnError: true });
    expect(data.map((i) => [i.lab_id, i.role])).toEqual([[labId, 'viewer']]);
  });

  it('creates an API key that is shown once, and revokes it', async () => {
    await page.getByRole('link', { name: 'Profile' }).click();
    expect(path(page)).toBe('/app/profile');
    await page.getByTestId('no-keys').waitFor();
    await page.getByLabel('Name of the new key').fill('meter upload');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    const key = await shown.locator('code').innerText();
    const { data: me } = await getMe({ auth: (a) => (a.scheme === 'bearer' ? key : undefined), throwOnError: true });
    expect(me.email).toBe(email);
    await shot(page, '14-api-key-once');
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByText(key).count()).toBe(0); // not shown again

    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('tr[data-key="meter upload"]').getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('no-keys').waitFor();
    const { response } = await getMe({ auth: (a) => (a.scheme === 'bearer' ? key : undefined) });
    expect(response.status).toBe(401);
  });

  it('refuses a wrong current password next to that field', async () => {
    const form = page.getByRole('form', { name: 'Change my password' });
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password').fill('a-new-password-123');
    await form.getByRole('button', { name: 'Change password' }).click();
    const fieldError = form.locator('[data-field="current_password"] .field-error');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toBe('incorrect');
    expect(await form.locator('.problem').count()).toBe(0); // nothing else to say
  });

  it('filters the factors through the URL', async () => {
    await page.goto(`${baseUrl}/app/factors?category=rail_travel`);
    const rows = page.getByTestId('factors').locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allInnerTexts()) expect(text).toContain('Rail travel');
    await page.getByLabel('Year').fill('1991');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('no-factors').waitFor();
    expect(new URL(page.url()).searchParams.get('year')).toBe('1991');
    expect(await page.getByRole('form', { name: 'Add a factor' }).count()).toBe(0); // not an admin
    await shot(page, '15-factors');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('the admin signs in at a deep link, adds a member (an unknown email refused at its field)', async () => {
    const deepLink = `/app/labs/${labId}/members`;
    await page.goto(`${baseUrl}${deepLink}`);
    await page.getByLabel('Email').fill(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '');
    await page.getByLabel('Password').fill(process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.getByRole('form', { name: 'Add a member' });
    await form.waitFor();
    expect(path(page)).toBe(deepLink);

    await form.getByLabel('Email').fill(`nobody.${member}`);
    await form.getByRole('button', { name: 'Add member' }).click();
    const fieldError = form.locator('[data-field="email"] .field-error');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toBe('no such account');

    await form.getByLabel('Email').fill(member);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Add member' }).click();
    const row = page.locator(`tr[data-member="${member}"]`);
    await row.waitFor();
    expect(await fieldError.count()).toBe(0);
    await row.getByLabel(`Role of ${member}`).selectOption('contributor');
    await expect
      .poll(async () => {
        const { data } = await listLabMembers({ auth, path: { lab_id: labId }, throwOnError: true });
        return data.find((m) => m.email === member)?.role;
      })
      .toBe('contributor');
    await shot(page, '12-members');
  });

  it('keeps the session and the view across a reload of a deep link', async () => {
    const deepLink = `/app/labs/${labId}/${YEAR - 1}`;
    await page.goto(`${baseUrl}${deepLink}`);
    await page.getByTestId('year').waitFor();
    expect(await page.getByTestId('year').innerText()).toBe(String(YEAR - 1));
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/session/refresh'));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await page.getByTestId('report-total').waitFor();
    expect(path(page)).toBe(deepLink);
    expect(await page.getByTestId('year').innerText()).toBe(String(YEAR - 1));
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await page.getByTestId('no-entries').innerText()).toContain('Add one above, or import a CSV');
    await shot(page, '13-reloaded-deep-link');
  });

  it('opens a shared link in a new tab signed in, and two tabs reloading at once stay signed in', async () => {
    const second = await context.newPage();
    watch(second);
    await second.goto(`${baseUrl}/app/labs/${labId}/members`);
    await second.locator(`tr[data-member="${member}"]`).waitFor();

    const refreshes: number[] = [];
    const count = (target: Page) =>
      target.on('response', (r) => {
        if (r.url().endsWith('/api/v1/auth/session/refresh')) refreshes.push(r.status());
      });
    count(page);
    count(second);
    await Promise.all([page.reload(), second.reload()]);
    await Promise.all([page.getByTestId('report-total').waitFor(), second.getByTestId('members').waitFor()]);
    expect(refreshes).toEqual([200, 200]);
    // Still one live session: a third rotation works.
    await page.reload();
    await page.getByTestId('report-total').waitFor();
    expect(refreshes).toEqual([200, 200, 200]);
    await second.close();
  });

  it('removes a member', async () => {
    await page.getByRole('link', { name: 'Members' }).click();
    const row = page.locator(`tr[data-member="${member}"]`);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const { data } = await listLabMembers({ auth, path: { lab_id: labId }, throwOnError: true });
    expect(data.map((m) => m.email)).toEqual([email]);
  });

  it('adds an entry of each kind, shows what each was computed from, and exports the report as CSV', async () => {
    // Last year: the ECB rates a purchase needs are in the package up to its release.
    const year = YEAR - 1;
    await page.goto(`${baseUrl}/app/labs/${labId}/${year}`);
    await page.getByTestId('no-entries').waitFor();
    const form = page.getByRole('form', { name: 'Add an entry' });
    const rows = page.getByTestId('entries').locator('tbody tr[data-entry]');
    const add = async (count: number) => {
      await form.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => rows.count()).toBe(count);
    };
    const kind = (name: string) => form.getByLabel('Kind').selectOption(name);

    await form.getByLabel('Date').fill(`${year}-01-31`);
    await form.getByLabel('Factor').selectOption('electricity.grid.CH');
    await form.getByLabel(/^Quantity/).fill('1000');
    await add(1);

    await kind('flight');
    await form.getByLabel('Date').fill(`${year}-02-03`);
    await form.getByLabel('From (IATA)').fill('GVA');
    await form.getByLabel('To (IATA)').fill('QQQ');
    await form.getByLabel('Travellers').fill('2');
    await form.getByLabel('Round trip').check();
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    const airport = form.locator('[data-field="destination"] .field-error');
    await airport.waitFor();
    expect(await airport.innerText()).not.toBe('');
    await form.getByLabel('To (IATA)').fill('lhr');
    await add(2);

    await kind('purchase');
    await form.getByLabel('Date').fill(`${year}-03-02`);
    expect(await form.getByLabel('Spend category').inputValue()).toBe(ACTIVITY_FACTORS.spend);
    await form.getByLabel('Amount').fill('1000');
    await form.getByLabel('Currency').fill('XYZ');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    const currency = form.locator('[data-field="currency"] .field-error');
    await currency.waitFor();
    expect(await currency.innerText()).not.toBe('');
    await form.getByLabel('Currency').fill('EUR');
    await add(3);

    await kind('refrigerant');
    await form.getByLabel('Date').fill(`${year}-04-01`);
    await form.locator('[data-field="gas"] input').fill(ACTIVITY_FACTORS.gas);
    await form.getByLabel('kg of gas').fill('0,5'); // a French decimal comma is sent as 0.5
    await add(4);

    await kind('equipment');
    await form.getByLabel('Purchase date').fill(`${year}-06-15`);
    await form.getByLabel('Equipment type').selectOption(ACTIVITY_FACTORS.equipment);
    await form.getByLabel(/^Items/).fill('2');
    await form.getByLabel('Lifetime (years)').fill('3');
    await add(5);
    await shot(page, '16-typed-entries');

    // Each line says what it was computed from.
    const detail = (k: string) => page.locator(`tr[data-kind="${k}"] [data-testid="activity"]`).innerText();
    expect(await detail('flight')).toMatch(/^GVA → LHR, economy, return, 2 × traveller; [\d,.]+ km per leg \([\d,.]+ \+ 95 uplift\), radiative forcing × 1 · [\d,.]+ km × factor of \d{4}$/);
    expect(await detail('purchase')).toMatch(/^1,000 EUR at [\d.]+ CHF\/EUR \(ECB rate of \d{4}-\d{2}-\d{2}\) · [\d,.]+ CHF × factor of \d{4}$/);
    expect(await detail('refrigerant')).toBe(`0.5 kg of ${ACTIVITY_FACTORS.gas}, GWP 1,530 (AR6) · 0.5 kg × factor of ${year}`);
    expect(await detail('equipment')).toBe(`year 1 of 3: 0.666666 of 2 bought ${year}-06-15 · 0.666666 item × factor of ${year}`);

    // A typed entry's note changes (its quantity follows from its activity).
    const gasRow = page.locator('tr[data-kind="refrigerant"]');
    await gasRow.getByRole('button', { name: 'Edit note' }).click();
    await gasRow.getByLabel('New note').fill('leak, cold room');
    await gasRow.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => gasRow.locator('.note').innerText()).toBe('leak, cold room');

    // The CSV export: its total is the sum of the year's entries, as the page shows it.
    const { data: entries } = await listLabEntries({ auth, path: { lab_id: labId }, query: { date_from: `${year}-01-01`, date_to: `${year}-12-31` }, throwOnError: true });
    expect(entries.items.map((e) => e.kind).sort()).toEqual(['equipment', 'flight', 'purchase', 'quantity', 'refrigerant']);
    const sum = entries.items.reduce((total, e) => total + Number(e.kg_co2e), 0);
    const downloading = page.waitForEvent('download');
    await page.getByTestId('download-csv').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`${year}\\.csv$`));
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('section,key,kg_co2e,quantity,unit,share');
    const totalRow = csv.split('\r\n').find((line) => line.startsWith('total,'))!.split(',');
    expect(totalRow[1]).toBe(String(year));
    expect(Number(totalRow[2])).toBeCloseTo(sum, 6);
    const { data: report } = await getLabReport({ auth, path: { lab_id: labId }, query: { year }, throwOnError: true });
    expect(totalRow[2]).toBe(report.total_kg_co2e);
    await expect.poll(() => page.getByTestId('report-total').innerText()).toBe(`${co2e(totalRow[2])} CO2e`);
    for (const kindRow of ['category,air_travel,', 'category,other,', 'category,equipment,', 'category,purchases,', 'category,electricity,']) {
      expect(csv).toContain(kindRow);
    }

    // Deleting any year of an equipment deletes its whole lifetime.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('tr[data-kind="equipment"]').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    const { data: after } = await listLabEntries({ auth, path: { lab_id: labId }, throwOnError: true });
    expect(after.items.filter((e) => e.kind === 'equipment')).toEqual([]);
  });

  it('logged no unexpected errors in the pages', () => {
    expect(consoleErrors).toEqual([]);
  });
});
