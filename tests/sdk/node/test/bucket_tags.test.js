'use strict';
// Bucket tags with ali-oss (V1 and V4): putBucketTags / getBucketTags / deleteBucketTags (an
// untagged bucket answers an empty tag set, a put replaces the whole set, delete is 204), the
// server-side rules (over 20 tags, a 65-character key, a reserved prefix: 400 InvalidTag, nothing
// stored), and listBuckets filtered by tags (`subres.tagging` and `tag-key`/`tag-value`), each
// listed bucket carrying its tags (ali-oss reads them from each `<Bucket>`).

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
  describe(`bucket tags (${v4 ? 'V4' : 'V1'})`, () => {
    let client;
    let bucket;
    before(async () => {
      bucket = h.uniqueBucket('tg');
      client = h.makeClient(server, { v4 });
      await client.putBucket(bucket);
    });

    it('gets, puts, replaces and deletes the tags', async () => {
      let r = await client.getBucketTags(bucket);
      assert.equal(r.status, 200);
      assert.deepEqual(r.tag, {});

      r = await client.putBucketTags(bucket, { a: '1', b: '2', 'k w': '' });
      assert.equal(r.status, 200);
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { a: '1', b: '2', 'k w': '' });

      await client.putBucketTags(bucket, { a: '1' });
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { a: '1' });

      r = await client.deleteBucketTags(bucket);
      assert.equal(r.status, 204);
      assert.deepEqual((await client.getBucketTags(bucket)).tag, {});
      // Deleting again (nothing to delete) is still 204.
      assert.equal((await client.deleteBucketTags(bucket)).status, 204);
    });

    it('deletes only the keys named in ?tagging=k1,k2', async () => {
      await client.putBucketTags(bucket, { a: '1', b: '2', c: '3' });
      // ali-oss's deleteBucketTags always sends a bare ?tagging: the signed request by hand.
      const r = await client.request({ method: 'DELETE', bucket, subres: { tagging: 'a,c' }, successStatuses: [204] });
      assert.equal(r.status, 204);
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { b: '2' });
      await client.deleteBucketTags(bucket);
    });

    it('refuses tags the server rules forbid, keeping the stored set', async () => {
      await client.putBucketTags(bucket, { keep: 'me' });
      const put = (xml) =>
        client.request({
          method: 'PUT',
          bucket,
          subres: 'tagging',
          content: xml,
          mime: 'xml',
          successStatuses: [200],
        });
      const doc = (pairs) =>
        '<Tagging><TagSet>' +
        pairs.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('') +
        '</TagSet></Tagging>';
      const over = Array.from({ length: 21 }, (_, i) => [`k${i}`, `${i}`]);
      for (const bad of [over, [['k'.repeat(65), 'v']], [['a', 'v'.repeat(129)]], [['Aliyun-x', 'v']], [['', 'v']]]) {
        await h.expectOssError(put(doc(bad)), { status: 400, code: 'InvalidTag' });
      }
      await h.expectOssError(put('<Tagging><Tag/></Tagging>'), { status: 400, code: 'MalformedXML' });
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { keep: 'me' });
      const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(128)]));
      twenty['x'.repeat(64)] = twenty.k19;
      delete twenty.k19;
      await client.putBucketTags(bucket, twenty);
      assert.deepEqual((await client.getBucketTags(bucket)).tag, twenty);
      await client.deleteBucketTags(bucket);
    });
  });
}

describe('listBuckets by tags', () => {
  let client;
  const prefix = h.uniqueBucket('lt');
  const names = [`${prefix}-0`, `${prefix}-1`, `${prefix}-2`, `${prefix}-3`];
  before(async () => {
    client = h.makeClient(server, { v4: true });
    for (const n of names) await client.putBucket(n);
    await client.putBucketTags(names[0], { env: 'test' });
    await client.putBucketTags(names[1], { env: 'test', team: 'dev' });
    await client.putBucketTags(names[2], { env: 'prod' });
  });

  // ali-oss reports an empty listing as `buckets: null`.
  const listed = (r) => (r.buckets || []).map((b) => b.name);

  it('filters with subres.tagging and reports each bucket\'s tags', async () => {
    const r = await client.listBuckets({ prefix, subres: { tagging: '"env":"test","team":"dev"' } });
    assert.deepEqual(listed(r), [names[1]]);
    assert.deepEqual(r.buckets[0].tag, { env: 'test', team: 'dev' });
  });

  it('filters with tag-key and tag-value', async () => {
    assert.deepEqual(listed(await client.listBuckets({ prefix, 'tag-key': 'env' })), names.slice(0, 3));
    const r = await client.listBuckets({ prefix, 'tag-key': 'env', 'tag-value': 'test' });
    assert.deepEqual(listed(r), names.slice(0, 2));
    assert.deepEqual(r.buckets[0].tag, { env: 'test' });
    assert.deepEqual(listed(await client.listBuckets({ prefix, 'tag-key': 'nope' })), []);
  });

  it('pages filtered results with max-keys', async () => {
    const first = await client.listBuckets({ prefix, 'tag-key': 'env', 'max-keys': 2 });
    assert.deepEqual(listed(first), names.slice(0, 2));
    assert.equal(first.isTruncated, true);
    assert.equal(first.nextMarker, names[1]);
    const rest = await client.listBuckets({ prefix, 'tag-key': 'env', 'max-keys': 2, marker: first.nextMarker });
    assert.deepEqual(listed(rest), [names[2]]);
    assert.equal(rest.isTruncated, false);
  });

  it('lists every bucket when not filtering', async () => {
    const r = await client.listBuckets({ prefix });
    assert.deepEqual(listed(r), names);
  });

  it('refuses tag-value without tag-key and tagging with tag-key', async () => {
    await h.expectOssError(client.listBuckets({ prefix, 'tag-value': 'test' }), { status: 400, code: 'InvalidArgument' });
    await h.expectOssError(client.listBuckets({ prefix, 'tag-key': 'env', subres: { tagging: '"env":"test"' } }), {
      status: 400,
      code: 'InvalidArgument',
    });
  });
});
