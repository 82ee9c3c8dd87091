// What office staff do: sign in, create an account for a colleague, who signs in with the one-time
// password and is made to choose their own; the city office checks the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SCREENSHOTS, launch, overflowsHorizontally, phonePage, signIn, wcagViolations } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('district staff create an account; the new colleague must set a password first', async () => {
  const { context, page } = await phonePage(browser, { javaScriptEnabled: false });
  await signIn(page, 'demo-district');
  assert.match(page.url(), /\/me$/);
  await page.getByRole('link', { name: '账号管理' }).first().click();
  const username = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('姓名或名称').fill('王小明');
  await page.getByLabel('角色').selectOption('street_lead');
  await page.getByLabel('所属区或镇（街）代码').fill('440104001');
  await page.getByRole('button', { name: '新建账号' }).click();
  const secret = (await page.locator('.secret').textContent()).trim();
  assert.equal(secret.length, 12);
  await page.screenshot({ path: `${SCREENSHOTS}account-created.png`, fullPage: true });
  await page.getByRole('button', { name: '退出登录' }).click();

  await signIn(page, username, secret);
  assert.match(page.url(), /\/account\/password$/);
  await page.goto(BASE + '/admin/accounts');
  assert.match(page.url(), /\/account\/password$/, 'every page waits until the password is changed');
  await page.getByLabel('当前密码').fill(secret);
  await page.getByLabel('新密码', { exact: true }).fill('洪桥街道新密码2026');
  await page.getByLabel('再输入一次新密码').fill('洪桥街道新密码2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  assert.match(page.url(), /\/me$/);
  assert.match(await page.locator('main').textContent(), /洪桥街道/);
  await context.close();
});

test('a wrong password shows a clear message on the sign-in page', async () => {
  const { context, page } = await phonePage(browser);
  await signIn(page, 'demo-city', 'wrong-password');
  assert.equal(await page.getByRole('alert').textContent(), '用户名或密码不正确');
  await context.close();
});

test('the city office verifies the audit trail', async () => {
  const { context, page } = await phonePage(browser);
  await signIn(page, 'demo-city');
  await page.getByRole('link', { name: '审计日志' }).first().click();
  await page.getByRole('button', { name: '校验完整性' }).click();
  assert.match(await page.getByRole('status').textContent(), /校验通过/);
  await context.close();
});

test('district staff download the roster template and import it', async () => {
  const { context, page } = await phonePage(browser, { javaScriptEnabled: false });
  await signIn(page, 'demo-district');
  await page.goto(BASE + '/admin/members/import');
  const template = await page.request.get(BASE + '/admin/members/template.xlsx');
  assert.equal(template.status(), 200);
  const buffer = await template.body();
  await page.getByLabel('名册文件（.xlsx，最大 10 MB）').setInputFiles({
    name: '委员名册.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer,
  });
  await page.getByLabel('只检查，不保存（试导入）').check();
  await page.getByRole('button', { name: '上传并导入' }).click();
  assert.match(await page.getByRole('status').textContent(), /试导入（未保存）：共 1 行/);
  await page.screenshot({ path: `${SCREENSHOTS}import-done.png`, fullPage: true });
  await context.close();
});

test('room staff plan next year from the calendar, move a day with a reason and print its notice', async () => {
  // With JavaScript on, for axe; the forms themselves are plain HTML posts.
  const { context, page } = await phonePage(browser);
  await signIn(page, 'demo-staff');
  await page.getByRole('link', { name: '接待日安排' }).first().click();
  const year = new Date().getFullYear() + 1;
  await page.getByLabel('年份').fill(String(year));
  await page.getByRole('button', { name: '查看' }).click();
  await page.getByRole('button', { name: `按接待日历排定 ${year} 年剩余的接待日` }).click();
  assert.match(await page.getByRole('status').textContent(), /已按接待日历排定 6 个接待日/);
  assert.deepEqual(await wcagViolations(page), []);
  assert.equal(await overflowsHorizontally(page), false);
  const first = page.locator('.sessions > li').first();
  await first.getByText('调整安排').click();
  await first.getByLabel('开始').fill('14:30');
  await first.getByLabel('结束').fill('17:00');
  await first.getByLabel('调整原因（必填）').fill('上午社区有其他活动');
  await first.getByRole('button', { name: '保存调整' }).click();
  assert.match(await page.getByRole('status').textContent(), /已调整/);
  await page.screenshot({ path: `${SCREENSHOTS}sessions-adjusted.png`, fullPage: true });
  const notice = page.locator('.sessions > li').first().getByRole('link', { name: '打印公告（A4）' });
  await notice.click();
  assert.match(await page.locator('main').textContent(), /14:30–17:00/);
  assert.deepEqual(await wcagViolations(page), []);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, 'the notice prints on one A4 page');
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: `${SCREENSHOTS}notice.png`, fullPage: true });
  await context.close();
});
