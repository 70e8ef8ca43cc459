'use strict';
// The console's object download and its signed-URL generator hand out only what the caller may
// read (docs/console.md#no-privileges-of-its-own, #objects, #signed-urls): every byte comes from a
// GetObject signed with the session's credentials and decided by the server's one authorize().
// Against a real ossd, browser-less (plain HTTP with cookies; the pages work without JavaScript):
// (a) without a session: the sign-in redirect, no bytes; (b) a RAM user allowed GetObject on
// exactly one object downloads it and is refused a second object of the same bucket
// (AccessDenied on the page, none of its bytes); (c) a console session signed in with STS
// credentials from AssumeRole whose session policy allows only `prefix/*`: inside the prefix
// works, outside is refused; (d) the signed URL the console makes works with a plain HTTP client,
// grants no more than the session has, and a tampered one (key, x-oss-expires, signature) is
// refused in OSS XML.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('./helpers');
const s = require('./sts_helpers');
const { ConsoleBrowser, send } = require('./console_http');

const BUCKET = 'examplebucket';
const TAG = crypto.randomBytes(6).toString('hex');
// Contents that name themselves, so a refusal can be checked to carry none of them.
const OBJECTS = {
  'allowed.txt': `ALLOWED-${TAG}`,
  'secret.txt': `SECRET-${TAG}`,
  'prefix/in.txt': `INSIDE-${TAG}`,
  'outside.txt': `OUTSIDE-${TAG}`,
};

let ossd;
let seed;

/** A refusal page of the console: status, code shown, and none of `forbidden`'s bytes. */
function assertRefusedPage(r, { status = 403, code = 'AccessDenied', forbidden }) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers['content-type'] || '', /^text\/html/);
  assert.equal(r.headers['content-disposition'], undefined, 'not an attachment');
  assert.match(r.text, new RegExp(`<code class="code">${code}</code>`), r.text);
  assert.ok(!r.text.includes(forbidden), 'the refused object\'s bytes are not on the page');
}

/** A download that succeeded: exactly the object, as an attachment. */
function assertDownloaded(r, key) {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, OBJECTS[key]);
  assert.match(r.headers['content-disposition'] || '', /^attachment; /);
}

/** An OSS XML error answer to a plain HTTP GET, with `code`, carrying none of `forbidden`. */
function assertOssRefusal(r, codes, forbidden) {
  assert.equal(r.status, 403, r.text);
  assert.match(r.headers['content-type'] || '', /xml/);
  assert.match(r.text, /^<\?xml/);
  assert.ok(codes.includes(h.xmlValue(r.text, 'Code')), r.text);
  assert.ok(h.xmlValue(r.text, 'RequestId'), 'carries a RequestId');
  assert.ok(!r.text.includes(forbidden));
}

