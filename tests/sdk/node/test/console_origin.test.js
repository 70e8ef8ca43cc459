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
const h = require('./helpers');
const chromium = require('./chromium');


// The page reports in its title whether its script ran and what /-/console/ answered it.
const EVIL = `<!doctype html><title>inert</title><script>
document.title = 'ran';
fetch('/-/console/', { credentials: 'include' })
  .then(r => r.text())
  .then(t => { document.title = /Sign out/.test(t) ? 'leaked' : 'ran, no session'; })
  .catch(() => { document.title = 'ran, fetch refused'; });
</script>`;

/** A public-read bucket holding the HTML object; returns its path-style URL. */
async function plant(server, bucket) {
  const client = h.makeClient(server, { bucket });
  await client.putBucket(bucket);
  await h.allowPublicAccess(server, bucket);
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

describe('web console: objects never run with the console origin (Chromium)', { skip: chromium.skip }, () => {
  let withConsole;
  let withoutConsole;
  let browser;

  before(async () => {
    chromium.requireChromium();
    withConsole = await h.startServer();
    withoutConsole = await h.startServer({ OSSD_NO_CONSOLE: 'true' });
    browser = await chromium.launch();
  });

  after(async () => {
    if (browser) await browser.closeAndClean();
    if (withConsole) await withConsole.stop();
    if (withoutConsole) await withoutConsole.stop();
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
