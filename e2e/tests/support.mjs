// Shared by the browser tests: the server's address, Debian's chromium, and the axe check.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';

export const BASE = process.env.WORKROOM_BASE_URL ?? 'http://127.0.0.1:8080';
export const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;
mkdirSync(SCREENSHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // This machine's network is closed: keep chromium from trying to reach Google at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone-sized page (360 px wide), optionally without JavaScript. */
export async function phonePage(browser, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale: 'zh-CN', javaScriptEnabled,
  });
  return { context, page: await context.newPage() };
}

/** WCAG 2.1 A and AA violations on the current page, as readable lines. */
export async function wcagViolations(page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** True when the page is wider than its viewport (a horizontal scroll bar on a phone). */
export async function overflowsHorizontally(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** Signs in through the sign-in page in `page` and waits for the workbench (or the next page). */
export async function signIn(page, username, password = 'workroom-demo') {
  await page.goto(BASE + '/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForLoadState('load');
}