describe('web console: downloads and signed URLs only as the caller is authorized', () => {
  before(async () => {
    ossd = await s.startOssd();
    const root = s.pathClient(ossd, BUCKET, { AccessKeyId: h.ACCESS_KEY_ID, AccessKeySecret: h.ACCESS_KEY_SECRET });
    await root.putBucket(BUCKET);
    for (const [key, body] of Object.entries(OBJECTS)) await root.put(key, Buffer.from(body));
    // The seed's RAM user, its AssumeRole grant and role RamOssTest (GetObject on examplebucket/*).
    seed = await s.seedRamSetup(ossd);
  });

  after(async () => {
    if (ossd) await ossd.stop();
  });

  it('(a) without a session: the sign-in form, and no bytes', async () => {
    const b = new ConsoleBrowser(ossd);
    for (const cookie of [undefined, `ossd_console=${'0'.repeat(64)}`]) {
      const headers = cookie ? { cookie } : {};
      const r = await b.request(`/-/console/buckets/${BUCKET}/download?key=allowed.txt`, { headers });
      assert.equal(r.status, 303);
      assert.equal(r.headers.location, '/-/console/sign-in');
      assert.ok(!r.text.includes(OBJECTS['allowed.txt']));
      const p = await b.request('/-/console/presign', {
        method: 'POST',
        headers,
        form: { _csrf: 'x', method: 'GET', bucket: BUCKET, key: 'allowed.txt', expires: '3600' },
      });
      assert.ok([303, 403].includes(p.status), `${p.status}: ${p.text}`);
      assert.ok(!p.text.includes('x-oss-signature'), 'no signed URL');
    }
  });

  it('(b) a RAM user allowed one object downloads it and is refused the other', async () => {
    const user = `one-object-${TAG}`;
    await seed.ram.request('CreateUser', { UserName: user }, { method: 'POST' });
    const key = await seed.ram.request('CreateAccessKey', { UserName: user }, { method: 'POST' });
    const policy = `OneObject${TAG}`;
    const doc = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: `acs:oss:*:*:${BUCKET}/allowed.txt` }] };
    await seed.ram.request('CreatePolicy', { PolicyName: policy, PolicyDocument: JSON.stringify(doc) }, { method: 'POST' });
    await seed.ram.request('AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: policy, UserName: user }, { method: 'POST' });
    const creds = { id: key.AccessKey.AccessKeyId, secret: key.AccessKey.AccessKeySecret };
    h.recordSecrets(creds.secret);

    const b = new ConsoleBrowser(ossd);
    const signedIn = await b.signIn(creds);
    assert.equal(signedIn.status, 303, signedIn.text);
    assertDownloaded(await b.download(BUCKET, 'allowed.txt'), 'allowed.txt');
    const refused = await b.download(BUCKET, 'secret.txt');
    assertRefusedPage(refused, { forbidden: OBJECTS['secret.txt'] });
    assert.match(refused.text, /AccessDeniedDetail/);
    // A version of it, by id, is the same GetObject: refused too.
    const byVersion = await b.request(`/-/console/buckets/${BUCKET}/download?key=secret.txt&versionId=null`);
    assert.ok(byVersion.status >= 400 && !byVersion.text.includes(OBJECTS['secret.txt']), byVersion.text);

    // (d) The generator's URL works with a plain HTTP client, for the allowed object only.
    const url = await b.signedUrl(BUCKET, 'allowed.txt');
    assert.match(url, new RegExp(`^${ossd.endpoint}/${BUCKET}/allowed\\.txt\\?`));
    const got = await send(url);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.text, OBJECTS['allowed.txt']);
    // Making a URL sends nothing; using it is authorized like the session's own requests.
    const other = await b.signedUrl(BUCKET, 'secret.txt');
    assertOssRefusal(await send(other), ['AccessDenied'], OBJECTS['secret.txt']);

    // Tampered, each by one edit of the URL's text: another key, a longer expiry, another
    // signature.
    const sig = url.match(/x-oss-signature=([0-9a-f]+)/)[1];
    const tampered = [
      url.replace(`/${BUCKET}/allowed.txt?`, `/${BUCKET}/secret.txt?`),
      url.replace(/x-oss-expires=3600\b/, 'x-oss-expires=604800'),
      url.replace(`x-oss-signature=${sig}`, `x-oss-signature=${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}`),
    ];
    for (const t of tampered) {
      assert.notEqual(t, url);
      const r = await send(t);
      assertOssRefusal(r, ['SignatureDoesNotMatch'], OBJECTS['secret.txt']);
      assert.ok(!r.text.includes(OBJECTS['allowed.txt']), t);
    }
  });

  it('(c) an STS session limited to prefix/* by its session policy', async () => {
    const sts = s.rpcClient(ossd, { version: s.STS_VERSION, accessKeyId: seed.accessKeyId, accessKeySecret: seed.accessKeySecret });
    const sessionPolicy = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: `acs:oss:*:*:${BUCKET}/prefix/*` }] };
    const assumed = await sts.request(
      'AssumeRole',
      { RoleArn: seed.roleArn, RoleSessionName: 'console-prefix', DurationSeconds: 900, Policy: JSON.stringify(sessionPolicy) },
      { method: 'POST' }
    );
    const c = assumed.Credentials;
    h.recordSecrets(c.AccessKeySecret, c.SecurityToken);

    const b = new ConsoleBrowser(ossd);
    const signedIn = await b.signIn({ id: c.AccessKeyId, secret: c.AccessKeySecret, token: c.SecurityToken });
    assert.equal(signedIn.status, 303, signedIn.text);
    const home = await b.request('/-/console/');
    assert.match(home.text, /assumed-role\/RamOssTest\/console-prefix/);
    assertDownloaded(await b.download(BUCKET, 'prefix/in.txt'), 'prefix/in.txt');
    // The role allows examplebucket/*; the session policy does not: refused.
    const refused = await b.download(BUCKET, 'outside.txt');
    assertRefusedPage(refused, { forbidden: OBJECTS['outside.txt'] });

    // The session's signed URLs carry its token and its limits.
    const inside = await b.signedUrl(BUCKET, 'prefix/in.txt');
    assert.match(inside, /x-oss-security-token=/);
    const got = await send(inside);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.text, OBJECTS['prefix/in.txt']);
    const outside = await b.signedUrl(BUCKET, 'outside.txt');
    assertOssRefusal(await send(outside), ['AccessDenied'], OBJECTS['outside.txt']);
    // Moving the inside URL out of the prefix breaks its signature.
    const moved = inside.replace(`/${BUCKET}/prefix/in.txt?`, `/${BUCKET}/outside.txt?`);
    assertOssRefusal(await send(moved), ['SignatureDoesNotMatch'], OBJECTS['outside.txt']);
  });
});
