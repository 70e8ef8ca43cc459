'use strict';
// Versioning with ali-oss: bucket configuration, several versions of a key, GET/HEAD by
// versionId, delete markers (404 with x-oss-delete-marker, 405 for the marker's own id),
// getBucketVersions pagination, deletes of versions, copies from a version, and presigned URLs
// (V1 signatureUrl with subResource versionId, V4 signatureUrlV4) of an overwritten version.

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

for (const v4 of [false, true]) {
  describe(`versioning (${v4 ? 'V4' : 'V1'})`, () => {
    let client;
    let urls;
    let bucket;
    before(async () => {
      bucket = h.uniqueBucket('ver');
      const admin = h.makeClient(server, { v4 });
      await admin.putBucket(bucket);
      client = h.makeClient(server, { v4, bucket });
      urls = h.makeClient(server, { v4, bucket, style: 'path' });
    });

    /** A presigned request (V1 or V4 like the client) for `key`, optionally of one version. */
    async function fetchSigned(key, method, versionId) {
      let url;
      if (v4) {
        const queries = versionId ? { versionId } : {};
        url = await urls.signatureUrlV4(method, 60, { queries }, key);
      } else {
        const subResource = versionId ? { versionId } : undefined;
        url = urls.signatureUrl(key, { method, expires: 60, subResource });
      }
      return fetch(url, { method });
    }

    it('a never-configured bucket has no status; Enabled and Suspended round-trip', async () => {
      const admin = h.makeClient(server, { v4 });
      const other = h.uniqueBucket('vercfg');
      await admin.putBucket(other);
      assert.equal((await admin.getBucketVersioning(other)).versionStatus, undefined);
      await admin.putBucketVersioning(other, 'Enabled');
      assert.equal((await admin.getBucketVersioning(other)).versionStatus, 'Enabled');
      await admin.putBucketVersioning(other, 'Suspended');
      assert.equal((await admin.getBucketVersioning(other)).versionStatus, 'Suspended');
      await admin.putBucketVersioning(bucket, 'Enabled');
    });

    it('keeps every version readable by versionId', async () => {
      const ids = [];
      for (const body of ['first', 'second', 'third']) {
        const r = await client.put('doc.txt', Buffer.from(body));
        assert.ok(r.res.headers['x-oss-version-id'], 'x-oss-version-id on put');
        ids.push(r.res.headers['x-oss-version-id']);
      }
      assert.equal(new Set(ids).size, 3);
      assert.equal((await client.get('doc.txt')).content.toString(), 'third');
      const old = await client.get('doc.txt', { versionId: ids[0] });
      assert.equal(old.content.toString(), 'first');
      assert.equal(old.res.headers['x-oss-version-id'], ids[0]);
      const head = await client.head('doc.txt', { versionId: ids[1] });
      assert.equal(head.res.headers['x-oss-version-id'], ids[1]);
      assert.equal(head.res.headers['content-length'], '6');
      const meta = await client.getObjectMeta('doc.txt', { versionId: ids[0] });
      assert.equal(meta.res.headers['x-oss-version-id'], ids[0]);
      await h.expectOssError(client.get('doc.txt', { versionId: '0123456789abcdef0123456789abcdef' }), {
        status: 404,
        code: 'NoSuchVersion',
      });
    });

    it('a delete adds a marker: 404 with x-oss-delete-marker, 405 for the marker version', async () => {
      const put = await client.put('gone.txt', Buffer.from('still here'));
      const vid = put.res.headers['x-oss-version-id'];
      const del = await client.delete('gone.txt');
      assert.equal(del.res.status, 204);
      assert.equal(del.res.headers['x-oss-delete-marker'], 'true');
      const marker = del.res.headers['x-oss-version-id'];
      assert.ok(marker && marker !== vid);

      await h.expectOssError(client.get('gone.txt'), { status: 404, code: 'NoSuchKey' });
      await h.expectOssError(client.head('gone.txt'), { status: 404 });
      await h.expectOssError(client.get('gone.txt', { versionId: marker }), {
        status: 405,
        code: 'MethodNotAllowed',
      });
      // ali-oss errors carry no headers: read them through presigned URLs.
      for (const method of ['GET', 'HEAD']) {
        const latest = await fetchSigned('gone.txt', method);
        assert.equal(latest.status, 404);
        assert.equal(latest.headers.get('x-oss-delete-marker'), 'true');
        assert.equal(latest.headers.get('x-oss-version-id'), marker);
        const named = await fetchSigned('gone.txt', method, marker);
        assert.equal(named.status, 405);
        assert.equal(named.headers.get('x-oss-delete-marker'), 'true');
      }
      const body = await (await fetchSigned('gone.txt', 'GET')).text();
      assert.equal(h.xmlValue(body, 'Code'), 'NoSuchKey');
      assert.equal((await client.get('gone.txt', { versionId: vid })).content.toString(), 'still here');

      // Deleting the marker itself restores the object.
      const undo = await client.delete('gone.txt', { versionId: marker });
      assert.equal(undo.res.headers['x-oss-delete-marker'], 'true');
      assert.equal(undo.res.headers['x-oss-version-id'], marker);
      assert.equal((await client.get('gone.txt')).content.toString(), 'still here');
      // A versioned delete removes the version for good.
      await client.delete('gone.txt', { versionId: vid });
      await h.expectOssError(client.get('gone.txt', { versionId: vid }), { status: 404, code: 'NoSuchVersion' });
    });

    it('getBucketVersions pages through versions and markers, newest first per key', async () => {
      const prefix = 'page/';
      const expected = [];
      for (const k of ['a', 'b', 'c']) {
        const ids = [];
        for (let i = 0; i < 2; i++) {
          ids.push((await client.put(`${prefix}${k}`, Buffer.from(`${k}${i}`))).res.headers['x-oss-version-id']);
        }
        expected.push(...ids.reverse().map(id => `${prefix}${k}@${id}`));
      }
      const marker = (await client.delete(`${prefix}b`)).res.headers['x-oss-version-id'];
      const bAt = expected.findIndex(e => e.startsWith(`${prefix}b@`));
      expected.splice(bAt, 0, `${prefix}b@${marker}`);

      const seen = [];
      let keyMarker;
      let versionIdMarker;
      let pages = 0;
      for (;;) {
        const q = { prefix, maxKeys: 2 };
        if (keyMarker !== undefined) Object.assign(q, { keyMarker, versionIdMarker });
        const r = await client.getBucketVersions(q);
        pages += 1;
        const entries = [
          ...r.objects.map(o => ({ k: o.name, v: o.versionId, t: o.lastModified, latest: o.isLatest })),
          ...r.deleteMarker.map(o => ({ k: o.name, v: o.versionId, t: o.lastModified })),
        ];
        // ali-oss splits the two kinds; restore the listing order (key, then newest first).
        const order = new Map(expected.map((e, i) => [e, i]));
        entries.sort((x, y) => order.get(`${x.k}@${x.v}`) - order.get(`${y.k}@${y.v}`));
        seen.push(...entries.map(e => `${e.k}@${e.v}`));
        if (!r.isTruncated) break;
        keyMarker = r.nextKeyMarker;
        versionIdMarker = r.nextVersionIdMarker;
        assert.ok(pages < 10);
      }
      assert.equal(pages, 4);
      assert.deepEqual(seen, expected);
      const latest = await client.getBucketVersions({ prefix: `${prefix}a` });
      assert.deepEqual(
        latest.objects.map(o => o.isLatest),
        [true, false]
      );
      const folded = await client.getBucketVersions({ delimiter: '/' });
      assert.ok(folded.prefixes.includes(prefix));
    });

    it('copies from an old version; deleteMulti removes versions', async () => {
      const v1 = (await client.put('src.txt', Buffer.from('old source'))).res.headers['x-oss-version-id'];
      await client.put('src.txt', Buffer.from('new source'));
      const copy = await client.copy('dst.txt', 'src.txt', { versionId: v1 });
      assert.equal(copy.res.headers['x-oss-copy-source-version-id'], v1);
      assert.ok(copy.res.headers['x-oss-version-id']);
      assert.equal((await client.get('dst.txt')).content.toString(), 'old source');

      const r = await client.deleteMulti([{ key: 'src.txt', versionId: v1 }, 'dst.txt'], { quiet: false });
      assert.equal(r.res.status, 200);
      await h.expectOssError(client.get('src.txt', { versionId: v1 }), { status: 404, code: 'NoSuchVersion' });
      await h.expectOssError(client.get('dst.txt'), { status: 404, code: 'NoSuchKey' });
      assert.equal((await client.get('src.txt')).content.toString(), 'new source');
    });
  });
}

