'use strict';
// Emulator mode (docs/emulator.md): `ossd serve --dev --memory` with the documented dev
// credentials; STS credentials of the dev role used by ali-oss with refreshSTSToken while the
// server's clock is moved past their expiry through POST /-/admin/clock; signed URLs (V1, V4)
// that expire with the move; the --dev / --clock-offset refusals; nothing written to disk.
//
// ali-oss refreshes purely by the CLIENT clock (lib/common/utils/setSTSToken.js: once
// `refreshSTSTokenInterval` ms have passed since the last refresh, the next request calls
// refreshSTSToken first), so the refreshing client uses an interval of 1.5 s, and the test
// counts the refresh calls and waits out one interval after moving the server clock.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const RPCClient = require('@alicloud/pop-core').RPCClient;
const h = require('./helpers');

// The documented dev credentials (docs/emulator.md).
const DEV = {
  accountId: '1000000000000001',
  rootId: 'LTAI5tDevRootAccessKey01',
  rootSecret: 'DevRootSecretNotForProduction0',
  userId: 'LTAI5tDevUserAccessKey01',
  userSecret: 'DevUserSecretNotForProduction0',
};
const ROLE_ARN = `acs:ram::${DEV.accountId}:role/dev`;
const REFRESH_INTERVAL_MS = 1500;

/**
 * Runs `ossd serve <args>` in `cwd` (a fresh empty temp dir by default, removed by stop()) and
 * waits for the listening line. Resolves to { port, endpoint, hostEndpoint, cwd, out, stop() }.
 */
async function startOssd(args, { cwd } = {}) {
  const dir = cwd || fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-emu-'));
  const removeOwnDir = () => {
    if (!cwd) fs.rmSync(dir, { recursive: true, force: true });
  };
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OSSD_')) delete env[k];
  let p;
  try {
    p = await h.spawnOssd(['serve', ...args], { env, cwd: dir });
  } catch (e) {
    removeOwnDir();
    throw e;
  }
  return {
    port: p.port,
    endpoint: `http://127.0.0.1:${p.port}`,
    hostEndpoint: `http://localhost:${p.port}`,
    cwd: dir,
    out: p.out,
    stderr: p.stderr,
    stop: async () => {
      try {
        await p.kill();
      } finally {
        removeOwnDir();
      }
    },
  };
}

/** Runs `ossd serve <args>` expecting it to refuse to start; resolves to { code, stderr }. */
function expectRefusal(args) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OSSD_')) delete env[k];
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-emu-'));
  return new Promise((resolve, reject) => {
    const proc = spawn(h.OSSD_BIN, ['serve', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    proc.stdout.on('data', d => {
      out += d.toString();
    });
    proc.stderr.on('data', d => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`ossd did not refuse to start: ${out}`));
    }, 15000);
    proc.on('exit', code => {
      clearTimeout(timer);
      fs.rmSync(cwd, { recursive: true, force: true });
      assert.doesNotMatch(out, /ossd listening/, 'must not start listening');
      resolve({ code, stderr });
    });
  });
}

/** A V1-header-signed POST to an administrative path (`/-/admin/...`) with the dev root key. */
async function admin(server, pathAndQuery, { id = DEV.rootId, secret = DEV.rootSecret } = {}) {
  const date = new Date().toUTCString();
  const resource = pathAndQuery.split('?')[0];
  const signature = h.signV1({ method: 'POST', date, resource, secret });
  const res = await h.rawRequest(server, {
    method: 'POST',
    path: pathAndQuery,
    headers: { Date: date, Authorization: `OSS ${id}:${signature}` },
  });
  return { status: res.status, body: JSON.parse(res.body.toString() || '{}') };
}

function stsClient(server) {
  return new RPCClient({
    accessKeyId: DEV.userId,
    accessKeySecret: DEV.userSecret,
    endpoint: server.endpoint,
    apiVersion: '2015-04-01',
  });
}

