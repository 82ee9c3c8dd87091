// What a resident sees of a work room (R8): the page, and the printed poster whose QR code, read by
// a real QR decoder from the rendered page, opens that page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { BASE, SCREENSHOTS, launch, phonePage } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a resident finds the work room serving their community', async () => {
  const { context, page } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(BASE + '/divisions?q=%E4%B8%89%E7%9C%BC%E4%BA%95');
  await page.getByRole('link', { name: '三眼井社区居委会' }).click();
  await page.getByRole('link', { name: '洪桥街政协委员工作室' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '洪桥街政协委员工作室');
  assert.match(await page.locator('main').textContent(), /黄志坚/);
  await context.close();
});

test('the poster prints on one A4 page and its QR code opens the room page', async () => {
  const context = await browser.newContext({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(BASE + '/rooms/1/poster');
  await page.screenshot({ path: `${SCREENSHOTS}poster.png`, fullPage: true });
  const png = PNG.sync.read(await page.locator('.qr-code svg').screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(decoded, 'the QR code can be read');
  assert.equal(decoded.data, BASE + '/rooms/1');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, 'one A4 page');
  await context.close();
});
