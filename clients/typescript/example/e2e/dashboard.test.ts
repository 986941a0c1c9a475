// The dashboard in a real browser (Debian's Chromium through playwright-core) against a live
// server that serves the built page at /app/: sign in, labs over cursor pages, a report, an entry
// that changes the total, a stale edit's 409, a CSV import followed live over the job socket, a
// failed import's row errors, an import undone, the entries filtered, an import cancelled while
// it runs, and the token refresh. Screenshots go to .artifacts/dashboard/.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  getLabReport,
  listLabEntries,
  refreshTokens,
  updateEntry,
  type BrowserSession,
  type JobStreamMessage,
} from '@co2calculator/client';

import { LABS_PAGE_SIZE } from '../src/pages';
import { co2e } from '../src/format';
import { baseUrl, LAB_NAMES, REPORT_LAB, seedWorld, YEAR, type World } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser;
let page: Page;
let world: World;
let firstTokens: BrowserSession;
let firstCookie: string; // the session's first refresh token (HttpOnly: read through the browser context)
const frames: JobStreamMessage[] = [];
const consoleErrors: string[] = [];
// Chromium logs every non-2xx answer; these are the ones the steps provoke on purpose.
const EXPECTED_STATUSES = [401, 409];

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png` });
const total = () => page.getByTestId('report-total').innerText();

async function reportTotal(): Promise<number> {
  const { data } = await getLabReport({
    auth: world.auth,
    path: { lab_id: world.lab.id },
    query: { year: YEAR },
    throwOnError: true,
  });
  return Number(data.total_kg_co2e);
}

function csv(lines: string[]): { name: string; mimeType: string; buffer: Buffer } {
  return { name: `activities-${YEAR}.csv`, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') };
}

async function upload(file: ReturnType<typeof csv>, policy: 'fail' | 'skip'): Promise<string> {
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByLabel('Bad rows').selectOption(policy);
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && /\/imports(\?|$)/.test(r.url()));
  await page.getByRole('button', { name: 'Upload' }).click();
  const response = await answer;
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const served = await fetch(`${baseUrl}/app/`);
  expect(served.status, `${baseUrl}/app/ does not serve the built dashboard`).toBe(200);
  world = await seedWorld();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  await context.clock.install(); // time flows as usual; the refresh step jumps ahead
  page = await context.newPage();
  page.on('console', (message) => {
    const expected = EXPECTED_STATUSES.some((status) => message.text().includes(`status of ${status}`));
    if (message.type() === 'error' && !expected) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => frames.push(JSON.parse(String(payload)) as JobStreamMessage)),
  );
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) await shot(`failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
});