async function assumeDevRole(server, session) {
  const r = await stsClient(server).request(
    'AssumeRole',
    { RoleArn: ROLE_ARN, RoleSessionName: session, DurationSeconds: 900 },
    { method: 'POST' }
  );
  return r.Credentials;
}

function ossClient(server, bucket, creds, extra = {}) {
  return new h.OSS({
    accessKeyId: creds.AccessKeyId,
    accessKeySecret: creds.AccessKeySecret,
    stsToken: creds.SecurityToken,
    region: `oss-${h.REGION}`,
    endpoint: server.hostEndpoint,
    sldEnable: true,
    bucket,
    timeout: 30000,
    ...extra,
  });
}

async function fetchStatus(url) {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, code: h.xmlValue(text, 'Code'), message: h.xmlValue(text, 'Message'), text };
}

describe('ossd serve --dev --memory: STS refresh and signed URLs across a clock move', () => {
  let server;
  const bucket = 'emulator-clock';
  before(async () => {
    server = await startOssd(['--dev', '--memory', '--addr', '127.0.0.1:0', '--data-dir', './not-created']);
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('prints the dev credentials and snippets', async () => {
    // the banner is written line by line after the listening line: wait for its last line
    for (let i = 0; i < 100 && !server.out().includes('ossd admin (CLI)'); i++) await h.sleep(50);
    const out = server.out();
    for (const s of [DEV.rootId, DEV.rootSecret, DEV.userId, DEV.userSecret, ROLE_ARN, 'refreshSTSToken', 'oss2.']) {
      assert.ok(out.includes(s), `banner mentions ${s}`);
    }
  });

  it('ali-oss with the dev role refreshes its STS token after the clock moves past expiry', async () => {
    const root = ossClient(server, bucket, { AccessKeyId: DEV.rootId, AccessKeySecret: DEV.rootSecret });
    await root.putBucket(bucket);

    let refreshes = 0;
    const initial = await assumeDevRole(server, 'initial');
    const refreshing = ossClient(server, bucket, initial, {
      refreshSTSTokenInterval: REFRESH_INTERVAL_MS,
      refreshSTSToken: async () => {
        refreshes += 1;
        const c = await assumeDevRole(server, `refresh-${refreshes}`);
        return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken };
      },
    });
    const fixed = ossClient(server, bucket, initial);

    // Before the move: the token works for both clients; signed URLs work.
    await refreshing.put('before.txt', Buffer.from('written before the move'));
    assert.equal((await fixed.get('before.txt')).content.toString(), 'written before the move');
    const v1Url = root.signatureUrl('before.txt', { expires: 600 });
    const v4Url = await ossClient(server, bucket, {
      AccessKeyId: DEV.rootId,
      AccessKeySecret: DEV.rootSecret,
    }, { authorizationV4: true }).signatureUrlV4('GET', 600, {}, 'before.txt');
    assert.equal((await fetchStatus(v1Url)).status, 200);
    assert.equal((await fetchStatus(v4Url)).status, 200);

    // Move the server clock one hour ahead (the token lasts 900 s, the URLs 600 s).
    const moved = await admin(server, '/-/admin/clock?advance=1h');
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.offset_seconds, 3600);
    const skew = (Date.parse(moved.body.now) - Date.parse(moved.body.real_now)) / 1000;
    assert.ok(Math.abs(skew - 3600) <= 1, `effective time is one hour ahead (${skew} s)`);
    assert.ok(Math.abs(Date.parse(moved.body.real_now) - Date.now()) < 60000, 'real time is the real time');

    // A client holding the old token (no refresh) is refused as OSS refuses expired STS tokens.
    await h.expectOssError(fixed.get('before.txt'), { status: 403, code: 'SecurityTokenExpired' });
    // So is the refreshing client's current token, used without refresh.
    const current = {
      AccessKeyId: refreshing.options.accessKeyId,
      AccessKeySecret: refreshing.options.accessKeySecret,
      SecurityToken: refreshing.options.stsToken,
    };
    await h.expectOssError(ossClient(server, bucket, current).get('before.txt'), {
      status: 403,
      code: 'SecurityTokenExpired',
    });

    // Signed URLs that worked before the move have expired.
    for (const url of [v1Url, v4Url]) {
      const r = await fetchStatus(url);
      assert.equal(r.status, 403, r.text);
      assert.equal(r.code, 'AccessDenied');
      assert.equal(r.message, 'Request has expired.');
    }

    // Header-signed requests still carry the real time and are accepted (no skew error).
    assert.equal((await root.get('before.txt')).content.toString(), 'written before the move');

    // After one refresh interval, ali-oss refreshes before its next request and goes on.
    const before = refreshes;
    await h.sleep(REFRESH_INTERVAL_MS + 200);
    await refreshing.put('after.txt', Buffer.from('written after the move'));
    assert.ok(refreshes > before, `refreshSTSToken was called (${before} -> ${refreshes})`);
    assert.notEqual(refreshing.options.stsToken, current.SecurityToken, 'a new token is in use');
    const got = await refreshing.get('after.txt');
    assert.equal(got.content.toString(), 'written after the move');

    // A URL signed after the move, with the real time, is valid for its own lifetime.
    const fresh = root.signatureUrl('after.txt', { expires: 3600 + 600 });
    assert.equal((await fetchStatus(fresh)).status, 200);
  });

  it('the clock endpoint validates its input and requires the root key', async () => {
    const shown = await admin(server, '/-/admin/clock');
    assert.equal(shown.status, 200);
    assert.equal(typeof shown.body.offset_seconds, 'number');
    const bad = await admin(server, '/-/admin/clock?advance=soon');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.Code, 'InvalidArgument');
    const both = await admin(server, '/-/admin/clock?advance=1&offset=2');
    assert.equal(both.status, 400);
    const user = await admin(server, '/-/admin/clock?advance=1', { id: DEV.userId, secret: DEV.userSecret });
    assert.equal(user.status, 403);
    assert.equal(user.body.Code, 'AccessDenied');
    const back = await admin(server, '/-/admin/clock?offset=0');
    assert.equal(back.status, 200);
    assert.equal(back.body.offset_seconds, 0);
  });

  it('ossd admin clock and ossd admin reset drive the same endpoints from the CLI', async () => {
    const env = {
      ...process.env,
      OSSD_ENDPOINT: server.endpoint,
      OSSD_ACCESS_KEY_ID: DEV.rootId,
      OSSD_ACCESS_KEY_SECRET: DEV.rootSecret,
    };
    const cli = args => execFileSync(h.OSSD_BIN, ['admin', ...args], { env, encoding: 'utf8' });
    const moved = JSON.parse(cli(['clock', '--advance', '90m', '--json']));
    assert.equal(moved.offset_seconds, 5400);
    assert.equal(Date.parse(moved.now) - Date.parse(moved.real_now) >= 5400 * 1000 - 1000, true);
    assert.match(cli(['clock', '--offset', '0']), /^offset: 0 s$/m);
    assert.equal((await admin(server, '/-/admin/clock')).body.offset_seconds, 0);
    const reset = JSON.parse(cli(['reset', '--json']));
    assert.equal(typeof reset.buckets_removed, 'number');
    assert.throws(() => cli(['clock', '--advance', 'soon']), /InvalidArgument/);
  });

  it('writes nothing to disk', async () => {
    assert.deepEqual(fs.readdirSync(server.cwd), [], 'the working directory stays empty');
    assert.ok(!fs.existsSync(path.join(server.cwd, 'not-created')), '--data-dir is not created');
    assert.ok(!fs.existsSync(path.join(server.cwd, 'ossd-data')));
  });
});

