// hub_test.mjs - drives the control page in Debian's headless Chromium
// (playwright-core) against `metahall hub` and real kiosks (hub_test.sh
// starts them): a wrong token is refused and shows nothing, the right one
// shows every kiosk with its state and a live thumbnail; an exhibit is
// switched from a kiosk's card and the kiosk's reply comes back to the
// page; "switch all" reaches every kiosk; a kiosk killed with SIGKILL
// raises an offline alert. Screenshots of the page go to --out (look at
// them). Prints one JSON object of figures on stdout.
//
//   node hub_test.mjs --url URL --token T --out DIR --kiosks k1,k2,k3 --kill-pid PID --kill-key default/k3
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const log = (m) => process.stderr.write(`hub_test: ${m}\n`);
let failed = false;
const check = (cond, what) => {
  if (cond) return;
  log(`FAIL: ${what}`);
  failed = true;
  throw new Error(what);
};

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase())] = argv[i + 1];
  for (const k of ['url', 'token', 'out', 'kiosks', 'killPid', 'killKey'])
    if (!o[k]) { log(`--${k} is required`); process.exit(2); }
  o.kiosks = o.kiosks.split(',');
  return o;
}

const card = (page, key) => page.locator(`article.card[data-key="${key}"]`);

async function replyOf(page, key, text, timeout = 30000) {
  await page.waitForFunction(([k, t]) => window.__mh.replies.some((r) => r.key === k && r.reply.startsWith(t)),
    [key, text], { timeout });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const hall = o.killKey.split('/')[0];
  const keys = o.kiosks.map((k) => `${hall}/${k}`);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'metahall-hub-'));
  const figures = {};
  let context;
  try {
    context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.MH_CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
      viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1,
    });
    const page = context.pages()[0] ?? await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    // a wrong token: refused, nothing of the fleet shown
    await page.goto(o.url);
    await page.locator('#login-form').waitFor();
    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button');
    await page.locator('#login-error').filter({ hasText: 'wrong token' }).waitFor({ timeout: 10000 });
    check(await page.locator('#fleet').isHidden(), 'a wrong token shows no kiosk');
    const anon = await page.evaluate(async () => (await fetch('/api/cmd', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Metahall': '1' },
      body: JSON.stringify({ target: 'default/all', cmd: 'QUIT' }) })).status);
    check(anon === 401, `a command without logging in is refused (got ${anon})`);
    errors.length = 0;   /* the browser logs those two refusals (403, 401) as errors: they were wanted */

    // the right token (after the back-off of the wrong one, if any): every kiosk
    const t0 = Date.now();
    await page.goto(o.url);
    await page.fill('#token', o.token);
    await page.click('#login-form button');
    for (const key of keys) {
      await card(page, key).waitFor({ timeout: 30000 });
      await card(page, key).locator('dd').first().filter({ hasText: /\w/ }).waitFor({ timeout: 30000 });
    }
    figures.login_to_cards_ms = Date.now() - t0;
    // a fresh load of the page (logged in): until every kiosk is drawn with its state
    const t1 = Date.now();
    await page.reload();
    await page.waitForFunction((n) => window.__mh.readyMs !== null &&
      document.querySelectorAll('article.card').length >= n, keys.length, { timeout: 30000 });
    figures.page_load_ms = Date.now() - t1;
    figures.page_ready_in_page_ms = Math.round(await page.evaluate(() => window.__mh.readyMs));
    // thumbnails: a PNG per kiosk, shown. The width is read in the same
    // test that sees the image complete: a kiosk sends a new one every few
    // seconds, and while the next one loads the element has no width
    for (const key of keys) {
      const shown = await page.waitForFunction((k) => {
        const img = document.querySelector(`article.card[data-key="${k}"] img.thumb`);
        return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;
      }, key, { timeout: 30000 });
      const thumbW = await shown.jsonValue();
      check(thumbW > 0 && thumbW <= 320, `${key}'s thumbnail is a small PNG (${thumbW} px wide)`);
    }
    // the exhibit menus come from LIST
    for (const key of keys)
      await page.waitForFunction((k) => document.querySelector(`article.card[data-key="${k}"] select`).options.length === 13,
        key, { timeout: 30000 });
    await page.screenshot({ path: path.join(o.out, 'hub_page.png'), fullPage: true });

    // switch one kiosk from its card: the reply comes back, the state and thumbnail follow
    const k2 = keys[1];
    const thumbBefore = await card(page, k2).locator('img.thumb').getAttribute('src');
    await card(page, k2).locator('select').selectOption('xiamen');
    await card(page, k2).getByRole('button', { name: /Switch/ }).click();
    await replyOf(page, k2, 'OK featured xiamen');
    await card(page, k2).locator('.reply').filter({ hasText: 'SWITCH xiamen → OK featured xiamen' }).waitFor();
    await card(page, k2).locator('dd').first().filter({ hasText: 'xiamen' }).waitFor({ timeout: 30000 });
    await page.waitForFunction(([k, before]) =>
      document.querySelector(`article.card[data-key="${k}"] img.thumb`).getAttribute('src') !== before,
    [k2, thumbBefore], { timeout: 30000 });
    // more round trips for the figure: NEXT on the first kiosk, a few times
    for (let i = 0; i < 5; i++) {
      const n = (await page.evaluate(() => window.__mh.roundTrips.length));
      await card(page, keys[0]).getByRole('button', { name: '▶' }).click();
      await page.waitForFunction((m) => window.__mh.roundTrips.length > m, n, { timeout: 30000 });
    }
    // every kiosk of the hall at once
    await page.selectOption('#all-exhibit', 'wuxi');
    await page.click('[data-all="SWITCH"]');
    for (const key of keys) await replyOf(page, key, 'OK featured wuxi');
    await page.click('[data-all="LANG en"]');
    for (const key of keys) await replyOf(page, key, 'OK language en');
    figures.round_trips_ms = (await page.evaluate(() => window.__mh.roundTrips)).map((r) => Math.round(r.ms));
    figures.round_trip_lines = (await page.evaluate(() => window.__mh.roundTrips)).map((r) => r.line);

    // a kiosk dies: an offline alert
    const tk = Date.now();
    process.kill(Number(o.killPid), 'SIGKILL');
    const alert = page.locator('#alerts .alert', { hasText: o.killKey });
    await alert.waitFor({ timeout: 30000 });
    figures.offline_alert_ms = Date.now() - tk;
    check(/offline/.test(await alert.textContent()), 'the alert says offline');
    check(await card(page, o.killKey).evaluate((c) => c.classList.contains('offline')), 'the card is marked offline');
    await page.screenshot({ path: path.join(o.out, 'hub_offline.png'), fullPage: true });
    check(errors.length === 0, `no errors in the page: ${errors.join(' | ')}`);
  } finally {
    await context?.close().catch(() => {});
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(figures) + '\n');
}

main().catch((e) => { if (!failed) log(`FAIL: ${String(e.message ?? e).split('\n')[0]}`); process.exit(1); });
