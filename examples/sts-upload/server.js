'use strict';
// STS token vendor + upload page for ossd (or Alibaba Cloud OSS).
//
//   GET /sts          temporary credentials from STS AssumeRole (the RAM user's key stays here)
//   GET /post-policy  a PostObject policy signed (V4) with fresh temporary credentials
//   GET /config       endpoint / bucket / region for the page
//   /                 public/index.html + app.js, plus the ali-oss and axios browser builds
//
// Configuration (environment):
//   OSSD_ENDPOINT      ossd endpoint as seen by the browser, e.g. http://localhost:9000
//                      (path-style requests: the browser cannot set a virtual-host Host header)
//   STS_ENDPOINT       where the vendor calls AssumeRole (default: OSSD_ENDPOINT)
//   OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET   the RAM user's AccessKey pair (seed step 1)
//   OSS_ROLE_ARN       the role to assume (seed step 3), e.g. acs:ram::<account>:role/RamOssTest
//   OSS_BUCKET         default examplebucket
//   OSS_REGION         default oss-cn-hangzhou
//   PORT / HOST        where this server listens (default 8000 / 127.0.0.1; PORT=0 picks one)
const path = require('node:path');
const express = require('express');
const OSS = require('ali-oss');
const { STS } = require('ali-oss');

function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return v;
}

const config = {
  endpoint: need('OSSD_ENDPOINT').replace(/\/+$/, ''),
  accessKeyId: need('OSS_ACCESS_KEY_ID'),
  accessKeySecret: need('OSS_ACCESS_KEY_SECRET'),
  roleArn: need('OSS_ROLE_ARN'),
  bucket: process.env.OSS_BUCKET || 'examplebucket',
  region: process.env.OSS_REGION || 'oss-cn-hangzhou',
};
config.stsEndpoint = (process.env.STS_ENDPOINT || config.endpoint).replace(/\/+$/, '');

function assumeRole() {
  let sts = new STS({
    // the AccessKey pair of the RAM user (seed step 1)
    accessKeyId: config.accessKeyId,
    accessKeySecret: config.accessKeySecret,
    endpoint: config.stsEndpoint, // ossd instead of https://sts.aliyuncs.com
  });
  // role ARN, no session policy (the role's permissions), 3000 s, session name
  return sts.assumeRole(config.roleArn, '', '3000', 'sessiontest');
}

const app = express();

// Seed step 5: the token vendor.
app.get('/sts', (req, res) => {
  assumeRole()
    .then(result => {
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Access-Control-Allow-Methods', 'GET');
      res.json({
        AccessKeyId: result.credentials.AccessKeyId,
        AccessKeySecret: result.credentials.AccessKeySecret,
        SecurityToken: result.credentials.SecurityToken,
        Expiration: result.credentials.Expiration,
      });
    })
    .catch(err => {
      console.error(err);
      res.status(400).json(err.message);
    });
});

function utcStamp(d) {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); // 20250101T000000Z
}

// A V4 PostObject policy for one key, signed with temporary credentials.
app.get('/post-policy', async (req, res) => {
  try {
    const key = String(req.query.key || '');
    if (!key || key.length > 1023) return res.status(400).json('query parameter key is required');
    const maxSize = 100 * 1024 * 1024;
    const c = (await assumeRole()).credentials;
    const now = new Date();
    const date = utcStamp(now);
    const region = config.region.replace(/^oss-/, '');
    const credential = `${c.AccessKeyId}/${date.slice(0, 8)}/${region}/oss/aliyun_v4_request`;
    const policy = {
      expiration: new Date(now.getTime() + 10 * 60e3).toISOString(),
      conditions: [
        { bucket: config.bucket },
        ['eq', '$key', key],
        ['content-length-range', 0, maxSize],
        { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
        { 'x-oss-credential': credential },
        { 'x-oss-date': date },
        { 'x-oss-security-token': c.SecurityToken },
        { success_action_status: '200' },
      ],
    };
    const signer = new OSS({
      region: config.region,
      accessKeyId: c.AccessKeyId,
      accessKeySecret: c.AccessKeySecret,
      stsToken: c.SecurityToken,
      authorizationV4: true,
      bucket: config.bucket,
    });
    const signature = signer.signPostObjectPolicyV4(policy, now);
    res.json({
      url: `${config.endpoint}/${config.bucket}`,
      fields: {
        key,
        policy: Buffer.from(JSON.stringify(policy), 'utf8').toString('base64'),
        'x-oss-signature-version': 'OSS4-HMAC-SHA256',
        'x-oss-credential': credential,
        'x-oss-date': date,
        'x-oss-signature': signature,
        'x-oss-security-token': c.SecurityToken,
        success_action_status: '200',
      },
    });
  } catch (err) {
    console.error(err);
    res.status(400).json(err.message);
  }
});

app.get('/config', (req, res) => {
  res.json({ endpoint: config.endpoint, bucket: config.bucket, region: config.region });
});

const aliOssDist = path.join(path.dirname(require.resolve('ali-oss/package.json')), 'dist');
const axiosDist = path.join(path.dirname(require.resolve('axios/package.json')), 'dist');
app.get('/vendor/aliyun-oss-sdk.min.js', (req, res) => res.sendFile(path.join(aliOssDist, 'aliyun-oss-sdk.min.js')));
app.get('/vendor/axios.min.js', (req, res) => res.sendFile(path.join(axiosDist, 'axios.min.js')));
app.use(express.static(path.join(__dirname, 'public')));

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST || '127.0.0.1';
const srv = app.listen(port, host, err => {
  if (err) throw err;
  console.log(`sts-upload example listening on http://${host}:${srv.address().port}`);
});
