'use strict';
// The seed document ("temporary access to OSS with STS or a signed URL") end to end against ossd:
//   steps 1–4  RAM setup as the account root with @alicloud/pop-core,
//   step 5     an Express token vendor calling ali-oss's STS.assumeRole (endpoint pointed at ossd),
//   step 6     ali-oss clients with stsToken + refreshSTSToken (axios against the vendor), V4 and V1,
//   then       session-policy intersection, another bucket, DurationSeconds limits, signed URLs made
//              with temporary credentials (V1/V4, GET/PUT), a tampered token, expiry of the
//              credentials under a still-valid URL (server clock moved with libfaketime), and
//              @alicloud/sts-sdk + ali-oss STS over HTTPS (--tls-self-signed).
// ali-oss's STS class posts to `options.endpoint` (default https://sts.aliyuncs.com, lib/sts.js), so
// the vendor passes `endpoint: <ossd>`; everything else is the seed's code.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const express = require('express');
const axios = require('axios');
const { STS } = require('ali-oss');
const { HttpsAgent } = require('agentkeepalive');
const h = require('./helpers');

const { OSS } = h; // ali-oss, recording the secrets it is given for the log scan
const s = require('./sts_helpers');

const EXAMPLE = 'examplebucket';
const OTHER = 'otherbucket';
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let ossd; // plain-HTTP ossd
let seed; // responses of the RAM setup
let vendor; // the Express token vendor { url, close() }
let vendorCalls = 0;
let tmpDir;

function rootOss(server, bucket, extra = {}) {
  return new OSS({
    accessKeyId: h.ACCESS_KEY_ID,
    accessKeySecret: h.ACCESS_KEY_SECRET,
    region: `oss-${h.REGION}`,
    endpoint: server.endpoint,
    bucket,
    timeout: 30000,
    ...extra,
  });
}

/** Step 5 of the seed: the token vendor (Express), with the seed's handler code. */
function startVendor(server, creds) {
  const app = express();
  const handler = policy => (req, res) => {
    vendorCalls += 1;
    let sts = new STS({
      // Specify the AccessKey pair of the RAM user that was created in Step 1.
      accessKeyId: creds.accessKeyId,
      accessKeySecret: creds.accessKeySecret,
      endpoint: server.endpoint, // ossd instead of https://sts.aliyuncs.com
    });
    sts
      .assumeRole(creds.roleArn, policy, '3000', 'sessiontest')
      .then(result => {
        res.set('Access-Control-Allow-Origin', '*');
        res.set('Access-Control-Allow-METHOD', 'GET');
        res.json({
          AccessKeyId: result.credentials.AccessKeyId,
          AccessKeySecret: result.credentials.AccessKeySecret,
          SecurityToken: result.credentials.SecurityToken,
          Expiration: result.credentials.Expiration,
        });
      })
      .catch(err => {
        res.status(400).json(err.message);
      });
  };
  app.get('/sts', handler(``)); // exactly the seed's call: sts.assumeRole(arn, ``, '3000', 'sessiontest')
  app.get('/sts-get-only', handler(JSON.stringify(s.GET_ONLY_POLICY)));
  app.get('/sts-wide', handler(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: '*' }] })));
  return new Promise((resolve, reject) => {
    const srv = app.listen(0, '127.0.0.1', err => {
      if (err) return reject(err);
      resolve({
        url: `http://127.0.0.1:${srv.address().port}`,
        close: () => new Promise(r => srv.close(() => r())),
      });
    });
  });
}

/** The seed's step-6 client, with refreshSTSToken reading the vendor's JSON through axios. */
async function seedClient({ v4 = true, route = '/sts', refreshInterval, verbatimRefresh = false } = {}) {
  const token = await axios.get(`${vendor.url}${route}`);
  const opts = {
    region: 'oss-cn-hangzhou',
    endpoint: ossd.endpoint,
    accessKeyId: token.data.AccessKeyId,
    accessKeySecret: token.data.AccessKeySecret,
    stsToken: token.data.SecurityToken,
    authorizationV4: v4,
    bucket: 'examplebucket',
    timeout: 30000,
    // Refresh the temporary access credentials.
    refreshSTSToken: verbatimRefresh
      ? async () => {
          // exactly as printed in the seed: reads the axios response object, not its .data
          const refreshToken = await axios.get(`${vendor.url}${route}`);
          return {
            accessKeyId: refreshToken.AccessKeyId,
            accessKeySecret: refreshToken.AccessKeySecret,
            stsToken: refreshToken.SecurityToken,
          };
        }
      : async () => {
          const refreshToken = await axios.get(`${vendor.url}${route}`);
          return {
            accessKeyId: refreshToken.data.AccessKeyId,
            accessKeySecret: refreshToken.data.AccessKeySecret,
            stsToken: refreshToken.data.SecurityToken,
          };
        },
  };
  if (refreshInterval) opts.refreshSTSTokenInterval = refreshInterval;
  return { client: new OSS(opts), token: token.data };
}

