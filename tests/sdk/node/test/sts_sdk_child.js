'use strict';
// Child process of sts_seed.test.js: runs @alicloud/sts-sdk (which hard-codes https and only takes a
// host name as its endpoint) and ali-oss over HTTPS against an ossd started with --tls-self-signed.
// The parent sets NODE_EXTRA_CA_CERTS to ossd's dev certificate (Node reads it only at start-up,
// hence the child). Input: JSON in argv[2]; output: one JSON line on stdout.

const StsClient = require('@alicloud/sts-sdk');
const OSS = require('ali-oss');

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

  // 4xx answers are resolved (not thrown) by sts-sdk
  out.badDuration = await sts.assumeRole(input.roleArn, 'sts-sdk-session', undefined, 899);

  // the credentials work for OSS over HTTPS
  const ossClient = bucket =>
    new OSS({
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
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch(e => {
  process.stdout.write(`${JSON.stringify({ error: { message: e.message, code: e.code, stack: e.stack } })}\n`);
  process.exitCode = 1;
});
