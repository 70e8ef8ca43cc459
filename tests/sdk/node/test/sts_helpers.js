'use strict';
// Helpers for the RAM/STS end-to-end tests: an ossd launcher that can serve HTTPS
// (--tls-self-signed), keep its data dir across restarts and run under libfaketime; RAM/STS RPC
// clients (@alicloud/pop-core) and the seed's RAM setup (users, keys, role, policies).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const RPCClient = require('@alicloud/pop-core').RPCClient;
const h = require('./helpers');

const STS_VERSION = '2015-04-01';
const RAM_VERSION = '2015-05-01';

// The seed's role policy (step 4), byte for byte apart from whitespace.
const SEED_POLICY = {
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['oss:PutObject', 'oss:GetObject'],
      Resource: ['acs:oss:*:*:examplebucket', 'acs:oss:*:*:examplebucket/*'],
    },
  ],
};

// A session policy narrower than the role: GetObject only.
const GET_ONLY_POLICY = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:examplebucket/*'] }],
};

function trustPolicy(accountId) {
  return JSON.stringify({
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: [`acs:ram::${accountId}:root`] } }],
    Version: '1',
  });
}

// libfaketime, if installed (Debian package `faketime`; scripts/test installs it).
const FAKETIME_LIBS = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
];
function faketimeLib() {
  return FAKETIME_LIBS.find(p => fs.existsSync(p)) || null;
}

/**
 * Start ossd. Options: tls (--tls-self-signed), dataDir (reuse; otherwise a fresh temp dir),
 * env (extra environment), fakeOffset (libfaketime offset such as '+16m' for the server clock).
 * Resolves to { port, endpoint, hostEndpoint, scheme, dataDir, accountId, certPem, certPath, stop() }.
 */