/** An ali-oss client (IP endpoint) with the temporary credentials `c` from the vendor. */
function tempOss(c, bucket, { v4 = true } = {}) {
  return new OSS({
    accessKeyId: c.AccessKeyId,
    accessKeySecret: c.AccessKeySecret,
    stsToken: c.SecurityToken,
    region: `oss-${h.REGION}`,
    endpoint: ossd.endpoint,
    authorizationV4: v4,
    bucket,
    timeout: 30000,
  });
}

async function vendorToken(route = '/sts') {
  const r = await axios.get(`${vendor.url}${route}`);
  assert.equal(r.status, 200);
  return r.data;
}

before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-sts-files-'));
  ossd = await s.startOssd();
  seed = await s.seedRamSetup(ossd);
  await rootOss(ossd).putBucket(EXAMPLE);
  await rootOss(ossd).putBucket(OTHER);
  await rootOss(ossd, OTHER).put('secret.txt', Buffer.from('not for the role'));
  vendor = await startVendor(ossd, seed);
});

after(async () => {
  if (vendor) await vendor.close();
  if (ossd) await ossd.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

describe('seed steps 1–4: RAM setup as the account root (@alicloud/pop-core)', () => {
  it('CreateUser, CreateAccessKey, AttachPolicyToUser return the documented fields', async () => {
    assert.equal(seed.createUser.User.UserName, 'sts-seed-user');
    assert.equal(seed.createUser.User.DisplayName, 'STS seed user');
    assert.match(seed.createUser.User.UserId, /^\d+$/);
    assert.match(seed.createUser.User.CreateDate, ISO_SECONDS);
    assert.ok(seed.createUser.RequestId);
    const key = seed.createAccessKey.AccessKey;
    assert.equal(key.Status, 'Active');
    assert.match(key.AccessKeyId, /^[A-Za-z0-9]{16,}$/);
    assert.ok(!key.AccessKeyId.startsWith('STS.'));
    assert.match(key.AccessKeySecret, /^[A-Za-z0-9]{20,}$/);
    assert.ok(seed.attachUser.RequestId);
    const forUser = await seed.ram.request('ListPoliciesForUser', { UserName: 'sts-seed-user' });
    const names = forUser.Policies.Policy.map(p => `${p.PolicyType}:${p.PolicyName}`);
    assert.deepEqual(names, ['System:AliyunSTSAssumeRoleAccess']);
  });

  it('CreateRole / CreatePolicy / AttachPolicyToRole / GetRole give the role ARN and its policy', async () => {
    const acct = ossd.accountId;
    assert.match(acct, /^\d{16}$/);
    const role = seed.createRole.Role;
    assert.equal(role.RoleName, 'RamOssTest');
    assert.equal(role.Arn, `acs:ram::${acct}:role/RamOssTest`);
    assert.equal(role.MaxSessionDuration, 3600, 'default MaxSessionDuration is the JSON number 3600');
    assert.match(role.RoleId, /^\d+$/);
    assert.deepEqual(JSON.parse(role.AssumeRolePolicyDocument), JSON.parse(s.trustPolicy(acct)));
    const pol = seed.createPolicy.Policy;
    assert.equal(pol.PolicyName, 'RamTestPolicy');
    assert.equal(pol.PolicyType, 'Custom');
    assert.equal(pol.DefaultVersion, 'v1');
    assert.equal(seed.roleArn, `acs:ram::${acct}:role/RamOssTest`);
    assert.equal(seed.getRole.Role.RoleId, role.RoleId);
    if (seed.getRole.Role.IsServiceLinkedRole !== undefined) assert.equal(seed.getRole.Role.IsServiceLinkedRole, false);
    const forRole = await seed.ram.request('ListPoliciesForRole', { RoleName: 'RamOssTest' });
    assert.deepEqual(
      forRole.Policies.Policy.map(p => `${p.PolicyType}:${p.PolicyName}`),
      ['Custom:RamTestPolicy']
    );
    const got = await seed.ram.request('GetPolicy', { PolicyName: 'RamTestPolicy', PolicyType: 'Custom' });
    assert.deepEqual(JSON.parse(got.DefaultPolicyVersion.PolicyDocument), s.SEED_POLICY);
    assert.equal(got.Policy.AttachmentCount, 1);
  });

  it('the account root may not AssumeRole (403 NoPermission)', async () => {
    const sts = new STS({ accessKeyId: h.ACCESS_KEY_ID, accessKeySecret: h.ACCESS_KEY_SECRET, endpoint: ossd.endpoint });
    await assert.rejects(sts.assumeRole(seed.roleArn, '', '3000', 'sessiontest'), err => {
      assert.equal(err.code, 'NoPermission', err.message);
      assert.equal(err.status, 403);
      assert.equal(err.message, 'NoPermission: Roles may not be assumed by root accounts.');
      assert.ok(err.requestId);
      return true;
    });
  });

  it('the RAM user without AliyunSTSAssumeRoleAccess may not AssumeRole; with it, it may', async () => {
    await seed.ram.request('CreateUser', { UserName: 'no-sts-user' });
    const k = (await seed.ram.request('CreateAccessKey', { UserName: 'no-sts-user' })).AccessKey;
    const sts = new STS({ accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret, endpoint: ossd.endpoint });
    await assert.rejects(sts.assumeRole(seed.roleArn, '', '3000', 'sessiontest'), err => {
      assert.equal(err.code, 'NoPermission', err.message);
      assert.equal(err.status, 403);
      return true;
    });
    await seed.ram.request('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'no-sts-user' });
    const r = await sts.assumeRole(seed.roleArn, '', '3000', 'sessiontest');
    assert.match(r.credentials.AccessKeyId, /^STS\./);
  });
});

describe('seed step 5: the token vendor (Express + ali-oss STS.assumeRole)', () => {
  it('GET /sts returns temporary credentials valid for 3000 s', async () => {
    const before = vendorCalls;
    const t0 = Date.now();
    const r = await axios.get(`${vendor.url}/sts`);
    assert.equal(r.status, 200);
    assert.equal(vendorCalls, before + 1);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    const c = r.data;
    assert.match(c.AccessKeyId, /^STS\.[A-Za-z0-9]+$/);
    assert.match(c.AccessKeySecret, /^[A-Za-z0-9]{20,}$/);
    assert.ok(c.SecurityToken.length > 20);
    assert.match(c.Expiration, ISO_SECONDS);
    const left = Date.parse(c.Expiration) - t0;
    assert.ok(left > 2940e3 && left < 3060e3, `Expiration ${c.Expiration} is about 3000 s away (got ${left} ms)`);
    // two calls give two different sessions
    const c2 = (await axios.get(`${vendor.url}/sts`)).data;
    assert.notEqual(c2.AccessKeyId, c.AccessKeyId);
    assert.notEqual(c2.SecurityToken, c.SecurityToken);
  });

  it('AssumeRole answers the documented shape (pop-core POST), GetCallerIdentity with the session', async () => {
    const sts = s.rpcClient(ossd, { version: s.STS_VERSION, accessKeyId: seed.accessKeyId, accessKeySecret: seed.accessKeySecret });
    const r = await sts.request(
      'AssumeRole',
      { RoleArn: seed.roleArn, RoleSessionName: 'sessiontest', DurationSeconds: 3000 },
      { method: 'POST' }
    );
    const acct = ossd.accountId;
    const roleId = seed.createRole.Role.RoleId;
    assert.equal(r.Code, undefined);
    assert.match(r.RequestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.equal(r.AssumedRoleUser.Arn, `acs:ram::${acct}:role/RamOssTest/sessiontest`);
    assert.equal(r.AssumedRoleUser.AssumedRoleId, `${roleId}:sessiontest`);
    const c = r.Credentials;
    assert.match(c.Expiration, ISO_SECONDS);
    const asSession = s.rpcClient(ossd, {
      version: s.STS_VERSION,
      accessKeyId: c.AccessKeyId,
      accessKeySecret: c.AccessKeySecret,
      securityToken: c.SecurityToken,
    });
    const who = await asSession.request('GetCallerIdentity', {});
    assert.equal(who.IdentityType, 'AssumedRoleUser');
    assert.equal(who.AccountId, acct);
    assert.equal(who.RoleId, roleId);
    assert.equal(who.Arn, `acs:ram::${acct}:assumed-role/RamOssTest/sessiontest`);
    // the RAM user itself
    const asUser = s.rpcClient(ossd, { version: s.STS_VERSION, accessKeyId: seed.accessKeyId, accessKeySecret: seed.accessKeySecret });
    const me = await asUser.request('GetCallerIdentity', {});
    assert.equal(me.IdentityType, 'RAMUser');
    assert.equal(me.UserId, seed.createUser.User.UserId);
    assert.equal(me.Arn, `acs:ram::${acct}:user/sts-seed-user`);
  });

  it('the role session cannot manage RAM (NoPermission with AccessDeniedDetail)', async () => {
    const c = await vendorToken();
    const ram = s.rpcClient(ossd, { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken });
    const err = await s.expectRpcError(ram.request('CreateUser', { UserName: 'sneaky' }), 'NoPermission', 403);
    const d = err.data.AccessDeniedDetail;
    assert.ok(d, `AccessDeniedDetail in ${JSON.stringify(err.data)}`);
    assert.equal(d.AuthAction, 'ram:CreateUser');
    assert.equal(d.AuthPrincipalType, 'AssumedRoleUser');
    assert.equal(d.AuthPrincipalOwnerId, ossd.accountId);
    assert.equal(d.NoPermissionType, 'ImplicitDeny');
  });
});

describe('seed step 6: upload and download with temporary credentials (ali-oss)', () => {
  for (const v4 of [true, false]) {
    const name = v4 ? 'V4' : 'V1';
    it(`${name}: put a local file, get it back to a local file; refreshSTSToken is called`, async () => {
      const callsBefore = vendorCalls;
      const { client, token } = await seedClient({ v4, refreshInterval: 1000 });
      assert.equal(client.options.authorizationV4, v4);
      const src = path.join(tmpDir, `example-${name}.jpg`);
      const dst = path.join(tmpDir, `downloaded-${name}.jpg`);
      const body = crypto.randomBytes(64 * 1024 + 17);
      fs.writeFileSync(src, body);
      const put = await client.put('exampleobject.jpg', src);
      assert.equal(put.res.status, 200);
      assert.equal(put.res.headers.etag, h.etagOf(body));
      const got = await client.get('exampleobject.jpg', dst);
      assert.equal(got.res.status, 200);
      assert.ok(fs.readFileSync(dst).equals(body), 'downloaded bytes equal the upload');
      const keys = new Set([token.AccessKeyId, client.options.accessKeyId]);
      // past refreshSTSTokenInterval: the next requests fetch new credentials from the vendor
      await h.sleep(1100);
      const again = await client.get('exampleobject.jpg');
      assert.ok(again.content.equals(body));
      keys.add(client.options.accessKeyId);
      await h.sleep(1100);
      await client.put(`refreshed-${name}.txt`, Buffer.from('after two refreshes'));
      keys.add(client.options.accessKeyId);
      assert.equal((await client.get(`refreshed-${name}.txt`)).content.toString(), 'after two refreshes');
      assert.ok(vendorCalls - callsBefore >= 3, `vendor called ${vendorCalls - callsBefore} times (1 initial + ≥2 refreshes)`);
      assert.ok(keys.size >= 3, `the client switched temporary keys: ${[...keys].join(', ')}`);
      for (const k of keys) assert.match(k, /^STS\./);
    });
  }

  it("the seed's refreshSTSToken as printed (reads refreshToken.AccessKeyId, not .data) breaks after the first refresh", async () => {
    // Documents a bug in the seed's sample code (V4, as in the seed): after the refresh the client
    // signs with an undefined key id and no token, so its Credential scope lacks the key id, which
    // ossd refuses as 400 InvalidArgument. (With V1 ali-oss itself throws before sending.)
    const { client } = await seedClient({ v4: true, refreshInterval: 1000, verbatimRefresh: true });
    await client.put('verbatim.txt', Buffer.from('first request, original credentials'));
    await h.sleep(1100);
    const err = await h.expectOssError(client.get('verbatim.txt'), { status: 400, code: 'InvalidArgument' });
    assert.match(err.message, /credential/i);
    assert.equal(client.options.accessKeyId, undefined);
    assert.equal(client.options.stsToken, undefined);
  });

  it('the objects are really in examplebucket (root lists them)', async () => {
    const list = await rootOss(ossd, EXAMPLE).list({ prefix: 'exampleobject' });
    assert.deepEqual(list.objects.map(o => o.name), ['exampleobject.jpg']);
  });
});

describe('permissions of the temporary credentials', () => {
  it('session policy allowing only GetObject: put → 403 AccessDenied (session policy), get works', async () => {
    await rootOss(ossd, EXAMPLE).put('readable.txt', Buffer.from('readable'));
    const { client } = await seedClient({ route: '/sts-get-only' });
    assert.equal((await client.get('readable.txt')).content.toString(), 'readable');
    const err = await h.expectOssError(client.put('blocked.txt', Buffer.from('x')), { status: 403, code: 'AccessDenied' });
    assert.equal(err.ecCode, '0003-00000301', `EC of a session-policy denial (message: ${err.message})`);
    assert.match(err.message, /authorizer's policy/);
    await h.expectOssError(rootOss(ossd, EXAMPLE).head('blocked.txt'), { status: 404 });
  });

  it('a wider session policy (oss:* on *) does not widen the role (intersection)', async () => {
    const { client, token } = await seedClient({ route: '/sts-wide' });
    await client.put('wide.txt', Buffer.from('ok'));
    const other = tempOss(token, OTHER);
    const err = await h.expectOssError(other.get('secret.txt'), { status: 403, code: 'AccessDenied' });
    assert.ok(err.ecCode, 'EC present');
    await h.expectOssError(client.delete('wide.txt'), { status: 403, code: 'AccessDenied' });
  });

  for (const v4 of [true, false]) {
    it(`${v4 ? 'V4' : 'V1'}: the role cannot touch another bucket, nor list or delete in examplebucket`, async () => {
      const { client, token } = await seedClient({ v4 });
      const other = tempOss(token, OTHER, { v4 });
      let err = await h.expectOssError(other.get('secret.txt'), { status: 403, code: 'AccessDenied' });
      assert.equal(err.ecCode, '0003-00000202', `implicit deny of a RAM caller (message: ${err.message})`);
      await h.expectOssError(other.put('intruder.txt', Buffer.from('x')), { status: 403, code: 'AccessDenied' });
      await h.expectOssError(client.list(), { status: 403, code: 'AccessDenied' });
      await client.put('keep.txt', Buffer.from('keep'));
      err = await h.expectOssError(client.delete('keep.txt'), { status: 403, code: 'AccessDenied' });
      await h.expectOssError(client.putBucket('new-bucket-by-role'), { status: 403, code: 'AccessDenied' });
      // nothing changed
      assert.equal((await rootOss(ossd, EXAMPLE).get('keep.txt')).content.toString(), 'keep');
      await h.expectOssError(rootOss(ossd, OTHER).head('intruder.txt'), { status: 404 });
    });
  }

  it('HEAD denied: the error travels in x-oss-err / x-oss-ec', async () => {
    const client = tempOss(await vendorToken(), OTHER);
    const err = await h.expectOssError(client.head('secret.txt'), { status: 403, code: 'AccessDenied' });
    assert.ok(err.ecCode, 'ali-oss decoded EC from x-oss-err');
  });
});

describe('DurationSeconds', () => {
  const user = () => new STS({ accessKeyId: seed.accessKeyId, accessKeySecret: seed.accessKeySecret, endpoint: ossd.endpoint });

  it('899 → 400 InvalidParameter.DurationSeconds; 900 and 3600 work', async () => {
    await assert.rejects(user().assumeRole(seed.roleArn, '', '899', 'sessiontest'), err => {
      assert.equal(err.code, 'InvalidParameter.DurationSeconds', err.message);
      assert.equal(err.status, 400);
      return true;
    });
    for (const d of ['900', '3600']) {
      const t0 = Date.now();
      const r = await user().assumeRole(seed.roleArn, '', d, 'sessiontest');
      const left = Date.parse(r.credentials.Expiration) - t0;
      assert.ok(Math.abs(left - Number(d) * 1000) < 60e3, `Expiration ≈ now + ${d}s (got ${left} ms)`);
    }
  });

  it('above the role maximum → 400 InvalidParameter.DurationSeconds (default max 3600; a 7200 s role)', async () => {
    await assert.rejects(user().assumeRole(seed.roleArn, '', '3601', 'sessiontest'), err => {
      assert.equal(err.code, 'InvalidParameter.DurationSeconds', err.message);
      assert.equal(err.status, 400);
      return true;
    });
    const created = await seed.ram.request('CreateRole', {
      RoleName: 'RamOssTestLong',
      AssumeRolePolicyDocument: s.trustPolicy(ossd.accountId),
      MaxSessionDuration: 7200,
    });
    assert.equal(created.Role.MaxSessionDuration, 7200);
    const r = await user().assumeRole(created.Role.Arn, '', '7200', 'long');
    assert.match(r.credentials.AccessKeyId, /^STS\./);
    for (const d of ['7201', '43201']) {
      await assert.rejects(user().assumeRole(created.Role.Arn, '', d, 'long'), err => {
        assert.equal(err.code, 'InvalidParameter.DurationSeconds', `${d}: ${err.message}`);
        assert.equal(err.status, 400);
        return true;
      });
    }
  });
});

describe('signed URLs made with temporary credentials', () => {
  it('V1 signatureUrl: PUT then GET work; the token travels as security-token', async () => {
    const c = await vendorToken();
    const client = s.pathClient(ossd, EXAMPLE, c);
    const putUrl = client.signatureUrl('url/v1.txt', { method: 'PUT', expires: 600, 'Content-Type': 'text/plain' });
    assert.equal(new URL(putUrl).searchParams.get('security-token'), c.SecurityToken);
    assert.equal(new URL(putUrl).searchParams.get('OSSAccessKeyId'), c.AccessKeyId);
    let res = await fetch(putUrl, { method: 'PUT', body: 'v1 via url', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(res.status, 200, await res.text());
    res = await fetch(client.signatureUrl('url/v1.txt', { expires: 600 }));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'v1 via url');
    assert.equal((await rootOss(ossd, EXAMPLE).get('url/v1.txt')).content.toString(), 'v1 via url');
  });

  it('V4 signatureUrlV4: PUT then GET work; the token travels as x-oss-security-token', async () => {
    const c = await vendorToken();
    const client = s.pathClient(ossd, EXAMPLE, c, { v4: true });
    const putUrl = await client.signatureUrlV4('PUT', 600, { headers: { 'Content-Type': 'text/plain' } }, 'url/v4.txt');
    assert.equal(new URL(putUrl).searchParams.get('x-oss-security-token'), c.SecurityToken);
    let res = await fetch(putUrl, { method: 'PUT', body: 'v4 via url', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(res.status, 200, await res.text());
    const getUrl = await client.signatureUrlV4('GET', 600, {}, 'url/v4.txt');
    res = await fetch(getUrl);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'v4 via url');
  });

  it('a URL for another bucket signed with the temporary credentials → 403 AccessDenied', async () => {
    const c = await vendorToken();
    for (const v4 of [false, true]) {
      const client = s.pathClient(ossd, OTHER, c, { v4 });
      const url = v4 ? await client.signatureUrlV4('GET', 600, {}, 'secret.txt') : client.signatureUrl('secret.txt', { expires: 600 });
      const e = await s.fetchError(await fetch(url));
      assert.equal(e.status, 403, e.text);
      assert.equal(e.code, 'AccessDenied', e.text);
      assert.match(e.text, /<AccessDeniedDetail>/);
    }
  });

  const tamper = tok => {
    const i = Math.floor(tok.length / 2);
    return tok.slice(0, i) + (tok[i] === 'A' ? 'B' : 'A') + tok.slice(i + 1);
  };
  /** V1 and V4 GET URLs for examplebucket/url/tamper.txt signed with the vendor's credentials `c`. */
  async function tokenUrls(c) {
    await rootOss(ossd, EXAMPLE).put('url/tamper.txt', Buffer.from('t'));
    return [
      [new URL(s.pathClient(ossd, EXAMPLE, c).signatureUrl('url/tamper.txt', { expires: 600 })), 'security-token'],
      [new URL(await s.pathClient(ossd, EXAMPLE, c, { v4: true }).signatureUrlV4('GET', 600, {}, 'url/tamper.txt')), 'x-oss-security-token'],
    ];
  }

  it('a tampered token → 403 InvalidSecurityToken; another session\'s token → 403 AccessKeyIdAndSecurityTokenNotMatch (V1 and V4 URLs)', async () => {
    const c = await vendorToken();
    const other = await vendorToken();
    for (const [u, param] of await tokenUrls(c)) {
      const ok = await fetch(u);
      assert.equal(ok.status, 200, `untampered ${param} URL works`);
      const bad = new URL(u);
      bad.searchParams.set(param, tamper(u.searchParams.get(param)));
      const e = await s.fetchError(await fetch(bad));
      assert.equal(e.status, 403, e.text);
      assert.equal(e.code, 'InvalidSecurityToken', e.text);
      const mixed = new URL(u);
      mixed.searchParams.set(param, other.SecurityToken);
      const m = await s.fetchError(await fetch(mixed));
      assert.equal(m.status, 403, m.text);
      assert.equal(m.code, 'AccessKeyIdAndSecurityTokenNotMatch', m.text);
    }
  });

  it('STS credential errors carry their EC (docs/protocol/sts.md#sts-credential-errors): InvalidSecurityToken 0002-00000006/8, NotMatch 0002-00000004', async () => {
    const c = await vendorToken();
    const other = await vendorToken();
    for (const [u, param] of await tokenUrls(c)) {
      const bad = new URL(u);
      bad.searchParams.set(param, tamper(u.searchParams.get(param)));
      const e = await s.fetchError(await fetch(bad));
      assert.equal(e.code, 'InvalidSecurityToken', e.text);
      assert.match(e.headers.get('x-oss-ec') || '', /^0002-0000000[68]$/, `x-oss-ec header of InvalidSecurityToken (${param})`);
      assert.equal(e.ec, e.headers.get('x-oss-ec'), `<EC> in the body equals x-oss-ec: ${e.text}`);
      const mixed = new URL(u);
      mixed.searchParams.set(param, other.SecurityToken);
      const m = await s.fetchError(await fetch(mixed));
      assert.equal(m.code, 'AccessKeyIdAndSecurityTokenNotMatch', m.text);
      assert.equal(m.headers.get('x-oss-ec'), '0002-00000004', `x-oss-ec of AccessKeyIdAndSecurityTokenNotMatch: ${m.text}`);
      assert.equal(m.ec, '0002-00000004', m.text);
    }
  });

  it('the URL stops working when the credentials expire although the URL has not (server clock +16 min, libfaketime)', async t => {
    if (!s.faketimeLib()) {
      t.skip('libfaketime is not installed (Debian package faketime); expiry not testable without a clock hook');
      return;
    }
    const first = await s.startOssd();
    const dataDir = first.dataDir;
    let later;
    try {
      const st = await s.seedRamSetup(first);
      await rootOss(first).putBucket(EXAMPLE);
      await rootOss(first, EXAMPLE).put('exp.txt', Buffer.from('expiring'));
      const sts = new STS({ accessKeyId: st.accessKeyId, accessKeySecret: st.accessKeySecret, endpoint: first.endpoint });
      const c = (await sts.assumeRole(st.roleArn, '', '900', 'shortlived')).credentials;
      const urls = {
        v1Get: s.pathClient(first, EXAMPLE, c).signatureUrl('exp.txt', { expires: 3600 }),
        v1Put: s.pathClient(first, EXAMPLE, c).signatureUrl('exp-put.txt', { method: 'PUT', expires: 3600 }),
        v4Get: await s.pathClient(first, EXAMPLE, c, { v4: true }).signatureUrlV4('GET', 3600, {}, 'exp.txt'),
      };
      const rootSigner = new OSS({
        accessKeyId: h.ACCESS_KEY_ID,
        accessKeySecret: h.ACCESS_KEY_SECRET,
        region: `oss-${h.REGION}`,
        endpoint: first.hostEndpoint,
        sldEnable: true,
        bucket: EXAMPLE,
      });
      const rootUrl = rootSigner.signatureUrl('exp.txt', { expires: 3600 });
      for (const [k, u] of Object.entries(urls)) {
        if (k.endsWith('Put')) continue;
        const r = await fetch(u);
        assert.equal(r.status, 200, `${k} works while the credentials are valid`);
      }
      await first.stop({ keepDir: true });
      // same data dir (same master key and identities), wall clock 16 minutes ahead
      later = await s.startOssd({ dataDir, fakeOffset: '+16m' });
      const moved = u => {
        const x = new URL(u);
        x.port = String(later.port); // the host is not part of these signatures
        return x;
      };
      const probe = await fetch(moved(rootUrl));
      const skew = Date.parse(probe.headers.get('date')) - Date.now();
      assert.ok(skew > 15 * 60e3, `libfaketime moved the server clock (Date header ${probe.headers.get('date')})`);
      assert.equal(probe.status, 200, 'a root-signed URL with the same expiry still works: the URL itself is valid');
      const errors = {};
      for (const [k, u] of Object.entries(urls)) {
        const init = k.endsWith('Put') ? { method: 'PUT', body: 'late' } : {};
        const e = await s.fetchError(await fetch(moved(u), init));
        assert.equal(e.status, 403, `${k}: ${e.text}`);
        assert.equal(e.code, 'SecurityTokenExpired', `${k}: ${e.text}`);
        errors[k] = e;
      }
      // the refused PUT stored nothing (checked with a root-signed URL: header-signed requests
      // would be refused as RequestTimeTooSkewed by the shifted server)
      const absent = await s.fetchError(await fetch(moved(rootSigner.signatureUrl('exp-put.txt', { expires: 3600 }))));
      assert.equal(absent.status, 404, absent.text);
      assert.equal(absent.code, 'NoSuchKey');
      // EC 0002-00000007 (docs/protocol/sts.md#sts-credential-errors), in the body and in x-oss-ec
      for (const [k, e] of Object.entries(errors)) {
        assert.equal(e.headers.get('x-oss-ec'), '0002-00000007', `${k}: x-oss-ec of SecurityTokenExpired`);
        assert.equal(e.ec, '0002-00000007', `${k}: <EC> of SecurityTokenExpired: ${e.text}`);
      }
    } finally {
      if (later) await later.stop();
      if (first.proc.exitCode === null) await first.stop({ keepDir: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('HTTPS (--tls-self-signed): @alicloud/sts-sdk and ali-oss STS', () => {
  let tlsd;
  let tseed;
  before(async () => {
    tlsd = await s.startOssd({ tls: true });
    assert.ok(tlsd.certPem.includes('BEGIN CERTIFICATE'));
    tseed = await s.seedRamSetup(tlsd);
    // ali-oss over HTTPS with an https Agent that trusts the dev certificate
    const agent = new HttpsAgent({ ca: tlsd.certPem });
    const root = bucket =>
      new OSS({
        accessKeyId: h.ACCESS_KEY_ID,
        accessKeySecret: h.ACCESS_KEY_SECRET,
        region: `oss-${h.REGION}`,
        endpoint: tlsd.hostEndpoint,
        sldEnable: true,
        secure: true,
        bucket,
        httpsAgent: agent,
      });
    await root().putBucket(EXAMPLE);
    await root().putBucket(OTHER);
  });
  after(async () => {
    if (tlsd) await tlsd.stop();
  });

  it('plain HTTP to the TLS port is not served as OSS/RPC', async () => {
    let ok = false;
    try {
      const r = await fetch(`http://127.0.0.1:${tlsd.port}/?Action=GetCallerIdentity&Version=2015-04-01`);
      ok = r.status === 200;
    } catch {
      ok = false;
    }
    assert.equal(ok, false);
  });

  it('sts-sdk AssumeRole + GetCallerIdentity, then ali-oss over HTTPS with those credentials', async () => {
    const input = {
      host: `localhost:${tlsd.port}`,
      accessKeyId: tseed.accessKeyId,
      accessKeySecret: tseed.accessKeySecret,
      roleArn: tseed.roleArn,
      region: `oss-${h.REGION}`,
      bucket: EXAMPLE,
      otherBucket: OTHER,
      getOnlyPolicy: s.GET_ONLY_POLICY,
    };
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: tlsd.certPath };
    const stdout = await new Promise((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, 'sts_sdk_child.js'), JSON.stringify(input)], { env, timeout: 60000 }, (err, out, errOut) => {
        if (err && !out) reject(new Error(`child failed: ${err.message}\n${errOut}`));
        else resolve(out);
      });
    });
    const out = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(out.error, undefined, `child error: ${JSON.stringify(out.error)}`);
    const acct = tlsd.accountId;
    const ar = out.assumeRole;
    assert.equal(ar.Code, undefined, JSON.stringify(ar));
    assert.match(ar.Credentials.AccessKeyId, /^STS\./);
    assert.match(ar.Credentials.Expiration, ISO_SECONDS);
    assert.equal(ar.AssumedRoleUser.Arn, `acs:ram::${acct}:role/RamOssTest/sts-sdk-session`);
    assert.equal(out.callerIdentity.IdentityType, 'AssumedRoleUser', JSON.stringify(out.callerIdentity));
    assert.equal(out.callerIdentity.Arn, `acs:ram::${acct}:assumed-role/RamOssTest/sts-sdk-session`);
    assert.equal(out.badDuration.Code, 'InvalidParameter.DurationSeconds', JSON.stringify(out.badDuration));
    assert.equal(out.ossRoundTrip, 'over https');
    assert.deepEqual(out.otherBucket, { code: 'AccessDenied', status: 403 });
    // session policy containing '*' signed with the sts-sdk ("js") canonicalisation
    assert.equal(out.getOnly.code, undefined, `AssumeRole with a '*' policy via sts-sdk: ${JSON.stringify(out.getOnly)}`);
    assert.match(out.getOnly.accessKeyId, /^STS\./);
    assert.equal(out.getOnly.read, 'over https');
    assert.deepEqual(out.getOnly.put, { code: 'AccessDenied', status: 403, ec: '0003-00000301' });
  });

  it('ali-oss STS.assumeRole over HTTPS (trusting the dev certificate in a child process)', async () => {
    const script = `
      const { STS } = require('ali-oss');
      new STS({ accessKeyId: process.argv[1], accessKeySecret: process.argv[2], endpoint: process.argv[3] })
        .assumeRole(process.argv[4], '', '3000', 'sessiontest')
        .then(r => console.log(JSON.stringify(r.credentials)), e => console.log(JSON.stringify({ error: e.message })));`;
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: tlsd.certPath };
    const stdout = await new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', script, tseed.accessKeyId, tseed.accessKeySecret, tlsd.hostEndpoint, tseed.roleArn],
        { env, timeout: 60000, cwd: path.join(__dirname, '..') },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))
      );
    });
    const c = JSON.parse(stdout.trim());
    assert.equal(c.error, undefined, c.error);
    assert.match(c.AccessKeyId, /^STS\./);
    assert.match(c.Expiration, ISO_SECONDS);
  });
});
