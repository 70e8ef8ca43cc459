'use strict';
// The web console's identity pages in a real browser (Debian's Chromium, driven by playwright-core;
// docs/console.md): sign-in refused for a wrong secret; as root, a user and its AccessKey (the
// secret shown once), a policy written in the validating editor and attached, a role whose trust
// comes from the principal picker; the policy edited to deny an action, confirmed by the policy
// simulator and by a real ali-oss request with the key the console showed; the RAM user's own
// console session refused what its policy denies; a POST without the CSRF token refused.
// Screenshots go to docs/console/.
//
// Needs /usr/bin/chromium (Debian package chromium). Without it the test is skipped, unless CI is
// set: under CI it fails instead.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const OSS = require('ali-oss');
const h = require('./helpers');
const chromium = require('./chromium');

const SHOTS = path.join(h.REPO_ROOT, 'docs', 'console');

let ossd;
let browser;

async function shot(page, name, fullPage = false) {
  if (!process.env.OSSD_CONSOLE_SCREENSHOTS) return; // docs/console.md#screenshots
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage });
}

/** Sign in on the form; resolves when the next page is there. */
async function signIn(page, id, secret) {
  await page.goto(`${ossd.endpoint}/-/console/sign-in`);
  await page.fill('#access_key_id', id);
  await page.fill('#access_key_secret', secret);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  await page.waitForSelector('h1');
}

/** Clicks `button` and waits until an `<h1>` containing `heading` is shown. */
async function submitTo(page, button, heading) {
  await page.click(button);
  await page.waitForSelector(`h1:has-text("${heading}")`, { timeout: 15000 });
}

