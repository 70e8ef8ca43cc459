'use strict';
// The S3 dialect with the AWS SDK for JavaScript v3 (docs/s3.md): its default checksums
// (CRC32 in a header for buffers, aws-chunked with a CRC32 trailer for streams), multipart with
// lib-storage, presigned URLs, lifecycle rules read back in the form they were put, and objects
// shared with ali-oss.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Readable } = require('node:stream');
const {
  S3Client,
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  CopyObjectCommand,
  PutBucketVersioningCommand,
  ListObjectVersionsCommand,
  GetObjectAttributesCommand,
  PutBucketLifecycleConfigurationCommand,
  GetBucketLifecycleConfigurationCommand,
} = require('@aws-sdk/client-s3');
const { Upload } = require('@aws-sdk/lib-storage');
const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
const h = require('./helpers');

let server;
let s3;
before(async () => {
  server = await h.startServer();
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: h.REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: h.ACCESS_KEY_ID, secretAccessKey: h.ACCESS_KEY_SECRET },
    maxAttempts: 1,
  });
});
after(async () => {
  if (s3) s3.destroy();
  if (server) await server.stop();
});

const md5 = data => crypto.createHash('md5').update(data).digest('hex');

describe('S3 dialect with @aws-sdk/client-s3', () => {
  let bucket;
  before(async () => {
    bucket = h.uniqueBucket('s3js');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('creates, heads and lists buckets', async () => {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const out = await s3.send(new ListBucketsCommand({}));
    assert.ok(out.Buckets.some(b => b.Name === bucket));
  });

  it('puts a buffer with its default CRC32 header and reads it back', async () => {
    const data = crypto.randomBytes(4096);
    const put = await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'buf', Body: data, ContentType: 'application/x-test', Metadata: { a: 'b' },
    }));
    assert.equal(put.ETag, `"${md5(data)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'buf' }));
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), data);
    assert.equal(got.ContentType, 'application/x-test');
    assert.deepEqual(got.Metadata, { a: 'b' });
  });

  it('puts a stream as aws-chunked with a CRC32 trailer', async () => {
    const data = crypto.randomBytes(200 * 1024 + 7);
    const body = Readable.from([data.subarray(0, 70000), data.subarray(70000)]);
    const put = await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'stream', Body: body, ContentLength: data.length,
    }));
    assert.equal(put.ETag, `"${md5(data)}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stream' }));
    assert.equal(head.ContentLength, data.length);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream' }));
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), data);
  });

  it('uploads in parts with lib-storage', async () => {
    const data = crypto.randomBytes(11 * 1024 * 1024);
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: 'multi', Body: data },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    const done = await upload.done();
    assert.match(done.ETag, /-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'multi' }));
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), data);
  });

  it('lists, copies and deletes', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/x', Body: 'x' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dir/y', CopySource: `${bucket}/dir/x` }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/' }));
    assert.deepEqual(listed.Contents.map(o => o.Key), ['dir/x', 'dir/y']);
    const del = await s3.send(new DeleteObjectsCommand({
      Bucket: bucket, Delete: { Objects: [{ Key: 'dir/x' }, { Key: 'dir/y' }] },
    }));
    assert.equal(del.Deleted.length, 2);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/' }));
    assert.equal(after.KeyCount, 0);
  });

  it('keeps versions', async () => {
    const vb = h.uniqueBucket('s3jsv');
    await s3.send(new CreateBucketCommand({ Bucket: vb }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: vb, Key: 'k', Body: 'one' }))).VersionId;
    await s3.send(new PutObjectCommand({ Bucket: vb, Key: 'k', Body: 'two' }));
    const old = await s3.send(new GetObjectCommand({ Bucket: vb, Key: 'k', VersionId: v1 }));
    assert.equal(await old.Body.transformToString(), 'one');
    const del = await s3.send(new DeleteObjectCommand({ Bucket: vb, Key: 'k' }));
    assert.equal(del.DeleteMarker, true);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: vb }));
    assert.equal(versions.Versions.length, 2);
    assert.equal(versions.DeleteMarkers.length, 1);
  });

  it('signs URLs for GET and PUT', async () => {
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'signed' }), { expiresIn: 300 });
    const put = await fetch(putUrl, { method: 'PUT', body: 'via-url' });
    assert.equal(put.status, 200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'signed' }), { expiresIn: 300 });
    const got = await fetch(getUrl);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'via-url');
  });

  it('stores its default CRC32 and returns it with checksum mode', async () => {
    const data = crypto.randomBytes(3000);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'crc', Body: data }));
    assert.ok(put.ChecksumCRC32, 'PutObject echoes the CRC32 it stored');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(require('node:zlib').crc32(data));
    assert.equal(put.ChecksumCRC32, crc.toString('base64'));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'crc', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), data);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'crc' }));
    assert.equal(head.ChecksumCRC32, undefined);
    const attrs = await s3.send(new GetObjectAttributesCommand({
      Bucket: bucket, Key: 'crc', ObjectAttributes: ['Checksum', 'ObjectSize'],
    }));
    assert.equal(attrs.Checksum.ChecksumCRC32, put.ChecksumCRC32);
    assert.equal(attrs.ObjectSize, data.length);
  });

  it('reports S3 errors', async () => {
    await assert.rejects(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })),
      e => e.name === 'NoSuchKey' && e.$metadata.httpStatusCode === 404,
    );
    const bad = new S3Client({
      endpoint: server.endpoint, region: h.REGION, forcePathStyle: true, maxAttempts: 1,
      credentials: { accessKeyId: h.ACCESS_KEY_ID, secretAccessKey: 'wrong' },
    });
    await assert.rejects(
      bad.send(new ListObjectsV2Command({ Bucket: bucket })),
      e => e.name === 'SignatureDoesNotMatch' && e.$metadata.httpStatusCode === 403,
    );
    bad.destroy();
  });

  it('reads lifecycle rules back in the form they were put', async () => {
    const Rules = [
      { ID: 'legacy', Prefix: 'old/', Status: 'Enabled', Expiration: { Days: 2 } },
      {
        ID: 'and',
        Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'a', Value: '1' }], ObjectSizeGreaterThan: 10 } },
        Status: 'Enabled',
        Transitions: [{ Days: 5, StorageClass: 'GLACIER_IR' }],
        NoncurrentVersionTransitions: [{ NoncurrentDays: 3, StorageClass: 'STANDARD_IA', NewerNoncurrentVersions: 1 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 2 },
      },
      { ID: 'tag', Filter: { Tag: { Key: 'k', Value: 'v' } }, Status: 'Disabled', Expiration: { Days: 3 } },
      {
        ID: 'uploads',
        Filter: { Prefix: 'tmp/' },
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules } }));
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    assert.deepEqual(got.Rules, Rules);
  });

  it('shares objects with ali-oss', async () => {
    const oss = h.makeClient(server, { v4: true, style: 'path', bucket });
    await oss.put('from-oss', Buffer.from('oss-bytes'), { meta: { who: 'oss' } });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-oss' }));
    assert.equal(await got.Body.transformToString(), 'oss-bytes');
    assert.deepEqual(got.Metadata, { who: 'oss' });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-s3', Body: 's3-bytes' }));
    const back = await oss.get('from-s3');
    assert.equal(back.content.toString(), 's3-bytes');
  });
});
