// What a resident does: find their community from the portal, switch to large text, all without
// JavaScript as well as with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SCREENSHOTS, launch, phonePage } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const javaScriptEnabled of [true, false]) {
  const label = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a resident finds their community from the portal (${label})`, async () => {
    const { context, page } = await phonePage(browser, { javaScriptEnabled });
    await page.goto(BASE + '/');
    await page.getByLabel('社区、村或镇（街）名称').fill('三眼井');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/\/divisions\?q=/);
    await page.getByRole('link', { name: '三眼井社区居委会' }).click();
    await page.waitForURL(/\/divisions\/440104001007$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '三眼井社区居委会');
    const crumbs = await page.getByRole('navigation', { name: '位置' }).textContent();
    assert.match(crumbs, /越秀区[\s\S]*洪桥街道/);
    await context.close();
  });

  test(`large-text mode persists across pages (${label})`, async () => {
    const { context, page } = await phonePage(browser, { javaScriptEnabled });
    await page.goto(BASE + '/divisions/440104');
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await page.getByRole('button', { name: '大字模式' }).click();
    await page.waitForURL(/\/divisions\/440104$/);
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(after >= before * 1.2, `text grew from ${before}px to ${after}px`);
    await page.goto(BASE + '/');
    assert.equal(await page.evaluate(() => document.documentElement.className), 'large-text');
    await page.screenshot({ path: `${SCREENSHOTS}portal-after-switch-${javaScriptEnabled ? 'js' : 'nojs'}.png` });
    await page.getByRole('button', { name: '标准字号' }).click();
    await page.waitForURL(BASE + '/');
    assert.equal(await page.evaluate(() => document.documentElement.className), '');
    await context.close();
  });

  test(`the skip link moves focus to the main content (${label})`, async () => {
    const { context, page } = await phonePage(browser, { javaScriptEnabled });
    await page.goto(BASE + '/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert.equal(focused, '跳到主要内容');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => location.hash), '#main');
    await context.close();
  });
}
