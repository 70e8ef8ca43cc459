'use strict';
// Bucket-level differences found by ali-oss's own suite (issue 12): putBucket() and putBucketACL()
// return the bucket name (from the Location header), the endpoints buckets report are the address
// the client used (path style: the host it connected to; an IP endpoint, with Host rewritten to
// <bucket>.oss-<region>.aliyuncs.com: that base name), and processObjectSave accepts watermark
// text in the standard Base64 alphabet.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

// A 200x100 solid-colour PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAMgAAABkCAIAAABM5OhcAAAAzElEQVR42u3SMQ0AAAgEsVeCTiQiCxMMDE2q4HKpHjgXCTAWxsJYYCyM' +
    'hbHAWBgLY4GxMBbGAmNhLIwFxsJYGAuMhbEwFhgLY2EsMBbGwlhgLIyFscBYGAtjgbEwFsYCY2EsjAXGwlgYC4yFsTAWGAtjYSww' +
    'FsbCWGAsjIWxwFgYC2OBsTAWxgJjYSyMBcbCWBgLjIWxMBYYC2NhLDAWxsJYYCyMhbHAWBgLY4GxMBbGAmNhLIyFsVTAWBgLY4Gx' +
    'MBbGAmNhLIwFxuK3BRyi1fdAdyiHAAAAAElFTkSuQmCC',
  'base64'
);

let server;
before(async () => {
  server = await h.startServer();
});
after(async () => {
  if (server) await server.stop();
});

for (const v4 of [false, true]) {
  describe(`bucket compatibility (${v4 ? 'V4' : 'V1'})`, () => {
    it('putBucket returns the bucket name, also for an existing bucket', async () => {
      const client = h.makeClient(server, { v4 });
      const name = h.uniqueBucket(`cbput${v4 ? 4 : 1}`);
      const r = await client.putBucket(name);
      assert.equal(r.bucket, name);
      assert.equal(r.res.headers.location, `/${name}`);
      assert.equal((await client.putBucket(name)).bucket, name);
      await h.allowPublicAccess(server, name);
      assert.equal((await client.putBucketACL(name, 'public-read')).bucket, name);
    });

    it('reports the endpoint the client addressed', async () => {
      const name = h.uniqueBucket(`cbep${v4 ? 4 : 1}`);
      const vhost = h.makeClient(server, { v4 });
      await vhost.putBucket(name);
      const viaIp = await vhost.getBucketInfo(name);
      assert.equal(viaIp.bucket.ExtranetEndpoint, `oss-${h.REGION}.aliyuncs.com`);
      assert.equal(viaIp.bucket.IntranetEndpoint, `oss-${h.REGION}.aliyuncs.com`);

      const path = h.makeClient(server, { v4, style: 'path' });
      const host = new URL(server.hostEndpoint).host;
      const info = await path.getBucketInfo(name);
      assert.equal(info.bucket.ExtranetEndpoint, host);
      assert.equal(info.bucket.IntranetEndpoint, host);
      const listed = await path.listBuckets({ prefix: name });
      assert.deepEqual(listed.buckets.map(b => b.name), [name]);
      assert.equal(listed.res.status, 200);
      assert.ok(listed.res.data.toString().includes(`<ExtranetEndpoint>${host}</ExtranetEndpoint>`));
    });

    it('processObjectSave with watermark text in the standard Base64 alphabet', async () => {
      const bucket = h.uniqueBucket(`cbwm${v4 ? 4 : 1}`);
      await h.makeClient(server, { v4 }).putBucket(bucket);
      const client = h.makeClient(server, { v4, bucket, style: 'path' });
      await client.put('src.png', PNG, { headers: { 'Content-Type': 'image/png' } });
      // the value of ali-oss's own test: "hello 图片服务！" with '+', and a trailing comma
      const process = 'image/watermark,text_aGVsbG8g5Zu+54mH5pyN5Yqh77yB,color_ff6a00,';
      const r = await client.processObjectSave('src.png', 'wm.jpg', process);
      assert.equal(r.res.status, 200);
      assert.equal((await client.head('wm.jpg')).res.status, 200);
    });
  });
}
