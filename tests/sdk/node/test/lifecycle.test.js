'use strict';
// Bucket lifecycle configuration with ali-oss (V1 and V4): putBucketLifecycle with tags, dates,
// AbortMultipartUpload, NoncurrentVersionExpiration and ExpiredObjectDeleteMarker rules (one
// without an id, which the server names), getBucketLifecycle as the SDK parses it, and
// deleteBucketLifecycle followed by 404 NoSuchLifecycle; Transition and
// NoncurrentVersionTransition rules with OSS's constraints, and the overlap check that
// x-oss-allow-same-action-overlap lifts.

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

    it('puts and gets storage class transitions', async () => {
      await client.putBucketLifecycle(bucket, [
        {
          id: 'cold',
          prefix: 'logs/',
          status: 'Enabled',
          transition: { createdBeforeDate: '2020-02-18T00:00:00.000Z', storageClass: 'IA' },
          expiration: { createdBeforeDate: '2020-02-17T00:00:00.000Z' },
          tag: { key: 'test', value: '123' },
        },
        { id: 'nc', prefix: 'v/', status: 'Enabled', noncurrentVersionTransition: { noncurrentDays: '10', storageClass: 'ColdArchive' } },
      ]);
      const { rules } = await client.getBucketLifecycle(bucket);
      assert.deepEqual(rules[0].transition, { createdBeforeDate: '2020-02-18T00:00:00.000Z', storageClass: 'IA' });
      assert.deepEqual(rules[1].noncurrentVersionTransition, { noncurrentDays: '10', storageClass: 'ColdArchive' });
      // Expiration before a transition: refused as OSS refuses it.
      const early = { id: 'x', prefix: '', status: 'Enabled', expiration: { days: 3 }, transition: { days: 30, storageClass: 'IA' } };
      await assert.rejects(client.putBucketLifecycle(bucket, [early]), (e) => e.status === 400 && e.code === 'InvalidArgument');
    });

    it('refuses overlapping rules with the same action unless allowed', async () => {
      // Two rules for one prefix moving noncurrent versions to the same class.
      const rules = ['10', '20'].map((noncurrentDays) => ({
        id: `r${noncurrentDays}`,
        prefix: 'log/',
        status: 'Enabled',
        noncurrentVersionTransition: { noncurrentDays, storageClass: 'IA' },
      }));
      await assert.rejects(
        client.putBucketLifecycle(bucket, rules),
        (e) => e.status === 400 && e.code === 'InvalidArgument' && e.message === 'Overlap for same action type NoncurrentVersionTransition',
      );
      const res = await client.putBucketLifecycle(bucket, rules, { headers: { 'x-oss-allow-same-action-overlap': 'true' } });
      assert.equal(res.res.status, 200);
      assert.equal((await client.getBucketLifecycle(bucket)).rules.length, 2);
    });
  });
}
