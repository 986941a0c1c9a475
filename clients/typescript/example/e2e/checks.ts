// The checks every screen of the app passes, shared by the browser tests (usable, admin): axe's
// accessibility rules, nothing sticking out sideways, and no English left on a French screen.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

import {
  BASIS_NAMES,
  CABIN_NAMES,
  CATEGORY_NAMES,
  JOB_STATE_NAMES,
  KIND_NAMES,
  MESSAGES,
  MONTH_NAMES,
  ROLE_NAMES,
  STAFF_NAMES,
  YEAR_ACTION_NAMES,
  YEAR_STATE_NAMES,
  type Lang,
} from '../src/i18n';

/** axe's violations, one line each (rule, impact, the elements' selectors), for a readable failure. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')}`,
  );
}

/** What sticks out of the viewport horizontally: the page's own scroll, and any visible element. */
export async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) problems.push(`page scrolls: ${root.scrollWidth} > ${root.clientWidth}`);
    const width = document.documentElement.clientWidth;
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || (style.position === 'absolute' && style.clipPath !== 'none')) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        const name = `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`;
        problems.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
      }
    }
    return problems.slice(0, 12);
  });
}

export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}]+/u).filter((word) => word.length > 1);
}

/** The words a language's messages use (every message, with sample arguments for the functions). */
function wordsOf(lang: Lang): Set<string> {
  const texts: string[] = [
    ...Object.values(CATEGORY_NAMES[lang]),
    ...Object.values(ROLE_NAMES[lang]),
    ...Object.values(JOB_STATE_NAMES[lang]),
    ...Object.values(STAFF_NAMES[lang]),
    ...Object.values(YEAR_STATE_NAMES[lang]),
    ...Object.values(YEAR_ACTION_NAMES[lang]),
    ...Object.values(BASIS_NAMES[lang]),
    ...Object.values(KIND_NAMES[lang]),
    ...Object.values(CABIN_NAMES[lang]),
    ...MONTH_NAMES[lang],
  ];
  for (const message of Object.values(MESSAGES[lang])) {
    if (typeof message === 'string') texts.push(message);
    else texts.push((message as (...args: unknown[]) => string)(...Array<unknown>(message.length).fill(null)));
  }
  return new Set(texts.flatMap(words));
}

/** English words of the app that French never uses (`the`, `entries`, `sign`, …). */
export const ENGLISH_ONLY = (() => {
  const french = wordsOf('fr');
  return new Set([...wordsOf('en')].filter((word) => !french.has(word)));
})();

/** The app's English words on the screen: its text, labels and placeholders, without the data:
 * code, notes, the `data` strings, factor keys and emails, and what `skip` selects (e.g. table
 * cells of names the test did not choose). */
export async function englishLeftovers(page: Page, { data = [], skip = '' }: { data?: string[]; skip?: string } = {}): Promise<string[]> {
  const shown = await page.evaluate((skipped) => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    const removed = ['code, .note, script, style', skipped].filter(Boolean).join(', ');
    for (const element of Array.from(clone.querySelectorAll(removed))) element.remove();
    const attributes = Array.from(document.querySelectorAll('[aria-label], [placeholder], [title]'))
      .filter((element) => !skipped || !element.closest(skipped))
      .flatMap((element) => ['aria-label', 'placeholder', 'title'].map((name) => element.getAttribute(name) ?? ''));
    document.body.appendChild(clone);
    clone.style.position = 'absolute';
    const text = clone.innerText;
    clone.remove();
    return [text, ...attributes].join('\n');
  }, skip);
  let text = shown;
  for (const value of data) text = text.split(value).join(' ');
  text = text.replace(/[\w-]+(\.[\w-]+)+/g, ' '); // factor keys inside option texts, emails
  return [...new Set(words(text).filter((word) => ENGLISH_ONLY.has(word)))];
}