describe('presigned URLs of an overwritten version', () => {
  let bucket;
  let client;
  before(async () => {
    bucket = h.uniqueBucket('verurl');
    await h.makeClient(server).putBucket(bucket);
    await h.makeClient(server).putBucketVersioning(bucket, 'Enabled');
    client = h.makeClient(server, { bucket, style: 'path' });
  });

  it('V1 signatureUrl with subResource versionId and V4 signatureUrlV4 serve the old bytes', async () => {
    const v1 = (await client.put('url.txt', Buffer.from('original'))).res.headers['x-oss-version-id'];
    await client.put('url.txt', Buffer.from('overwritten'));

    const u1 = client.signatureUrl('url.txt', { expires: 60, subResource: { versionId: v1 } });
    assert.equal(new URL(u1).searchParams.get('versionId'), v1);
    const r1 = await fetch(u1);
    assert.equal(r1.status, 200, await r1.clone().text());
    assert.equal(await r1.text(), 'original');
    assert.equal(r1.headers.get('x-oss-version-id'), v1);

    const v4 = h.makeClient(server, { bucket, style: 'path', v4: true });
    const u4 = await v4.signatureUrlV4('GET', 60, { queries: { versionId: v1 } }, 'url.txt');
    const r4 = await fetch(u4);
    assert.equal(r4.status, 200, await r4.clone().text());
    assert.equal(await r4.text(), 'original');

    const current = await fetch(client.signatureUrl('url.txt', { expires: 60 }));
    assert.equal(await current.text(), 'overwritten');
  });
});
