'use strict';
// Addressing (path style vs virtual-hosted Host headers) and the error response format, with raw
// HTTP requests signed by hand (V1) next to the ali-oss clients.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let server;
let bucket;
const BODY = Buffer.from('addressing body');
const KEY = 'dir/addr key+1.txt';
const KEY_PATH = 'dir/addr%20key%2B1.txt';

before(async () => {
  server = await h.startServer();
  bucket = h.uniqueBucket('addr');
  const c = h.makeClient(server, { bucket });
  await c.putBucket(bucket);
  await c.put(KEY, BODY);
});
after(async () => {
  if (server) await server.stop();
});

function signedGet(p, resource, host, extra = {}) {
  const date = new Date().toUTCString();
  const sig = h.signV1({ method: 'GET', date, resource });
  const headers = { Date: date, Authorization: `OSS ${h.ACCESS_KEY_ID}:${sig}`, ...extra };
  if (host) headers.Host = host;
  return h.rawRequest(server, { method: 'GET', path: p, headers });
}

describe('addressing', () => {
  it('path style: Host 127.0.0.1:PORT, /bucket/key', async () => {
    const r = await signedGet(`/${bucket}/${KEY_PATH}`, `/${bucket}/${KEY}`);
    assert.equal(r.status, 200, r.body.toString());
    assert.deepEqual(r.body, BODY);
  });

  it('path style with Host localhost:PORT', async () => {
    const r = await signedGet(`/${bucket}/${KEY_PATH}`, `/${bucket}/${KEY}`, `localhost:${server.port}`);
    assert.equal(r.status, 200, r.body.toString());
    assert.deepEqual(r.body, BODY);
  });

  it('path style with %2F-encoded slashes in the key (oss2 style)', async () => {
    const r = await signedGet(`/${bucket}/dir%2Faddr%20key%2B1.txt`, `/${bucket}/${KEY}`);
    assert.equal(r.status, 200, r.body.toString());
    assert.deepEqual(r.body, BODY);
  });

  it('virtual-hosted: Host <bucket>.localhost', async () => {
    const r = await signedGet(`/${KEY_PATH}`, `/${bucket}/${KEY}`, `${bucket}.localhost:${server.port}`);
    assert.equal(r.status, 200, r.body.toString());
    assert.deepEqual(r.body, BODY);
  });

  it('virtual-hosted: Host <bucket>.oss-cn-hangzhou.aliyuncs.com', async () => {
    const r = await signedGet(`/${KEY_PATH}`, `/${bucket}/${KEY}`, `${bucket}.oss-${h.REGION}.aliyuncs.com`);
    assert.equal(r.status, 200, r.body.toString());
    assert.deepEqual(r.body, BODY);
  });

  it('virtual-hosted bucket-level request (ListObjects) and service-level Host ".oss-<region>.aliyuncs.com"', async () => {
    let r = await signedGet('/?prefix=dir%2F', `/${bucket}/`, `${bucket}.localhost:${server.port}`);
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(h.xmlValue(r.body, 'Name'), bucket);
    assert.equal(h.xmlValue(r.body, 'Key'), KEY);
    r = await signedGet('/', '/', `.oss-${h.REGION}.aliyuncs.com`);
    assert.equal(r.status, 200, r.body.toString());
    assert.match(r.body.toString(), /<ListAllMyBucketsResult/);
    assert.ok(r.body.toString().includes(`<Name>${bucket}</Name>`));
  });

  it('ali-oss IP endpoint (virtual-hosted Host) and sldEnable (path style) see the same object', async () => {
    for (const v4 of [false, true]) {
      for (const style of ['vhost', 'path']) {
        const c = h.makeClient(server, { v4, style, bucket });
        const got = await c.get(KEY);
        assert.deepEqual(got.content, BODY, `${v4} ${style}`);
      }
    }
  });

  it('a query-string "+" means space (oss2 / requests encoding)', async () => {
    const r = await signedGet(`/${bucket}/?prefix=dir%2Faddr+key`, `/${bucket}/`);
    assert.equal(r.status, 200);
    assert.equal(h.xmlValue(r.body, 'Key'), KEY);
    assert.equal(h.xmlValue(r.body, 'Prefix'), 'dir/addr key');
  });
});

