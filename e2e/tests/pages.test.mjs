// Every public page: no WCAG 2.1 AA violation in normal and large-text mode, readable at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SCREENSHOTS, launch, phonePage, signIn, wcagViolations, overflowsHorizontally } from './support.mjs';

// Every page the server has so far; later features add theirs here.
const PAGES = [
  ['portal', '/'],
  ['divisions', '/divisions'],
  ['search', '/divisions?q=%E6%B4%AA%E6%A1%A5'],
  ['search-none', '/divisions?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%9C%B0%E6%96%B9'],
  ['district', '/divisions/440104'],
  ['street', '/divisions/440104001'],
  ['community', '/divisions/440104001007'],
  ['not-found', '/no/such/page'],
  ['invalid', '/divisions/abc'],
  ['login', '/login'],
  ['rooms', '/rooms'],
  ['room', '/rooms/1'],
  ['coming-days', '/reception-days'],
  ['poster', '/rooms/1/poster'],
  ['track', '/track'],
];

// Pages behind sign-in, with the account that sees them.
const STAFF_PAGES = [
  ['demo-district', 'workbench', '/me'],
  ['demo-district', 'password', '/account/password'],
  ['demo-district', 'accounts', '/admin/accounts'],
  ['demo-district', 'import', '/admin/members/import'],
  ['demo-district', 'staffing', '/admin/staffing'],
  ['demo-district', 'calendar', '/admin/calendar?year=2024'],
  ['demo-staff', 'sessions', '/admin/rooms/1/sessions?year=2026'],
  ['demo-staff', 'ledgers', '/admin/rooms/1/ledgers?year=2026'],
  ['demo-district', 'room-admin', '/admin/rooms'],
  ['demo-district', 'members', '/admin/members'],
  ['demo-district', 'member', '/admin/members/1'],
  ['demo-city', 'calendar-city', '/admin/calendar'],
  ['demo-district', 'community-manage', '/divisions/440104001007'],
  ['demo-district', 'forbidden', '/admin/audit'],
  ['demo-city', 'audit', '/admin/audit?verify=1'],
  ['demo-member', 'member-workbench', '/me'],
  ['demo-staff', 'activities', '/admin/activities'],
  ['demo-member', 'member-activities', '/admin/activities'],
  ['demo-district', 'activities-district', '/admin/activities?room=1'],
  ['demo-district', 'duty', '/admin/duty?year=2026'],
  ['demo-staff', 'opinions', '/admin/opinions'],
  ['demo-staff', 'opinion', '/admin/opinions/1'],
  ['demo-dept', 'opinions-dept', '/admin/opinions'],
  ['demo-street', 'opinion-review', '/admin/opinions/10'],
  ['demo-member', 'insights', '/admin/insights'],
  ['demo-city', 'annual-summaries', '/admin/annual-summaries'],
  ['demo-city', 'annual-summary-review', '/admin/annual-summaries/440104/2026'],
  ['demo-district', 'annual-summary-draft', '/admin/annual-summaries/440104/2025'],
  ['demo-staff', 'room-rules', '/admin/rooms/1/rules'],
  ['demo-district', 'rule-templates', '/admin/rule-templates'],
  ['demo-city', 'dashboard-city', '/dashboard?year=2026'],
  ['demo-district', 'dashboard-district', '/dashboard?year=2026'],
  ['demo-street', 'dashboard-street', '/dashboard?year=2026'],
  ['demo-inspector', 'inspections', '/admin/inspections'],
  ['demo-inspector', 'inspection-new', '/admin/inspections/new?room_id=5'],
  ['demo-inspector', 'inspection', '/admin/inspections/1'],
  ['demo-staff', 'rectifications', '/admin/rectifications'],
  ['demo-staff', 'rectification', '/admin/rectifications/1'],
  ['demo-inspector', 'rectification-review', '/admin/rectifications/3'],
  ['demo-district', 'funding', '/admin/funding'],
  ['demo-street', 'room-funding', '/admin/rooms/1/funding'],
  ['demo-member', 'support-requests', '/admin/support-requests'],
  ['demo-district', 'support-request', '/admin/support-requests/1'],
  ['demo-member', 'proposals', '/admin/proposals'],
  ['demo-member', 'proposal', '/admin/proposals/2'],
  ['demo-district', 'proposal-adopted', '/admin/proposals/1'],
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const mode of ['normal', 'large']) {
  test(`every page passes axe WCAG 2.1 AA in ${mode} text at 360 px`, async () => {
    const { context, page } = await phonePage(browser);
    if (mode === 'large') {
      await context.addCookies([{ name: 'wr_text', value: 'large', url: BASE }]);
    }
    const problems = [];
    for (const [name, path] of PAGES) {
      await page.goto(BASE + path);
      const violations = await wcagViolations(page);
      if (violations.length) problems.push(`${path}:\n  ${violations.join('\n  ')}`);
      if (await overflowsHorizontally(page)) problems.push(`${path}: wider than 360 px`);
      await page.screenshot({ path: `${SCREENSHOTS}${name}-${mode}.png`, fullPage: true });
    }
    for (const [username, name, path] of STAFF_PAGES) {
      await context.clearCookies({ name: 'wr_session' });
      await signIn(page, username);
      await page.goto(BASE + path);
      const violations = await wcagViolations(page);
      if (violations.length) problems.push(`${path} as ${username}:\n  ${violations.join('\n  ')}`);
      if (await overflowsHorizontally(page)) problems.push(`${path} as ${username}: wider than 360 px`);
      await page.screenshot({ path: `${SCREENSHOTS}${name}-${mode}.png`, fullPage: true });
    }
    await context.close();
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}
