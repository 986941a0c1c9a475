// The API docs in a real browser (Debian's Chromium through playwright-core) against the live
// server, with every request to another origin refused: `/` leads to the dashboard, `/docs` renders
// the spec (Swagger UI served by the server itself), signs in with the OAuth2 password flow and
// calls GET /users/me, all under the server's Content Security Policy (a refused script or style
// is a console error). Screenshot: .artifacts/dashboard/docs.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { baseUrl } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];
// The app at /app/ (where `/` leads) asks once whether a session cookie exists: signed out, that
// is a 401, which Chromium logs as an error. Any other refused request is an error of the test.
const refused: string[] = [];
const SIGNED_OUT_PROBE = '/api/v1/auth/session/refresh';

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('status of 401')) consoleErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() === 401) refused.push(new URL(response.url()).pathname);
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  const origin = new URL(baseUrl).origin;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the API docs', () => {
  it('are not where / leads once the dashboard is built: the dashboard is', async () => {
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/app/');
    // Signed out: the app's session probe is answered (401) and it asks to sign in.
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('render the spec from assets of this server only', async () => {
    await page.goto(`${baseUrl}/docs`);
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor();
    expect(await title.innerText()).toContain('OAS 3.1');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(40);
    await page.screenshot({ path: `${ARTIFACTS}docs.png` });
  });

  it('sign in with the password flow and call an authenticated operation', async () => {
    await page.getByRole('button', { name: /Authorize/ }).first().click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('#oauth_username').fill(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '');
    await dialog.locator('#oauth_password').fill(process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
    await dialog.locator('button.modal-btn.authorize').first().click();
    await dialog.locator('button', { hasText: 'Logout' }).first().waitFor();
    await dialog.locator('button.close-modal').first().click();

    const operation = page.locator('#operations-users-getMe');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe('200');
  });

  it('asked nothing of another origin and logged no errors (no CSP refusal)', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(refused).toEqual([SIGNED_OUT_PROBE]);
  });
});