describe('response format', () => {
  it('success responses carry x-oss-request-id, Date, Server, ETag, CRC', async () => {
    const r = await signedGet(`/${bucket}/${KEY_PATH}`, `/${bucket}/${KEY}`);
    assert.equal(r.status, 200);
    assert.match(r.headers['x-oss-request-id'], /^[0-9A-Za-z-]{16,}$/);
    assert.ok(!Number.isNaN(Date.parse(r.headers.date)));
    assert.equal(r.headers.server, 'AliyunOSS');
    assert.equal(r.headers.etag, h.etagOf(BODY));
    assert.equal(r.headers['x-oss-hash-crc64ecma'], h.crc64(BODY));
  });

  it('errors are OSS XML with Code, Message, RequestId (= header), HostId and extras', async () => {
    const r = await signedGet(`/${bucket}/nope.txt`, `/${bucket}/nope.txt`);
    assert.equal(r.status, 404);
    assert.match(r.headers['content-type'], /application\/xml/);
    const xml = r.body.toString();
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    assert.match(xml, /<Error>/);
    assert.equal(h.xmlValue(xml, 'Code'), 'NoSuchKey');
    assert.ok(h.xmlValue(xml, 'Message'));
    assert.equal(h.xmlValue(xml, 'RequestId'), r.headers['x-oss-request-id']);
    assert.ok(h.xmlValue(xml, 'HostId') !== null, 'HostId');
    assert.equal(h.xmlValue(xml, 'Key'), 'nope.txt');

    const nb = await signedGet('/no-such-bucket-xyz/k', '/no-such-bucket-xyz/k');
    assert.equal(nb.status, 404);
    assert.equal(h.xmlValue(nb.body, 'Code'), 'NoSuchBucket');
    assert.equal(h.xmlValue(nb.body, 'BucketName'), 'no-such-bucket-xyz');
    assert.ok(nb.headers['x-oss-request-id']);
  });

  it('HEAD errors have no body and carry x-oss-err with the Base64 error XML', async () => {
    const date = new Date().toUTCString();
    const sig = h.signV1({ method: 'HEAD', date, resource: `/${bucket}/nope.txt` });
    const r = await h.rawRequest(server, {
      method: 'HEAD',
      path: `/${bucket}/nope.txt`,
      headers: { Date: date, Authorization: `OSS ${h.ACCESS_KEY_ID}:${sig}` },
    });
    assert.equal(r.status, 404);
    assert.equal(r.body.length, 0);
    assert.ok(r.headers['x-oss-request-id']);
    const xml = Buffer.from(r.headers['x-oss-err'] || '', 'base64').toString('utf8');
    assert.equal(h.xmlValue(xml, 'Code'), 'NoSuchKey');
    assert.equal(h.xmlValue(xml, 'RequestId'), r.headers['x-oss-request-id']);
  });

  it('a wrong V1 signature returns SignatureDoesNotMatch with the server StringToSign', async () => {
    const date = new Date().toUTCString();
    const sig = h.signV1({ method: 'GET', date, resource: `/${bucket}/${KEY}`, secret: 'not-the-secret' });
    const r = await h.rawRequest(server, {
      path: `/${bucket}/${KEY_PATH}`,
      headers: { Date: date, Authorization: `OSS ${h.ACCESS_KEY_ID}:${sig}` },
    });
    assert.equal(r.status, 403);
    assert.equal(h.xmlValue(r.body, 'Code'), 'SignatureDoesNotMatch');
    // <StringToSign> is an optional debugging extra (docs/protocol/errors.md#authentication-errors); when present it must be right
    const sts = h.xmlValue(r.body, 'StringToSign');
    if (sts !== null) assert.equal(sts, `GET\n\n\n${date}\n/${bucket}/${KEY}`);
  });

  it('a skewed Date (20 minutes) returns RequestTimeTooSkewed', async () => {
    const date = new Date(Date.now() - 20 * 60 * 1000).toUTCString();
    const sig = h.signV1({ method: 'GET', date, resource: `/${bucket}/${KEY}` });
    const r = await h.rawRequest(server, {
      path: `/${bucket}/${KEY_PATH}`,
      headers: { Date: date, Authorization: `OSS ${h.ACCESS_KEY_ID}:${sig}` },
    });
    assert.equal(r.status, 403);
    assert.equal(h.xmlValue(r.body, 'Code'), 'RequestTimeTooSkewed');
  });

  it('ali-oss (V1 and V4) with a wrong secret: SignatureDoesNotMatch; unknown key id: InvalidAccessKeyId', async () => {
    for (const v4 of [false, true]) {
      const bad = h.makeClient(server, { v4, bucket, accessKeySecret: 'WrongSecret0123456789abcdefghijk' });
      await h.expectOssError(bad.get(KEY), { status: 403, code: 'SignatureDoesNotMatch' });
      await h.expectOssError(bad.list(), { status: 403, code: 'SignatureDoesNotMatch' });
      const unknown = h.makeClient(server, { v4, bucket, accessKeyId: 'LTAI5tNoSuchKey00000' });
      await h.expectOssError(unknown.get(KEY), { status: 403, code: 'InvalidAccessKeyId' });
    }
  });

  it('HTTP keep-alive: many requests over one connection', async () => {
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let sockets = 0;
    agent.on('free', () => {});
    const origCreate = agent.createConnection.bind(agent);
    agent.createConnection = (...args) => {
      sockets += 1;
      return origCreate(...args);
    };
    for (let i = 0; i < 5; i++) {
      const date = new Date().toUTCString();
      const sig = h.signV1({ method: 'GET', date, resource: `/${bucket}/${KEY}` });
      const status = await new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/${bucket}/${KEY_PATH}`,
            agent,
            headers: { Date: date, Authorization: `OSS ${h.ACCESS_KEY_ID}:${sig}` },
          },
          res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          }
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200);
    }
    agent.destroy();
    assert.equal(sockets, 1, 'one TCP connection reused');
  });
});
