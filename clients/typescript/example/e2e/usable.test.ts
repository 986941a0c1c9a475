// Usable (issue 17 item 4): every main screen, at desktop width and at 360 px (a small phone),
// passes axe's automated accessibility rules (colour contrast, labels, names, landmarks, …; no
// rule disabled), has no horizontal scrolling and nothing outside the viewport at 360 px, and the
// app can be used from the keyboard. Screenshots: .artifacts/dashboard/usable-*.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createEntry, createLab, createUser, type LabPublic } from '@co2calculator/client';

import { baseUrl, seedFactors, signIn, YEAR } from './seed';

const ARTIFACTS = fileURLToPath(new URL('../../../../.artifacts/dashboard/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

let browser: Browser;
let page: Page;
let email: string;
let password: string;
let lab: LabPublic;
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
  { name: 'factors', path: () => '/app/factors', ready: (p) => p.getByTestId('factors').locator('tbody tr').first().waitFor() },
  { name: 'profile', path: () => '/app/profile', ready: (p) => p.getByTestId('no-keys').waitFor() },
];

async function open(screen: Screen): Promise<void> {
  await page.goto(`${baseUrl}${screen.path()}`);
  await screen.ready(page);
}

/** axe's violations, one line each (rule, impact, the elements' selectors), for a readable failure. */
async function axeViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')}`,
  );
}

/** What sticks out of the viewport horizontally: the page's own scroll, and any visible element. */
async function overflow(): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) problems.push(`page scrolls: ${root.scrollWidth} > ${root.clientWidth}`);
    const width = document.documentElement.clientWidth;
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.position === 'absolute' && style.clipPath !== 'none') continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        const name = `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`;
        problems.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
      }
    }
    return problems.slice(0, 12);
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const admin = await signIn(process.env.CO2CALC_TEST_ADMIN_EMAIL ?? '', process.env.CO2CALC_TEST_ADMIN_PASSWORD ?? '');
  await seedFactors(admin);
  const tag = crypto.randomUUID().slice(0, 6).toLowerCase();
  email = `ines.${tag}@example.org`;
  password = `pw-${crypto.randomUUID()}`;
  await createUser({ auth: admin, body: { email, password, full_name: 'Inès Favre' }, throwOnError: true });
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
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  // A context of its own (axe runs its frames' script through the context).
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('status of 401')) consoleErrors.push(message.text());
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
    expect(await axeViolations()).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await overflow()).toEqual([]);
    expect(await axeViolations()).toEqual([]);
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
      expect(await axeViolations()).toEqual([]);
    });
  }

  for (const screen of SCREENS) {
    it(`${screen.name}: at 360 px, no horizontal scrolling, nothing outside the viewport, no axe violation`, async () => {
      await page.setViewportSize(PHONE);
      await open(screen);
      expect(await overflow()).toEqual([]);
      expect(await axeViolations()).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}usable-360-${screen.name}.png`, fullPage: true });
    });
  }

  it('logged no unexpected errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