describe('the dashboard', () => {
  it('shows a wrong password as a readable problem, then signs in', async () => {
    await page.goto(`${baseUrl}/app/`);
    await page.getByLabel('Email').fill(world.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const problem = page.locator('.problem[data-status="401"]');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('Sign-in');
    await shot('01-sign-in-refused');

    await page.getByLabel('Password').fill(world.password);
    const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/session') && r.ok());
    await page.getByRole('button', { name: 'Sign in' }).click();
    firstTokens = (await (await signedIn).json()) as BrowserSession;
    expect(Object.keys(firstTokens)).not.toContain('refresh_token');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect.poll(() => page.locator('.me').innerText()).toBe('Ada Keller');
    // The access token lives in memory only; the refresh token in a cookie scripts cannot read.
    const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    expect(stored).toEqual([0, 0, '']);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'co2calc_refresh', httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/session' });
    firstCookie = cookie.value;
  });

  it('lists the labs a page at a time and loads the next page on scroll', async () => {
    const labs = page.getByTestId('lab-list').locator('a.lab');
    await expect.poll(() => labs.count()).toBe(LABS_PAGE_SIZE);
    await page.waitForTimeout(300); // nothing more loads while the end of the list is out of sight
    expect(await labs.count()).toBe(LABS_PAGE_SIZE);
    await page.getByTestId('lab-list').evaluate((list) => list.scrollTo(0, list.scrollHeight));
    await expect.poll(() => labs.count()).toBe(LAB_NAMES.length);
    await page.getByText('All labs shown').waitFor();
    expect(await labs.locator('.lab-name').allInnerTexts()).toEqual([...LAB_NAMES].sort());
  });

  it("opens a lab's yearly report: chart by month, breakdown by category and scope", async () => {
    await page.getByRole('link', { name: new RegExp(REPORT_LAB) }).click();
    await page.getByTestId('report-total').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/app/labs/${world.lab.id}/${YEAR}`);
    expect(await total()).toBe(`${co2e(await reportTotal())} CO2e`);
    expect(await page.getByTestId('year').innerText()).toBe(String(YEAR));
    await expect.poll(() => page.locator('[data-testid=month-chart] .recharts-bar-rectangle').count()).toBe(11);
    expect(await page.getByTestId('by-category').locator('tr').count()).toBe(5);
    expect(await page.getByTestId('by-scope').locator('.scope').count()).toBe(3);
    await shot('02-report');
  });

  it('adds an entry: the mutation invalidates the report and the total changes', async () => {
    const before = await reportTotal();
    const shown = await total();
    await page.getByLabel('Factor').selectOption('electricity.grid.CH');
    await page.getByLabel(/^Quantity/).fill('25000');
    await page.getByLabel('Note').fill('new -80 °C freezer, first month');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Added 25,000 kWh' }).waitFor();
    await expect.poll(total).not.toBe(shown);
    const after = await reportTotal();
    expect(after - before).toBeCloseTo(25000 * 0.128, 6);
    expect(await total()).toBe(`${co2e(after)} CO2e`);
  });

  it("shows a stale version's 409 readably, and reloads the entry", async () => {
    const { data } = await listLabEntries({
      auth: world.auth,
      path: { lab_id: world.lab.id },
      query: { limit: 1 },
      throwOnError: true,
    });
    const entry = data.items[0];
    const row = page.locator(`tr[data-entry="${entry.id}"]`);
    await row.getByRole('button', { name: 'Edit' }).click();
    // Someone else changes it meanwhile.
    await updateEntry({
      auth: world.auth,
      path: { entry_id: entry.id },
      body: { version: entry.version, note: 'corrected by the lab manager' },
      throwOnError: true,
    });
    await row.getByLabel('New quantity').fill('26000');
    await row.getByRole('button', { name: 'Save' }).click();
    const problem = page.locator('.problem[data-status="409"]');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/409[\s\S]*Conflict[\s\S]*changed since you read it/);
    await problem.scrollIntoViewIfNeeded();
    await shot('03-stale-version-409');

    await page.getByRole('button', { name: 'Reload the entry' }).click();
    await expect.poll(() => row.innerText()).toContain('corrected by the lab manager');
    expect(await problem.count()).toBe(0);
  });

  it('deletes an entry: the total drops by exactly its emissions', async () => {
    const before = await reportTotal();
    const { data } = await listLabEntries({
      auth: world.auth,
      path: { lab_id: world.lab.id },
      query: { limit: 1 },
      throwOnError: true,
    });
    const entry = data.items[0];
    const row = page.locator(`tr[data-entry="${entry.id}"]`);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(before - (await reportTotal())).toBeCloseTo(Number(entry.kg_co2e), 6);
    await expect.poll(total).toBe(`${co2e(await reportTotal())} CO2e`);
  });

  it('uploads a CSV and follows the job over the socket until it succeeds', async () => {
    const before = await reportTotal();
    const rows = Array.from({ length: 240 }, (_, i) => {
      const month = String((i % 11) + 1).padStart(2, '0');
      return i % 3 ? `${YEAR}-${month}-10,rail_travel.national,${40 + (i % 7)}` : `${YEAR}-${month},purchases.lab_consumables,${100 + i}`;
    });
    const jobId = await upload(csv(['date,factor_key,quantity', ...rows]), 'fail');

    const job = page.getByTestId('job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(await job.innerText()).toContain('240 / 240 rows');
    const live = frames.filter((m) => m.type === 'job' && !m.replay && m.job.id === jobId);
    expect(live.map((m) => m.type === 'job' && m.job.state)).toContain('succeeded');
    await expect.poll(async () => (await reportTotal()) > before).toBe(true);
    await expect.poll(total).toBe(`${co2e(await reportTotal())} CO2e`);
    await job.scrollIntoViewIfNeeded();
    await shot('05-import-succeeded');
    // The whole page at once.
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.getByTestId('lab-list').evaluate((list) => list.scrollTo(0, 0));
    await page.locator('.content').evaluate((content) => content.scrollTo(0, 0));
    await shot('04-dashboard');
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it('shows the row errors of a failed import, and nothing was added', async () => {
    const before = await reportTotal();
    const jobId = await upload(
      csv([
        'date,factor_key,quantity,note',
        `${YEAR}-02-01,electricity.grid.CH,120,ok`,
        `${YEAR}-02-01,electricity.grid.XX,5,unknown factor`,
        `${YEAR}-13-01,heating.natural_gas,5,bad month`,
        `${YEAR}-03-01,rail_travel.national,-3,negative`,
      ]),
      'fail',
    );
    const job = page.getByTestId('job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    const errors = page.getByTestId('row-errors').locator('tbody tr');
    await expect.poll(() => errors.count()).toBe(3);
    const text = (await errors.allInnerTexts()).join('\n');
    expect(text).toMatch(/^3\s+factor_key/m);
    expect(text).toMatch(/^4\s+date/m);
    expect(text).toMatch(/^5\s+quantity/m);
    // The unknown key's row suggests the nearest known key.
    await expect.poll(() => errors.nth(0).getByTestId('row-suggestion').innerText()).toContain('electricity.grid.CH');
    expect(frames.some((m) => m.type === 'job' && m.job.id === jobId && m.job.state === 'failed')).toBe(true);
    expect(await reportTotal()).toBe(before);
    await page.getByTestId('row-errors').scrollIntoViewIfNeeded();
    await shot('06-import-row-errors');
  });

  it('lists the imports and undoes one: its entries go, the total is back', async () => {
    const before = await reportTotal();
    await page.getByRole('link', { name: 'Imports' }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/labs/${world.lab.id}/imports`);
    const rows = page.getByTestId('imports').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const succeeded = rows.filter({ hasText: 'succeeded' });
    expect(await succeeded.innerText()).toContain('240/240');
    page.once('dialog', (dialog) => void dialog.accept());
    await succeeded.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(reportTotal).toBeLessThan(before);
    await expect.poll(() => rows.count()).toBe(1);
    await shot('08-imports-undone');
    await page.getByRole('link', { name: 'Report & entries' }).click();
    await expect.poll(total).toBe(`${co2e(await reportTotal())} CO2e`);
  });

  it('filters the entries by category and by factor key, and says when none match', async () => {
    const filters = page.getByRole('form', { name: 'Filter entries' });
    const rows = page.getByTestId('entries').locator('tbody tr');
    const texts = async () => (await rows.allInnerTexts()).join('\n');
    await expect.poll(() => rows.count()).toBe(8); // the first page of the year's entries

    await filters.getByLabel('Category').selectOption('heating');
    const only = async (key: string) => {
      const shown = await rows.allInnerTexts();
      return shown.length > 0 && shown.every((row) => row.includes(key));
    };
    await expect.poll(() => only('heating.natural_gas')).toBe(true);
    expect(await texts()).not.toContain('electricity.grid.CH');

    await filters.getByLabel('Category').selectOption('');
    await filters.getByLabel('Filter by key').fill('Not a key!');
    await filters.getByRole('alert').waitFor();
    expect(await filters.getByRole('button', { name: 'Filter', exact: true }).isDisabled()).toBe(true);
    await filters.getByLabel('Filter by key').fill('rail_travel.national');
    await filters.getByRole('button', { name: 'Filter', exact: true }).click();
    const { data } = await listLabEntries({
      auth: world.auth,
      path: { lab_id: world.lab.id },
      query: { factor_key: 'rail_travel.national', date_from: `${YEAR}-01-01`, date_to: `${YEAR}-12-31`, limit: 8 },
      throwOnError: true,
    });
    expect(data.items.length).toBeGreaterThan(0);
    await expect.poll(() => only('rail_travel.national')).toBe(true);
    expect(await rows.count()).toBe(data.items.length);

    await filters.getByLabel('Category').selectOption('waste');
    await expect.poll(() => page.getByTestId('no-entries').innerText()).toBe('No entries of this year match these filters.');
    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(8);
  });

  it('cancels an import while it runs: nothing of it is written', async () => {
    const before = await reportTotal();
    // Large enough to be still running when the click lands (a few seconds of work).
    const rows = Array.from(
      { length: 150_000 },
      (_, i) => `${YEAR}-${String((i % 11) + 1).padStart(2, '0')}-10,rail_travel.national,${1 + (i % 9)}`,
    );
    const jobId = await upload(csv(['date,factor_key,quantity', ...rows]), 'fail');
    await page.getByRole('button', { name: 'Cancel the import' }).click();
    const job = page.getByTestId('job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled');
    expect(frames.some((m) => m.type === 'job' && m.job.id === jobId && m.job.state === 'cancelled')).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel the import' }).count()).toBe(0);
    expect(await reportTotal()).toBe(before);
  });

  it('refreshes the access token before it expires and carries on with the new one', async () => {
    const authorization = async (pattern: RegExp) =>
      (await page.waitForRequest((r) => pattern.test(r.url()))).headerValue('authorization');
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const first = frames.length;

    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/session/refresh'));
    // To 30 s before the access token expires (JWT_ACCESS_EXPIRE_MINUTES; 30 by default).
    await page.clock.fastForward(firstTokens.expires_in * 1000 - 30_000);
    expect((await refreshed).status()).toBe(200);

    const nextReport = authorization(/\/api\/v1\/reports\//);
    await page.getByRole('button', { name: 'Previous year' }).click();
    const token = await nextReport;
    expect(token).toMatch(/^Bearer /);
    expect(token).not.toBe(`Bearer ${firstTokens.access_token}`);
    await expect.poll(() => sockets.length).toBeGreaterThan(0); // the socket reconnected with it
    expect(sockets.at(-1)).toContain(`token=${encodeURIComponent(token!.slice('Bearer '.length))}`);
    await expect.poll(() => frames.slice(first).some((m) => m.type === 'ready')).toBe(true);
    expect(await page.getByTestId('year').innerText()).toBe(String(YEAR - 1));
    expect(new URL(page.url()).pathname).toBe(`/app/labs/${world.lab.id}/${YEAR - 1}`);
    await page.getByTestId('report-total').waitFor();
  });

  it('signs out with the reason when the session is revoked', async () => {
    // Replaying the spent first refresh token (the first cookie's) makes the server revoke the
    // whole token family.
    const { response } = await refreshTokens({ body: { refresh_token: firstCookie } });
    expect(response.status).toBe(401);
    await page.clock.fastForward(firstTokens.expires_in * 1000); // the page's next refresh is refused
    await page.getByText(/^Signed out: .*sign in again/).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.getByTestId('lab-list').count()).toBe(0);
    await shot('07-session-ended');
  });

  it('logged no unexpected errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
