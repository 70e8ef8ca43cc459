'use strict';
// Bucket lifecycle configuration with ali-oss (V1 and V4): putBucketLifecycle with tags, dates,
// AbortMultipartUpload, NoncurrentVersionExpiration and ExpiredObjectDeleteMarker rules (one
// without an id, which the server names), getBucketLifecycle as the SDK parses it, and
// deleteBucketLifecycle followed by 404 NoSuchLifecycle.

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
  describe(`lifecycle (${v4 ? 'V4' : 'V1'})`, () => {
    let client;
    let bucket;
    before(async () => {
      bucket = h.uniqueBucket('lc');
      await h.makeClient(server, { v4 }).putBucket(bucket);
      client = h.makeClient(server, { v4, bucket });
    });

    it('puts, gets and deletes the rules', async () => {
      await client.putBucketLifecycle(bucket, [
        { id: 'r1', prefix: 'logs/', status: 'Enabled', expiration: { days: 3 }, tag: [{ key: 'a', value: 'b' }] },
        {
          prefix: 'tmp/',
          status: 'Enabled',
          abortMultipartUpload: { createdBeforeDate: '2025-01-01T00:00:00.000Z' },
          noncurrentVersionExpiration: { noncurrentDays: 2 },
        },
        { id: 'm', prefix: '', status: 'Disabled', expiration: { expiredObjectDeleteMarker: 'true' } },
      ]);
      const { rules } = await client.getBucketLifecycle(bucket);
      assert.deepEqual(rules, [
        { id: 'r1', prefix: 'logs/', status: 'Enabled', expiration: { days: '3' }, tag: [{ key: 'a', value: 'b' }] },
        {
          id: 'rule-1',
          prefix: 'tmp/',
          status: 'Enabled',
          abortMultipartUpload: { createdBeforeDate: '2025-01-01T00:00:00.000Z' },
          noncurrentVersionExpiration: { noncurrentDays: '2' },
        },
        { id: 'm', prefix: '', status: 'Disabled', expiration: { expiredObjectDeleteMarker: 'true' } },
      ]);
      await client.deleteBucketLifecycle(bucket);
      await assert.rejects(client.getBucketLifecycle(bucket), (e) => e.status === 404 && e.code === 'NoSuchLifecycle');
    });

    it('rejects storage class transitions', async () => {
      const rule = { id: 'x', prefix: '', status: 'Enabled', transition: { days: 30, storageClass: 'IA' } };
      await assert.rejects(client.putBucketLifecycle(bucket, [rule]), (e) => e.status === 400 && e.code === 'InvalidArgument');
    });
  });
}
