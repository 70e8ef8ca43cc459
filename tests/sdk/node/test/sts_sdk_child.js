'use strict';
// Child process of sts_seed.test.js: runs @alicloud/sts-sdk (which hard-codes https and only takes a
// host name as its endpoint) and ali-oss over HTTPS against an ossd started with --tls-self-signed.
// The parent sets NODE_EXTRA_CA_CERTS to ossd's dev certificate (Node reads it only at start-up,
// hence the child). Input: JSON in argv[2]; output: one JSON line on stdout.

const StsClient = require('@alicloud/sts-sdk');
const { OSS } = require('./helpers');

async function main() {
  const input = JSON.parse(process.argv[2]);
  const out = {};
  const sts = new StsClient({
    endpoint: input.host, // "localhost:PORT"
    accessKeyId: input.accessKeyId,
    accessKeySecret: input.accessKeySecret,
  });
  const assumed = await sts.assumeRole(input.roleArn, 'sts-sdk-session', undefined, 900);
  out.assumeRole = assumed;
  const creds = assumed.Credentials || {};

  // GetCallerIdentity with the temporary credentials (sts-sdk sends SecurityToken + x-acs-security-token)
  const asSession = new StsClient({
    endpoint: input.host,
    credential: {
      getCredential: async () => ({
        accessKeyId: creds.AccessKeyId,
        accessKeySecret: creds.AccessKeySecret,
        securityToken: creds.SecurityToken,
      }),
    },
  });
  out.callerIdentity = await asSession.getCallerIdentity();

  // A session policy with '*' in it: sts-sdk signs it with Node querystring escaping, which leaves
  // !'()* raw (the "js" variant of docs/protocol/rpc.md#tolerated-client-variants); the server must accept it and enforce the policy.
  const getOnly = await sts.assumeRole(input.roleArn, 'sts-sdk-getonly', JSON.stringify(input.getOnlyPolicy), 900);
  out.getOnly = { code: getOnly.Code, accessKeyId: getOnly.Credentials && getOnly.Credentials.AccessKeyId };

  // 4xx answers are resolved (not thrown) by sts-sdk
  out.badDuration = await sts.assumeRole(input.roleArn, 'sts-sdk-session', undefined, 899);

  // the credentials work for OSS over HTTPS
  const ossOptions = bucket => ({
    accessKeyId: creds.AccessKeyId,
    accessKeySecret: creds.AccessKeySecret,
    stsToken: creds.SecurityToken,
    region: input.region,
    endpoint: `https://${input.host}`,
    sldEnable: true,
    authorizationV4: true,
    secure: true,
    bucket,
    timeout: 30000,
  });
  const ossClient = bucket => new OSS(ossOptions(bucket));
  const client = ossClient(input.bucket);
  await client.put('tls/from-sts-sdk.txt', Buffer.from('over https'));
  const got = await client.get('tls/from-sts-sdk.txt');
  out.ossRoundTrip = got.content.toString();
  try {
    await ossClient(input.otherBucket).put('nope.txt', Buffer.from('x'));
    out.otherBucket = { code: 'NoError' };
  } catch (e) {
    out.otherBucket = { code: e.code, status: e.status };
  }
  if (getOnly.Credentials) {
    const g = getOnly.Credentials;
    const limited = new OSS({ ...ossOptions(input.bucket), accessKeyId: g.AccessKeyId, accessKeySecret: g.AccessKeySecret, stsToken: g.SecurityToken });
    out.getOnly.read = (await limited.get('tls/from-sts-sdk.txt')).content.toString();
    try {
      await limited.put('tls/blocked.txt', Buffer.from('x'));
      out.getOnly.put = { code: 'NoError' };
    } catch (e) {
      out.getOnly.put = { code: e.code, status: e.status, ec: e.ecCode };
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch(e => {
  process.stdout.write(`${JSON.stringify({ error: { message: e.message, code: e.code, stack: e.stack } })}\n`);
  process.exitCode = 1;
});
