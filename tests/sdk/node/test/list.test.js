'use strict';
// ListObjects (v1) and ListObjectsV2 with ali-oss, V1 and V4 signing.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let server;
before(async () => {
  server = await h.startServer();
});
after(async () => {
  if (server) await server.stop();
});

const KEYS = [
  'a.txt',
  'b.txt',
  'dir1/x.txt',
  'dir1/y.txt',
  'dir1/sub/z.txt',
  'dir2/w.txt',
  'sp ace/k.txt',
  'zz+plus.txt',
  'ä-unicode.txt',
];
const SORTED = [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

for (const v4 of [false, true]) {
  const mode = v4 ? 'V4' : 'V1';
  describe(`listing (${mode})`, () => {
    let client;
    const sizes = {};

    before(async () => {
      const bucket = h.uniqueBucket('list');
      await h.makeClient(server, { v4 }).putBucket(bucket);
      client = h.makeClient(server, { v4, bucket });
      for (const [i, k] of KEYS.entries()) {
        const body = Buffer.from('x'.repeat(i + 1));
        sizes[k] = body.length;
        await client.put(k, body);
      }
    });

    it('ListObjects v1: all keys in byte order with size, etag, owner, type', async () => {
      const r = await client.list({ 'max-keys': 100 });
      assert.equal(r.res.status, 200);
      assert.deepEqual(r.objects.map(o => o.name), SORTED);
      for (const o of r.objects) {
        assert.equal(o.size, sizes[o.name]);
        assert.equal(o.etag, h.etagOf(Buffer.from('x'.repeat(sizes[o.name]))));
        assert.equal(o.type, 'Normal');
        assert.equal(o.storageClass, 'Standard');
        assert.ok(o.owner.id);
        assert.match(o.lastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      assert.equal(r.isTruncated, false);
      assert.equal(r.prefixes, null);
    });

    it('ListObjects v1: prefix + delimiter', async () => {
      const top = await client.list({ delimiter: '/' });
      assert.deepEqual(top.objects.map(o => o.name), ['a.txt', 'b.txt', 'zz+plus.txt', 'ä-unicode.txt']);
      assert.deepEqual(top.prefixes, ['dir1/', 'dir2/', 'sp ace/']);
      const d1 = await client.list({ prefix: 'dir1/', delimiter: '/' });
      assert.deepEqual(d1.objects.map(o => o.name), ['dir1/x.txt', 'dir1/y.txt']);
      assert.deepEqual(d1.prefixes, ['dir1/sub/']);
      const none = await client.list({ prefix: 'nothing/' });
      assert.deepEqual(none.objects, []);
    });

    it('ListObjects v1: marker + max-keys pagination, common prefixes count once', async () => {
      const seen = [];
      let marker;
      let pages = 0;
      for (;;) {
        const q = { 'max-keys': 2 };
        if (marker) q.marker = marker;
        const r = await client.list(q);
        pages += 1;
        assert.ok(r.objects.length <= 2);
        seen.push(...r.objects.map(o => o.name));
        if (!r.isTruncated) break;
        assert.ok(r.nextMarker, 'NextMarker when truncated');
        marker = r.nextMarker;
        assert.ok(pages < 20);
      }
      assert.deepEqual(seen, SORTED);
      assert.equal(pages, Math.ceil(SORTED.length / 2));

      const withDelim = await client.list({ delimiter: '/', 'max-keys': 3 });
      assert.deepEqual(withDelim.objects.map(o => o.name), ['a.txt', 'b.txt']);
      assert.deepEqual(withDelim.prefixes, ['dir1/']);
      assert.equal(withDelim.isTruncated, true);
      assert.equal(withDelim.nextMarker, 'dir1/');
      const rest = await client.list({ delimiter: '/', 'max-keys': 3, marker: withDelim.nextMarker });
      assert.deepEqual(rest.prefixes, ['dir2/', 'sp ace/']);
      assert.deepEqual(rest.objects.map(o => o.name), ['zz+plus.txt']);
    });

    it('ListObjectsV2: keyCount, continuation-token pagination, start-after', async () => {
      const seen = [];
      let token;
      let pages = 0;
      for (;;) {
        const q = { 'max-keys': 4 };
        if (token) q['continuation-token'] = token;
        const r = await client.listV2(q);
        pages += 1;
        assert.equal(r.keyCount, r.objects.length);
        for (const o of r.objects) assert.equal(o.owner, null, 'no Owner without fetch-owner');
        seen.push(...r.objects.map(o => o.name));
        if (!r.isTruncated) break;
        assert.ok(r.nextContinuationToken);
        if (token) assert.equal(r.continuationToken, token);
        token = r.nextContinuationToken;
        assert.ok(pages < 20);
      }
      assert.deepEqual(seen, SORTED);
      assert.equal(pages, Math.ceil(SORTED.length / 4));

      const sa = await client.listV2({ 'start-after': 'dir1/y.txt' });
      assert.deepEqual(sa.objects.map(o => o.name), SORTED.filter(k => Buffer.compare(Buffer.from(k), Buffer.from('dir1/y.txt')) > 0));
    });

    it('ListObjectsV2: prefix, delimiter, fetch-owner, empty prefix', async () => {
      const r = await client.listV2({ prefix: 'dir1/', delimiter: '/', 'fetch-owner': true });
      assert.deepEqual(r.objects.map(o => o.name), ['dir1/x.txt', 'dir1/y.txt']);
      assert.deepEqual(r.prefixes, ['dir1/sub/']);
      assert.equal(r.keyCount, 3);
      for (const o of r.objects) assert.ok(o.owner && o.owner.id, 'Owner with fetch-owner=true');
      // ali-oss V4 signs an empty prefix as "prefix=" (docs/protocol/signatures.md#v4-empty-query-values)
      const empty = await client.listV2({ prefix: '', delimiter: '/' });
      assert.deepEqual(empty.prefixes, ['dir1/', 'dir2/', 'sp ace/']);
      const paged = await client.listV2({ delimiter: '/', 'max-keys': 3 });
      assert.equal(paged.keyCount, 3);
      assert.equal(paged.isTruncated, true);
      const paged2 = await client.listV2({ delimiter: '/', 'max-keys': 3, 'continuation-token': paged.nextContinuationToken });
      assert.deepEqual(paged2.prefixes, ['dir2/', 'sp ace/']);
      assert.deepEqual(paged2.objects.map(o => o.name), ['zz+plus.txt']);
      assert.equal(paged2.isTruncated, true);
      const paged3 = await client.listV2({ delimiter: '/', 'max-keys': 3, 'continuation-token': paged2.nextContinuationToken });
      assert.deepEqual(paged3.objects.map(o => o.name), ['ä-unicode.txt']);
      assert.equal(paged3.isTruncated, false);
    });

    it('ListObjectsV2 with encoding-type=url returns encoded keys', async () => {
      const r = await client.listV2({ prefix: 'sp ace/', 'encoding-type': 'url' });
      // ali-oss does not decode: the raw XML value is URL-encoded
      assert.deepEqual(r.objects.map(o => decodeURIComponent(o.name)), ['sp ace/k.txt']);
      assert.equal(r.objects[0].name, 'sp%20ace%2Fk.txt');
    });

    it('ListObjects v1 with encoding-type=url encodes keys, prefixes and markers', async () => {
      const r = await client.list({ prefix: 'sp ace/', 'encoding-type': 'url' });
      assert.deepEqual(r.objects.map(o => o.name), ['sp%20ace%2Fk.txt']);
      const p = await client.list({ delimiter: '/', 'encoding-type': 'url', 'max-keys': 5 });
      assert.deepEqual(p.prefixes, ['dir1%2F', 'dir2%2F', 'sp%20ace%2F']);
      assert.equal(p.nextMarker, 'sp%20ace%2F');
      const u = await client.list({ prefix: 'ä', 'encoding-type': 'url' });
      assert.deepEqual(u.objects.map(o => decodeURIComponent(o.name)), ['ä-unicode.txt']);
      assert.equal(u.objects[0].name, '%C3%A4-unicode.txt');
    });

    it('ListObjects with an invalid max-keys is rejected', async () => {
      await h.expectOssError(client.list({ 'max-keys': 'abc' }), { status: 400, code: 'InvalidArgument' });
    });
  });
}
