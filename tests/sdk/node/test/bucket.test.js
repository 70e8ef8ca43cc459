'use strict';
// Service- and bucket-level operations with ali-oss, V1 and V4 signing.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let server;
// ali-oss predates Block Public Access on new buckets (docs/protocol/buckets.md#new-bucket-defaults):
// its PutBucket with a public ACL is served as before only under `--bucket-defaults open`.
let openServer;
before(async () => {
  server = await h.startServer();
  openServer = await h.startServer({ OSSD_BUCKET_DEFAULTS: 'open' });
});
after(async () => {
  if (server) await server.stop();
  if (openServer) await openServer.stop();
});

for (const v4 of [false, true]) {
  const mode = v4 ? 'V4' : 'V1';
  describe(`buckets (${mode})`, () => {
    const prefix = v4 ? 'lbv4' : 'lbv1';
    const names = [`${prefix}-a1`, `${prefix}-a2`, `${prefix}-b1`, `${prefix}-c1`];

    it('PutBucket creates buckets and ListBuckets lists them sorted', async () => {
      const client = h.makeClient(server, { v4 });
      for (const name of names) {
        const r = await client.putBucket(name);
        assert.equal(r.res.status, 200);
        h.assertCommonHeaders(r.res);
      }
      const all = await client.listBuckets({ prefix });
      assert.deepEqual(
        all.buckets.map(b => b.name),
        [...names].sort()
      );
      assert.ok(all.owner.id, 'owner id present');
      for (const b of all.buckets) {
        assert.equal(b.region, `oss-${h.REGION}`);
        assert.equal(b.storageClass, 'Standard');
        assert.match(b.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      }
      assert.equal(all.isTruncated, false);
    });

    it('ListBuckets honours prefix, marker and max-keys', async () => {
      const client = h.makeClient(server, { v4 });
      const byPrefix = await client.listBuckets({ prefix: `${prefix}-a` });
      assert.deepEqual(byPrefix.buckets.map(b => b.name), [`${prefix}-a1`, `${prefix}-a2`]);

      const page1 = await client.listBuckets({ prefix, 'max-keys': 2 });
      assert.deepEqual(page1.buckets.map(b => b.name), [`${prefix}-a1`, `${prefix}-a2`]);
      assert.equal(page1.isTruncated, true);
      assert.equal(page1.nextMarker, `${prefix}-a2`);

      const page2 = await client.listBuckets({ prefix, 'max-keys': 2, marker: page1.nextMarker });
      assert.deepEqual(page2.buckets.map(b => b.name), [`${prefix}-b1`, `${prefix}-c1`]);
      assert.equal(page2.isTruncated, false);

      const none = await client.listBuckets({ prefix: `${prefix}-zzz` });
      assert.ok(none.buckets === null || none.buckets.length === 0, 'no buckets');
    });

    it('PutBucket with ACL and storage class; GetBucketInfo, GetBucketLocation, Get/PutBucketAcl (open defaults)', async () => {
      const client = h.makeClient(openServer, { v4 });
      const name = h.uniqueBucket(`info${mode.toLowerCase()}`);
      await client.putBucket(name, { acl: 'public-read', storageClass: 'IA' });

      const info = await client.getBucketInfo(name);
      assert.equal(info.bucket.Name, name);
      assert.equal(info.bucket.Location, `oss-${h.REGION}`);
      assert.equal(info.bucket.StorageClass, 'IA');
      assert.equal(info.bucket.AccessControlList.Grant, 'public-read');
      assert.ok(info.bucket.Owner.ID);
      assert.match(info.bucket.CreationDate, /^\d{4}-\d\d-\d\dT/);
      assert.equal(info.bucket.ExtranetEndpoint, `oss-${h.REGION}.aliyuncs.com`);

      const loc = await client.getBucketLocation(name);
      assert.equal(loc.location, `oss-${h.REGION}`);

      let acl = await client.getBucketACL(name);
      assert.equal(acl.acl, 'public-read');
      assert.ok(acl.owner.id);

      for (const grant of ['public-read-write', 'private']) {
        const r = await client.putBucketACL(name, grant);
        assert.equal(r.res.status, 200);
        acl = await client.getBucketACL(name);
        assert.equal(acl.acl, grant);
      }

      const listed = await client.listBuckets({ prefix: name });
      assert.equal(listed.buckets.length, 1);
      assert.equal(listed.buckets[0].storageClass, 'IA');
    });

    it('a new bucket blocks public ACLs until Block Public Access is turned off (cloud defaults)', async () => {
      const client = h.makeClient(server, { v4 });
      const name = h.uniqueBucket(`bpa${mode.toLowerCase()}`);
      await h.expectOssError(client.putBucket(name, { acl: 'public-read' }), { status: 403, code: 'AccessDenied' });
      await h.expectOssError(client.getBucketInfo(name), { status: 404, code: 'NoSuchBucket' });
      await client.putBucket(name);
      await h.expectOssError(client.putBucketACL(name, 'public-read'), { status: 403, code: 'AccessDenied' });
      assert.equal((await client.getBucketACL(name)).acl, 'private');
      await h.allowPublicAccess(server, name);
      await client.putBucketACL(name, 'public-read');
      assert.equal((await client.getBucketACL(name)).acl, 'public-read');
    });

    it('PutBucket on a bucket you own is idempotent (200)', async () => {
      const client = h.makeClient(server, { v4 });
      const name = h.uniqueBucket('again');
      await client.putBucket(name);
      const r = await client.putBucket(name);
      assert.equal(r.res.status, 200);
    });

    it('DeleteBucket: 204, BucketNotEmpty while objects exist, NoSuchBucket afterwards', async () => {
      const client = h.makeClient(server, { v4 });
      const name = h.uniqueBucket('del');
      await client.putBucket(name);
      client.useBucket(name);
      await client.put('x.txt', Buffer.from('x'));
      await h.expectOssError(client.deleteBucket(name), { status: 409, code: 'BucketNotEmpty' });
      await client.delete('x.txt');
      const r = await client.deleteBucket(name);
      assert.equal(r.res.status, 204);
      await h.expectOssError(client.getBucketInfo(name), { status: 404, code: 'NoSuchBucket' });
      await h.expectOssError(client.deleteBucket(name), { status: 404, code: 'NoSuchBucket' });
      const listed = await client.listBuckets({ prefix: name });
      assert.ok(listed.buckets === null || listed.buckets.length === 0);
    });

    it('bucket calls on an unknown bucket give NoSuchBucket', async () => {
      const client = h.makeClient(server, { v4 });
      const name = h.uniqueBucket('nosuch');
      await h.expectOssError(client.getBucketACL(name), { status: 404, code: 'NoSuchBucket' });
      await h.expectOssError(client.getBucketLocation(name), { status: 404, code: 'NoSuchBucket' });
      client.useBucket(name);
      await h.expectOssError(client.list(), { status: 404, code: 'NoSuchBucket' });
      await h.expectOssError(client.put('k', Buffer.from('v')), { status: 404, code: 'NoSuchBucket' });
    });
  });
}

describe('bucket operations with path-style addressing (localhost + sldEnable)', () => {
  for (const v4 of [false, true]) {
    it(`create, info, acl, list, delete (${v4 ? 'V4' : 'V1'}; open defaults)`, async () => {
      const client = h.makeClient(openServer, { v4, style: 'path' });
      const name = h.uniqueBucket('path');
      await client.putBucket(name, { acl: 'public-read' });
      const info = await client.getBucketInfo(name);
      assert.equal(info.bucket.Name, name);
      assert.equal((await client.getBucketACL(name)).acl, 'public-read');
      assert.equal((await client.getBucketLocation(name)).location, `oss-${h.REGION}`);
      const listed = await client.listBuckets({ prefix: name });
      assert.deepEqual(listed.buckets.map(b => b.name), [name]);
      client.useBucket(name);
      await client.put('p/k.txt', Buffer.from('path style'));
      const objs = await client.list({ prefix: 'p/' });
      assert.deepEqual(objs.objects.map(o => o.name), ['p/k.txt']);
      await client.delete('p/k.txt');
      assert.equal((await client.deleteBucket(name)).res.status, 204);
    });
  }
});

describe('bucket error cases', () => {
  it('ListBuckets with a wrong secret gives SignatureDoesNotMatch (V1 and V4)', async () => {
    for (const v4 of [false, true]) {
      const client = h.makeClient(server, { v4, accessKeySecret: 'WrongSecret0123456789abcdefghijk' });
      await h.expectOssError(client.listBuckets(), { status: 403, code: 'SignatureDoesNotMatch' });
    }
  });

  it('ListBuckets with an unknown access key id gives InvalidAccessKeyId', async () => {
    for (const v4 of [false, true]) {
      const client = h.makeClient(server, { v4, accessKeyId: 'LTAI5tUnknownKey9999' });
      await h.expectOssError(client.listBuckets(), { status: 403, code: 'InvalidAccessKeyId' });
    }
  });

  it('anonymous ListBuckets is denied', async () => {
    const r = await h.rawRequest(server, { path: '/' });
    assert.equal(r.status, 403);
    assert.equal(h.xmlValue(r.body, 'Code'), 'AccessDenied');
    assert.ok(r.headers['x-oss-request-id']);
  });
});