async function startOssd({ tls = false, dataDir, env: extraEnv = {}, fakeOffset } = {}) {
  const ownDir = !dataDir;
  const dir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-sts-'));
  const env = {
    ...process.env,
    OSSD_ROOT_ACCESS_KEY_ID: h.ACCESS_KEY_ID,
    OSSD_ROOT_ACCESS_KEY_SECRET: h.ACCESS_KEY_SECRET,
    ...extraEnv,
  };
  delete env.OSSD_ADDR;
  delete env.OSSD_DATA_DIR;
  delete env.OSSD_TLS_SELF_SIGNED;
  if (fakeOffset) {
    const lib = faketimeLib();
    if (!lib) throw new Error('libfaketime is not installed (apt-get install faketime)');
    env.LD_PRELOAD = lib;
    env.FAKETIME = fakeOffset;
    // keep tokio's timers (CLOCK_MONOTONIC) real; only the wall clock moves
    env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
    env.FAKETIME_DONT_RESET = '1';
  }
  const args = ['serve', '--addr', '127.0.0.1:0', '--data-dir', dir, '--region', h.REGION];
  if (tls) args.push('--tls-self-signed');
  const scheme = tls ? 'https' : 'http';
  const p = await h.spawnOssd(args, { env, scheme });
  const { port, proc } = p;
  const identity = JSON.parse(fs.readFileSync(path.join(dir, 'identity.json'), 'utf8'));
  const certPath = path.join(dir, 'tls', 'dev-cert.pem');
  const certPem = tls ? fs.readFileSync(certPath, 'utf8') : null;
  return {
    port,
    scheme,
    endpoint: `${scheme}://127.0.0.1:${port}`,
    hostEndpoint: `${scheme}://localhost:${port}`,
    dataDir: dir,
    accountId: identity.account_id,
    certPath,
    certPem,
    proc,
    stderr: p.stderr,
    async stop({ keepDir = false } = {}) {
      await p.kill();
      if (ownDir && !keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A pop-core RPC client for RAM (default) or STS against `server`. */
function rpcClient(server, { version = RAM_VERSION, accessKeyId = h.ACCESS_KEY_ID, accessKeySecret = h.ACCESS_KEY_SECRET, securityToken } = {}) {
  const cfg = { accessKeyId, accessKeySecret, endpoint: server.endpoint, apiVersion: version };
  if (securityToken) cfg.securityToken = securityToken;
  if (server.certPem) cfg.opts = { agent: new https.Agent({ ca: server.certPem, keepAlive: false }) };
  // https endpoints: pop-core checks the certificate against our CA (the agent above)
  if (server.certPem) cfg.endpoint = server.hostEndpoint;
  h.recordSecrets(accessKeySecret, securityToken);
  return new RPCClient(cfg);
}

/** Expect a pop-core call to fail with JSON `Code` = code (and, if given, HTTP status). */
async function expectRpcError(promise, code, status) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected RPC error ${code}, but the call succeeded`);
  assert.ok(err.data, `expected a JSON error body, got: ${err.message}`);
  assert.equal(err.code, code, `Code (body: ${JSON.stringify(err.data)})`);
  assert.ok(err.data.RequestId, 'error body carries RequestId');
  assert.ok(err.data.Message, 'error body carries Message');
  if (status !== undefined) assert.equal(err.entry.response.statusCode, status, `HTTP status of ${code}`);
  return err;
}

/**
 * The seed's steps 1–4 as the account root, with @alicloud/pop-core:
 * CreateUser, CreateAccessKey, AttachPolicyToUser (AliyunSTSAssumeRoleAccess, System),
 * CreateRole RamOssTest (trust: the account root), CreatePolicy RamTestPolicy, AttachPolicyToRole,
 * GetRole for the ARN. Returns every response for assertions.
 */
async function seedRamSetup(server, { userName = 'sts-seed-user', roleName = 'RamOssTest', policyName = 'RamTestPolicy' } = {}) {
  const ram = rpcClient(server);
  const out = { ram, accountId: server.accountId, userName, roleName, policyName };
  out.createUser = await ram.request('CreateUser', { UserName: userName, DisplayName: 'STS seed user' }, { method: 'POST' });
  out.createAccessKey = await ram.request('CreateAccessKey', { UserName: userName }, { method: 'POST' });
  out.attachUser = await ram.request(
    'AttachPolicyToUser',
    { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: userName },
    { method: 'POST' }
  );
  out.createRole = await ram.request(
    'CreateRole',
    { RoleName: roleName, AssumeRolePolicyDocument: trustPolicy(server.accountId), Description: 'seed role' },
    { method: 'POST' }
  );
  out.createPolicy = await ram.request(
    'CreatePolicy',
    { PolicyName: policyName, PolicyDocument: JSON.stringify(SEED_POLICY, null, 2), Description: 'seed policy' },
    { method: 'POST' }
  );
  out.attachRole = await ram.request(
    'AttachPolicyToRole',
    { PolicyType: 'Custom', PolicyName: policyName, RoleName: roleName },
    { method: 'POST' }
  );
  // GET (pop-core's default method) for the read
  out.getRole = await ram.request('GetRole', { RoleName: roleName });
  out.roleArn = out.getRole.Role.Arn;
  out.accessKeyId = out.createAccessKey.AccessKey.AccessKeyId;
  out.accessKeySecret = out.createAccessKey.AccessKey.AccessKeySecret;
  return out;
}

/** An ali-oss client on the examplebucket-style, path-addressed hostname endpoint (signatureUrl needs it). */
function pathClient(server, bucket, creds, { v4 = false } = {}) {
  return new h.OSS({
    accessKeyId: creds.AccessKeyId,
    accessKeySecret: creds.AccessKeySecret,
    stsToken: creds.SecurityToken,
    region: `oss-${h.REGION}`,
    endpoint: server.hostEndpoint,
    sldEnable: true,
    authorizationV4: v4,
    bucket,
    timeout: 30000,
  });
}

async function fetchError(res) {
  const text = await res.text();
  return { status: res.status, code: h.xmlValue(text, 'Code'), ec: h.xmlValue(text, 'EC'), text, headers: res.headers };
}

module.exports = {
  STS_VERSION,
  RAM_VERSION,
  SEED_POLICY,
  GET_ONLY_POLICY,
  trustPolicy,
  faketimeLib,
  startOssd,
  rpcClient,
  expectRpcError,
  seedRamSetup,
  pathClient,
  fetchError,
};
