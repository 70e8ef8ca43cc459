'use strict';
// An object cannot borrow the console's origin (docs/console.md#objects-and-the-consoles-origin):
// an HTML object with a script, opened path-style on the console's host by a browser signed in to
// the console, must not run that script nor reach /-/console/ with the session. As a control, the
// same object on a server started with --no-console runs its script (and there is no console).
//
// Needs /usr/bin/chromium (Debian package chromium). Without it the test is skipped, unless CI is
// set: under CI it fails instead.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./helpers');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const skip = !haveChromium && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium); set CI to make this a failure` : false;

// The page reports in its title whether its script ran and what /-/console/ answered it.
const EVIL = `<!doctype html><title>inert</title><script>
document.title = 'ran';
fetch('/-/console/', { credentials: 'include' })
  .then(r => r.text())
  .then(t => { document.title = /Sign out/.test(t) ? 'leaked' : 'ran, no session'; })
  .catch(() => { document.title = 'ran, fetch refused'; });
</script>`;

async function launch(profileDir) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A public-read bucket holding the HTML object; returns its path-style URL. */
async function plant(server, bucket) {
  const client = h.makeClient(server, { bucket });
  await client.putBucket(bucket);
  await client.putBucketACL(bucket, 'public-read');
  await client.put('evil.html', Buffer.from(EVIL), { headers: { 'Content-Type': 'text/html' } });
  return `${server.endpoint}/${bucket}/evil.html`;
}

/** Opens `url` and returns the page's title once its script (if any) had time to finish. */
async function titleAfterOpening(browser, url) {
  const page = await browser.newPage();
  const resp = await page.goto(url);
  await page.waitForTimeout(1500);
  const title = await page.title();
  await page.close();
  return { title, headers: resp.headers() };
}

describe('web console: objects never run with the console origin (Chromium)', { skip }, () => {
  let withConsole;
  let withoutConsole;
  let browser;
  let profileDir;

  before(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} not found, and CI is set: the browser test must run (apt-get install chromium)`);
    withConsole = await h.startServer();
    withoutConsole = await h.startServer({ OSSD_NO_CONSOLE: 'true' });
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-console-origin-'));
    browser = await launch(profileDir);
  });

  after(async () => {
    if (browser) await browser.close();
    if (withConsole) await withConsole.stop();
    if (withoutConsole) await withoutConsole.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('a signed-in user opening an HTML object runs none of its script', async () => {
    const page = await browser.newPage();
    await page.goto(`${withConsole.endpoint}/-/console/sign-in`);
    await page.fill('#access_key_id', h.ACCESS_KEY_ID);
    await page.fill('#access_key_secret', h.ACCESS_KEY_SECRET);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    assert.match(await page.textContent('body'), /Sign out/, 'signed in to the console');
    await page.close();

    const url = await plant(withConsole, 'origin-console');
    const { title, headers } = await titleAfterOpening(browser, url);
    assert.equal(headers['content-security-policy'], 'sandbox');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(title, 'inert', 'the object\'s script must not run on the console\'s origin');
  });

  it('without the console, the same object is served as stored and its script runs', async () => {
    const url = await plant(withoutConsole, 'origin-plain');
    const { title, headers } = await titleAfterOpening(browser, url);
    assert.equal(headers['content-security-policy'], undefined);
    assert.match(title, /^ran/);
    const consolePage = await fetch(`${withoutConsole.endpoint}/-/console/`);
    assert.notEqual(consolePage.status, 200, '--no-console serves no console');
  });
});