describe('emulator flags', () => {
  it('--clock-offset starts the server clock ahead', async () => {
    const server = await startOssd(['--dev', '--memory', '--addr', '127.0.0.1:0', '--clock-offset', '2h']);
    try {
      const r = await admin(server, '/-/admin/clock');
      assert.equal(r.status, 200);
      assert.equal(r.body.offset_seconds, 7200);
    } finally {
      await server.stop();
    }
  });

  it('--dev on a non-loopback address is refused unless --dev-allow-remote', async () => {
    const r = await expectRefusal(['--dev', '--memory', '--addr', '0.0.0.0:0']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /non-loopback/);
    assert.match(r.stderr, /--dev-allow-remote/);
    const allowed = await startOssd(['--dev', '--dev-allow-remote', '--memory', '--addr', '0.0.0.0:0']);
    await allowed.stop();
  });

  it('--clock-offset without --dev is refused', async () => {
    const r = await expectRefusal(['--memory', '--addr', '127.0.0.1:0', '--clock-offset', '60']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /only allowed together with --dev/);
  });

  it('/-/admin/clock and /-/admin/reset are refused without --dev', async () => {
    const server = await h.startServer();
    try {
      for (const p of ['/-/admin/clock?advance=60', '/-/admin/reset']) {
        const r = await admin(server, p, { id: h.ACCESS_KEY_ID, secret: h.ACCESS_KEY_SECRET });
        assert.equal(r.status, 403, `${p}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.Code, 'AccessDenied');
        assert.match(r.body.Message, /--dev/);
      }
    } finally {
      await server.stop();
    }
  });

  it('--dev with a data directory restarts on the same state', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-emu-'));
    const args = ['--dev', '--addr', '127.0.0.1:0', '--data-dir', 'data'];
    let server = await startOssd(args, { cwd });
    const root = ossClient(server, 'kept', { AccessKeyId: DEV.rootId, AccessKeySecret: DEV.rootSecret });
    await root.putBucket('kept');
    await root.put('k.txt', Buffer.from('kept across restarts'));
    await server.stop();
    server = await startOssd(args, { cwd });
    try {
      const c = await assumeDevRole(server, 'after-restart');
      const again = ossClient(server, 'kept', c);
      assert.equal((await again.get('k.txt')).content.toString(), 'kept across restarts');
    } finally {
      await server.stop();
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// --seed + POST /-/admin/reset

const SEED_TOML = `
[[buckets]]
name = "seeded-photos"
acl = "public-read"
versioning = "Enabled"

[[buckets]]
name = "seeded-plain"

[[policies]]
name = "SeededRead"
description = "read seeded-photos"
document = '''{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject","oss:ListObjects"],"Resource":["acs:oss:*:*:seeded-photos","acs:oss:*:*:seeded-photos/*"]}]}'''

[[groups]]
name = "readers"
policies = ["SeededRead"]

[[users]]
name = "alice"
display_name = "Alice"
policies = ["AliyunSTSAssumeRoleAccess"]
groups = ["readers"]
keys = [{ id = "LTAI5tSeedAliceKey000001", secret = "SeedAliceSecretNotForProd00000" }]

[[roles]]
name = "uploader"
trust_account = true
max_session_duration = 7200
description = "seeded role"
policies = ["AliyunOSSFullAccess", "SeededRead"]

[[objects]]
bucket = "seeded-photos"
key = "dir/hello.txt"
path = "files/hello.txt"
content_type = "text/plain"

[[objects]]
bucket = "seeded-plain"
key = "big.bin"
path = "files/big.bin"

[[objects]]
bucket = "seeded-plain"
key = "inline.txt"
content = "inline content"
`;

function ramClient(server) {
  return new RPCClient({
    accessKeyId: DEV.rootId,
    accessKeySecret: DEV.rootSecret,
    endpoint: server.endpoint,
    apiVersion: '2015-05-01',
  });
}

const byName = key => (a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);

/** Everything observable through the OSS and RAM APIs, without generated ids and times. */
async function snapshot(server) {
  const root = ossClient(server, undefined, { AccessKeyId: DEV.rootId, AccessKeySecret: DEV.rootSecret });
  const ram = ramClient(server);
  const call = (action, params = {}) => ram.request(action, params, { method: 'POST' });
  const state = { buckets: [], users: [], groups: [], roles: [], policies: [], rootKeys: [] };
  const listed = await root.listBuckets({ 'max-keys': 1000 });
  for (const b of (listed.buckets || []).sort(byName('name'))) {
    const client = ossClient(server, b.name, { AccessKeyId: DEV.rootId, AccessKeySecret: DEV.rootSecret });
    const info = (await client.getBucketInfo(b.name)).bucket;
    const versions = await client.getBucketVersions({ 'max-keys': 1000 });
    const objects = [];
    for (const v of versions.objects || []) {
      const got = await client.get(v.name, { versionId: v.versionId });
      objects.push({
        key: v.name,
        latest: v.isLatest,
        etag: v.etag,
        size: Number(v.size),
        content: got.content.toString('base64'),
        type: got.res.headers['content-type'],
      });
    }
    const uploads = await client.listUploads({ 'max-uploads': 1000 });
    state.buckets.push({
      name: b.name,
      acl: info.AccessControlList.Grant,
      versioning: info.Versioning || null,
      objects,
      deleteMarkers: (versions.deleteMarker || []).map(m => m.name),
      uploads: (uploads.uploads || []).map(u => u.name),
    });
  }
  for (const u of (await call('ListUsers', { MaxItems: 1000 })).Users.User.sort(byName('UserName'))) {
    const p = { UserName: u.UserName };
    state.users.push({
      name: u.UserName,
      display: u.DisplayName,
      keys: (await call('ListAccessKeys', p)).AccessKeys.AccessKey.map(k => [k.AccessKeyId, k.Status]).sort(),
      policies: (await call('ListPoliciesForUser', p)).Policies.Policy.map(x => `${x.PolicyType}:${x.PolicyName}`).sort(),
      groups: (await call('ListGroupsForUser', p)).Groups.Group.map(g => g.GroupName).sort(),
    });
  }
  for (const g of (await call('ListGroups', { MaxItems: 1000 })).Groups.Group.sort(byName('GroupName'))) {
    const pols = (await call('ListPoliciesForGroup', { GroupName: g.GroupName })).Policies.Policy;
    state.groups.push({ name: g.GroupName, policies: pols.map(x => `${x.PolicyType}:${x.PolicyName}`).sort() });
  }
  for (const r of (await call('ListRoles', { MaxItems: 1000 })).Roles.Role.sort(byName('RoleName'))) {
    const role = (await call('GetRole', { RoleName: r.RoleName })).Role;
    const pols = (await call('ListPoliciesForRole', { RoleName: r.RoleName })).Policies.Policy;
    state.roles.push({
      name: r.RoleName,
      description: role.Description,
      max: role.MaxSessionDuration,
      trust: JSON.parse(role.AssumeRolePolicyDocument),
      policies: pols.map(x => `${x.PolicyType}:${x.PolicyName}`).sort(),
    });
  }
  const custom = (await call('ListPolicies', { PolicyType: 'Custom', MaxItems: 1000 })).Policies.Policy;
  for (const p of custom.sort(byName('PolicyName'))) {
    const got = await call('GetPolicy', { PolicyName: p.PolicyName, PolicyType: 'Custom' });
    const versions = await call('ListPolicyVersions', { PolicyName: p.PolicyName, PolicyType: 'Custom' });
    state.policies.push({
      name: p.PolicyName,
      description: p.Description,
      document: JSON.parse(got.DefaultPolicyVersion.PolicyDocument),
      versions: versions.PolicyVersions.PolicyVersion.length,
    });
  }
  state.rootKeys = (await call('ListAccessKeys')).AccessKeys.AccessKey.map(k => k.AccessKeyId).sort();
  return state;
}

describe('--seed and POST /-/admin/reset', () => {
  let server;
  let dir;
  let seeded;
  const big = Buffer.alloc(300 * 1024, 7); // above the inline threshold: a real blob
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-seed-'));
    fs.mkdirSync(path.join(dir, 'files'));
    fs.writeFileSync(path.join(dir, 'files', 'hello.txt'), 'hello from the seed\n');
    fs.writeFileSync(path.join(dir, 'files', 'big.bin'), big);
    fs.writeFileSync(path.join(dir, 'seed.toml'), SEED_TOML);
    // --no-default-bucket: the state is exactly the seed's (examplebucket is tested in crates/ossd/tests/dev_bucket.rs)
    server = await startOssd(['--dev', '--memory', '--no-default-bucket', '--addr', '127.0.0.1:0', '--seed', path.join(dir, 'seed.toml')]);
  });
  after(async () => {
    if (server) await server.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts with exactly the declared state', async () => {
    seeded = await snapshot(server);
    assert.deepEqual(seeded.buckets.map(b => [b.name, b.acl, b.versioning]), [
      ['seeded-photos', 'public-read', 'Enabled'],
      ['seeded-plain', 'private', null],
    ]);
    const photos = seeded.buckets[0].objects;
    assert.deepEqual(photos.map(o => [o.key, o.etag, Buffer.from(o.content, 'base64').toString(), o.type]), [
      ['dir/hello.txt', h.etagOf(Buffer.from('hello from the seed\n')), 'hello from the seed\n', 'text/plain'],
    ]);
    const plain = seeded.buckets[1].objects;
    assert.deepEqual(plain.map(o => [o.key, o.etag, o.size]), [
      ['big.bin', h.etagOf(big), big.length],
      ['inline.txt', h.etagOf(Buffer.from('inline content')), 14],
    ]);
    const alice = seeded.users.find(u => u.name === 'alice');
    assert.deepEqual(alice, {
      name: 'alice',
      display: 'Alice',
      keys: [['LTAI5tSeedAliceKey000001', 'Active']],
      policies: ['System:AliyunSTSAssumeRoleAccess'],
      groups: ['readers'],
    });
    assert.deepEqual(seeded.users.map(u => u.name), ['alice', 'dev']);
    assert.deepEqual(seeded.groups, [{ name: 'readers', policies: ['Custom:SeededRead'] }]);
    const uploader = seeded.roles.find(r => r.name === 'uploader');
    assert.equal(uploader.max, 7200);
    assert.deepEqual(uploader.policies, ['Custom:SeededRead', 'System:AliyunOSSFullAccess']);
    assert.deepEqual(uploader.trust.Statement[0].Principal.RAM, [`acs:ram::${DEV.accountId}:root`]);
    assert.deepEqual(seeded.policies.map(p => [p.name, p.description, p.versions]), [['SeededRead', 'read seeded-photos', 1]]);
    assert.deepEqual(seeded.rootKeys, [DEV.rootId]);
    // The seeded key works, with the seeded group's policy.
    const asAlice = ossClient(server, 'seeded-photos', {
      AccessKeyId: 'LTAI5tSeedAliceKey000001',
      AccessKeySecret: 'SeedAliceSecretNotForProd00000',
    });
    assert.equal((await asAlice.get('dir/hello.txt')).content.toString(), 'hello from the seed\n');
  });

  it('reset restores it after objects, buckets and RAM entities changed', async () => {
    const rootCreds = { AccessKeyId: DEV.rootId, AccessKeySecret: DEV.rootSecret };
    const photos = ossClient(server, 'seeded-photos', rootCreds);
    const plain = ossClient(server, 'seeded-plain', rootCreds);
    await photos.put('dir/hello.txt', Buffer.from('overwritten'));
    await photos.put('new.txt', Buffer.from('new'));
    await photos.delete('dir/hello.txt');
    await photos.initMultipartUpload('pending.bin');
    await photos.putBucketACL('seeded-photos', 'private');
    await plain.delete('big.bin');
    await plain.put('inline.txt', Buffer.alloc(200 * 1024, 1));
    const extra = ossClient(server, 'extra-bucket', rootCreds);
    await extra.putBucket('extra-bucket');
    await extra.put('x', Buffer.from('x'));
    const ram = ramClient(server);
    const call = (action, params = {}) => ram.request(action, params, { method: 'POST' });
    await call('CreateUser', { UserName: 'mallory' });
    await call('CreateAccessKey', { UserName: 'mallory' });
    await call('AddUserToGroup', { UserName: 'mallory', GroupName: 'readers' });
    await call('DeleteAccessKey', { UserName: 'alice', UserAccessKeyId: 'LTAI5tSeedAliceKey000001' });
    await call('DetachPolicyFromGroup', { GroupName: 'readers', PolicyName: 'SeededRead', PolicyType: 'Custom' });
    await call('CreatePolicyVersion', {
      PolicyName: 'SeededRead',
      PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }),
      SetAsDefault: true,
    });
    await call('CreateRole', { RoleName: 'extra-role', AssumeRolePolicyDocument: JSON.stringify(seeded.roles[0].trust) });
    await call('AttachPolicyToRole', { RoleName: 'extra-role', PolicyName: 'AliyunOSSReadOnlyAccess', PolicyType: 'System' });
    await call('DetachPolicyFromRole', { RoleName: 'dev', PolicyName: 'AliyunOSSFullAccess', PolicyType: 'System' });
    await call('CreateAccessKey');
    assert.notDeepEqual(await snapshot(server), seeded, 'the state did change');

    const r = await admin(server, '/-/admin/reset');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.buckets_removed, 3);
    assert.deepEqual(await snapshot(server), seeded);

    // The seeded and dev identities work again.
    const asAlice = ossClient(server, 'seeded-photos', {
      AccessKeyId: 'LTAI5tSeedAliceKey000001',
      AccessKeySecret: 'SeedAliceSecretNotForProd00000',
    });
    assert.equal((await asAlice.get('dir/hello.txt')).content.toString(), 'hello from the seed\n');
    const c = await assumeDevRole(server, 'after-reset');
    assert.equal((await ossClient(server, 'seeded-plain', c).get('big.bin')).content.length, big.length);
  });

  it('reset is root-only', async () => {
    const r = await admin(server, '/-/admin/reset', { id: DEV.userId, secret: DEV.userSecret });
    assert.equal(r.status, 403);
    assert.equal(r.body.Code, 'AccessDenied');
  });

  it('the example seed file loads', async () => {
    const example = path.join(h.REPO_ROOT, 'examples', 'seed.toml');
    const s = await startOssd(['--dev', '--memory', '--addr', '127.0.0.1:0', '--seed', example]);
    try {
      const client = ossClient(s, 'photos', { AccessKeyId: DEV.rootId, AccessKeySecret: DEV.rootSecret });
      assert.equal((await client.get('hello.txt')).content.toString(), fs.readFileSync(path.join(h.REPO_ROOT, 'examples', 'seed-files', 'hello.txt'), 'utf8'));
    } finally {
      await s.stop();
    }
  });

  it('a bad seed file is refused at start with the reason', async () => {
    const bad = path.join(dir, 'bad.toml');
    fs.writeFileSync(bad, '[[buckets]]\nname = "Bad_Name"\n');
    const r = await expectRefusal(['--memory', '--addr', '127.0.0.1:0', '--seed', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid bucket name/);
    fs.writeFileSync(bad, '[[objects]]\nbucket = "b"\nkey = "k"\npath = "missing.bin"\n');
    const r2 = await expectRefusal(['--memory', '--addr', '127.0.0.1:0', '--seed', bad]);
    assert.match(r2.stderr, /missing\.bin/);
  });
});