describe('web console: identity pages, policy simulator (Chromium)', { skip: chromium.skip }, () => {
  before(async () => {
    chromium.requireChromium();
    ossd = await h.startServer();
    browser = await chromium.launch({ width: 1000, height: 760 });
  });

  after(async () => {
    if (browser) await browser.closeAndClean();
    if (ossd) await ossd.stop();
  });

  it('refuses a wrong secret at sign-in', async () => {
    const page = await browser.newPage();
    await signIn(page, h.ACCESS_KEY_ID, 'not-the-secret-0000000000000000');
    const text = await page.textContent('main');
    assert.match(text, /Sign-in refused/);
    assert.match(text, /SignatureDoesNotMatch/);
    const cookies = await browser.cookies();
    assert.ok(!cookies.some(c => c.name === 'ossd_console'), 'no session');
    await shot(page, 'sign-in-refused.png');
    await page.close();
  });

  it('runs the identity flow; a denying policy edit is confirmed by the simulator and by a real request', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    await signIn(page, h.ACCESS_KEY_ID, h.ACCESS_KEY_SECRET);
    const session = (await browser.cookies()).find(c => c.name === 'ossd_console');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    const who = await page.textContent('main');
    const account = (who.match(/acs:ram::(\d+):root/) || [])[1];
    assert.ok(account, who);

    // A user and its AccessKey.
    const rnd = crypto.randomBytes(3).toString('hex');
    const user = `alice-${rnd}`;
    await page.goto(`${ossd.endpoint}/-/console/users`);
    await page.fill('#user_name', user);
    await submitTo(page, 'button:has-text("Create user")', `User ${user}`);
    await submitTo(page, 'button:has-text("Create AccessKey")', `New AccessKey for ${user}`);
    const keyId = (await page.textContent('#new-key-id')).trim();
    const keySecret = (await page.textContent('#new-key-secret')).trim();
    assert.match(keyId, /^LTAI/);
    await shot(page, 'new-key.png');

    // A bucket to act on, as root.
    const bucket = `console-${rnd}`;
    const root = new OSS({ accessKeyId: h.ACCESS_KEY_ID, accessKeySecret: h.ACCESS_KEY_SECRET, region: `oss-${h.REGION}`, endpoint: ossd.hostEndpoint, sldEnable: true, authorizationV4: true, timeout: 30000 });
    await root.putBucket(bucket);

    // A policy, validated as typed, then created and attached to the user.
    const policy = `console-${rnd}`;
    await page.goto(`${ossd.endpoint}/-/console/policies`);
    await page.fill('#policy_name', policy);
    await page.fill('#new-policy', '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*"}]}');
    await page.waitForSelector('#new-policy-check [data-valid="false"]');
    assert.match(await page.textContent('#new-policy-check'), /MalformedPolicyDocument/);
    const allowAll = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: [`acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`] }] };
    await page.fill('#new-policy', JSON.stringify(allowAll, null, 2));
    await page.waitForSelector('#new-policy-check [data-valid="true"]');
    await submitTo(page, 'button:has-text("Create policy")', `Policy ${policy}`);
    await page.goto(`${ossd.endpoint}/-/console/users/${user}`);
    await page.selectOption('#attach-policy', `Custom:${policy}`);
    await page.click('button:has-text("Attach")');
    await page.waitForSelector(`td a:has-text("${policy}")`);
    // The seed's grant: the user may call AssumeRole.
    await page.selectOption('#attach-policy', 'System:AliyunSTSAssumeRoleAccess');
    await page.click('button:has-text("Attach")');
    await page.waitForSelector('td a:has-text("AliyunSTSAssumeRoleAccess")');

    // A role trusting the user, from the principal picker.
    const role = `role-${rnd}`;
    await page.goto(`${ossd.endpoint}/-/console/roles`);
    await page.fill('#role_name', role);
    await page.check(`input[name=principal][value="RAM:acs:ram::${account}:user/${user}"]`);
    await submitTo(page, 'button:has-text("Create role")', `Role ${role}`);
    assert.match(await page.inputValue('#edit-trust'), new RegExp(`user/${user}`));

    // The user can write and delete with the key the console showed.
    const alice = new OSS({ accessKeyId: keyId, accessKeySecret: keySecret, region: `oss-${h.REGION}`, endpoint: ossd.hostEndpoint, sldEnable: true, authorizationV4: true, bucket, timeout: 30000 });
    await alice.put('a.txt', Buffer.from('one'));
    await alice.delete('a.txt');

    // Edit the policy: deny DeleteObject.
    await page.goto(`${ossd.endpoint}/-/console/policies/Custom/${policy}`);
    const denying = { Version: '1', Statement: [...allowAll.Statement, { Sid: 'NoDelete', Effect: 'Deny', Action: 'oss:DeleteObject', Resource: `acs:oss:*:*:${bucket}/*` }] };
    await page.fill('#edit-policy', JSON.stringify(denying, null, 2));
    await page.waitForSelector('#edit-policy-check [data-valid="true"]');
    await shot(page, 'policy-editor.png');
    await submitTo(page, 'button:has-text("Save version")', `Policy ${policy}`);
    await page.waitForSelector('td:has-text("v2 (default)")');

    // The simulator says Deny, by the new statement.
    await page.goto(`${ossd.endpoint}/-/console/simulator`);
    await page.selectOption('#principal', `user:${user}`);
    await page.fill('#action', 'oss:DeleteObject');
    await page.fill('#resource', `acs:oss:*:${account}:${bucket}/a.txt`);
    await page.click('button:has-text("Simulate")');
    await page.waitForSelector('#verdict');
    assert.match(await page.textContent('#verdict'), /Deny/);
    const deciding = await page.textContent('#deciding-statement');
    assert.match(deciding, /statement 1/);
    assert.match(deciding, /NoDelete/);
    assert.match(deciding, new RegExp(policy));
    await shot(page, 'simulator.png', true);

    // And so does the server for a real request with the user's key.
    await alice.put('b.txt', Buffer.from('two'));
    await assert.rejects(alice.delete('b.txt'), e => e.status === 403 && e.code === 'AccessDenied');

    // A POST without the CSRF token is refused, and changes nothing.
    const status = await page.evaluate(async () => {
      const r = await fetch('/-/console/users', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user_name=csrf-victim' });
      return r.status;
    });
    assert.equal(status, 403);
    await page.goto(`${ossd.endpoint}/-/console/users`);
    assert.doesNotMatch(await page.textContent('main'), /csrf-victim/);

    // Readable at 320 px: nothing wider than the window.
    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto(`${ossd.endpoint}/-/console/users/${user}`);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 320, 'no horizontal scrolling at 320 px');
    await page.setViewportSize({ width: 1000, height: 760 });

    // The user's own console session is refused what its policy denies, and says why.
    await page.click('button:has-text("Sign out")');
    await page.waitForSelector('#access_key_id');
    await signIn(page, keyId, keySecret);
    await page.goto(`${ossd.endpoint}/-/console/users`);
    assert.match(await page.textContent('main'), /NoPermission/);
    await page.fill('#user_name', `mallory-${rnd}`);
    await submitTo(page, 'button:has-text("Create user")', 'The server refused the request');
    const refused = await page.textContent('main');
    assert.match(refused, /NoPermission/);
    assert.match(refused, /AccessDeniedDetail/);
    await shot(page, 'refused.png');

    // Assume the role (trusting this user) from its page, though the user may not read it.
    await page.goto(`${ossd.endpoint}/-/console/roles/${role}`);
    await page.fill('#duration', '900');
    await submitTo(page, 'button:has-text("Assume role")', `Temporary credentials for role ${role}`);
    const stsId = (await page.textContent('#sts-key-id')).trim();
    assert.match(stsId, /^STS\./);
    assert.match(await page.textContent('#snippet-cli'), /OSSD_SECURITY_TOKEN=/);
    assert.match(await page.textContent('#snippet-ali-oss'), /stsToken:/);
    assert.ok((await page.textContent('#sts-expiration')).trim().length > 0);
    await shot(page, 'assumed.png');
    await Promise.all([page.waitForSelector(`code:has-text("assumed-role/${role}/console")`), page.click('button:has-text("Sign in with these credentials")')]);
    assert.deepEqual(errors, [], 'no script errors');
    await page.close();
  });
});
