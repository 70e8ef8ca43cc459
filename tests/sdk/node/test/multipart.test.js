'use strict';
// Multipart upload with ali-oss: the managed multipartUpload of a 50 MiB file with a progress
// callback, cancelled midway and resumed from its checkpoint; the low-level calls (initiate,
// uploadPart, listParts, listUploads, complete, abort); the TV19 ETag and CRC-64
// (docs/protocol/objects.md#checksum-test-vectors); and UploadPartCopy.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./helpers');

let server;
let tmpDir;
before(async () => {
  server = await h.startServer();
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-mp-'));
});
after(async () => {
  if (server) await server.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

function tempFile(name, data) {
  const p = path.join(tmpDir, name);
  fs.writeFileSync(p, data);
  return p;
}

async function getBuffer(client, key, options) {
  const r = await client.get(key, options);
  return r.content;
}

describe('managed multipartUpload (V1)', () => {
  let client;
  let bucket;
  before(async () => {
    bucket = h.uniqueBucket('mp');
    await h.makeClient(server).putBucket(bucket);
    client = h.makeClient(server, { bucket });
  });

  it('uploads 50 MiB with progress, is cancelled midway and resumes from the checkpoint', async () => {
    const data = crypto.randomBytes(50 * MiB);
    const file = tempFile('fifty.bin', data);
    const key = 'big/fifty.bin';
    const partSize = MiB;
    let saved = null;
    let firstCalls = 0;
    const first = client.multipartUpload(key, file, {
      partSize,
      parallel: 4,
      progress: async (p, checkpoint) => {
        firstCalls += 1;
        if (checkpoint && p > 0.3 && !saved) {
          saved = JSON.parse(JSON.stringify(checkpoint));
          client.cancel();
        }
      },
    });
    let err;
    try {
      await first;
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'the first attempt was cancelled');
    assert.equal(err.name, 'cancel');
    assert.ok(saved && saved.uploadId, 'a checkpoint was saved');
    const done = saved.doneParts.length;
    assert.ok(done > 0 && done < 50, `some parts done (${done})`);
    assert.ok(firstCalls > 1);

    const listed = await client.listUploads({ prefix: 'big/' });
    assert.ok(listed.uploads.some(u => u.uploadId === saved.uploadId && u.name === key));
    const parts = await client.listParts(key, saved.uploadId, { 'max-parts': 1000 });
    assert.ok(parts.parts.length >= done, 'every part in the checkpoint is stored');

    let resumedParts = 0;
    let lastProgress = 0;
    const result = await client.multipartUpload(key, file, {
      checkpoint: saved,
      progress: async (p, cp, res) => {
        lastProgress = p;
        if (cp && res && res.headers.etag) resumedParts += 1;
      },
    });
    assert.equal(result.res.status, 200);
    assert.equal(lastProgress, 1);
    assert.equal(resumedParts, 50 - done, 'only the missing parts were uploaded again');
    assert.match(result.etag, /^"[0-9A-F]{32}-50"$/);

    const head = await client.head(key);
    assert.equal(head.res.headers['x-oss-object-type'], 'Multipart');
    assert.equal(head.res.headers['content-length'], String(50 * MiB));
    assert.equal(head.res.headers.etag, result.etag);
    assert.equal(head.res.headers['x-oss-hash-crc64ecma'], h.crc64(data));
    const got = await getBuffer(client, key);
    assert.ok(got.equals(data), 'the assembled object has the file bytes');

    const after = await client.listUploads({ prefix: 'big/' });
    assert.ok(!after.uploads.some(u => u.uploadId === saved.uploadId), 'completed uploads are gone');
  });
});

for (const v4 of [false, true]) {
  describe(`multipart calls (${v4 ? 'V4' : 'V1'})`, () => {
    let client;
    let bucket;
    before(async () => {
      bucket = h.uniqueBucket('mpc');
      await h.makeClient(server, { v4 }).putBucket(bucket);
      client = h.makeClient(server, { v4, bucket });
    });

    it('gives the TV19 multipart ETag and CRC-64, and the object keeps the Initiate metadata', async () => {
      const a = Buffer.alloc(102400, 'a');
      const b = Buffer.alloc(10, 'b');
      const fa = tempFile(`a-${v4}.bin`, a);
      const fb = tempFile(`b-${v4}.bin`, b);
      const key = 'tv19.txt';
      const init = await client.initMultipartUpload(key, { meta: { color: 'blue' }, mime: 'text/plain' });
      assert.match(init.uploadId, /^[0-9A-Z]{32}$/);
      assert.equal(init.name, key);
      const p1 = await client.uploadPart(key, init.uploadId, 1, fa, 0, a.length);
      const p2 = await client.uploadPart(key, init.uploadId, 2, fb, 0, b.length);
      assert.equal(p1.etag, h.etagOf(a));
      assert.equal(p1.res.headers['x-oss-hash-crc64ecma'], '12696911168479852064');
      const done = await client.completeMultipartUpload(key, init.uploadId, [
        { number: 1, etag: p1.etag },
        { number: 2, etag: p2.etag },
      ]);
      assert.equal(done.etag, '"986A36156EB9BEEFEEA12B0E118A4B2E-2"');
      assert.equal(done.res.headers['x-oss-hash-crc64ecma'], '88389505591002533');
      const head = await client.head(key);
      assert.equal(head.meta.color, 'blue');
      assert.equal(head.res.headers['content-type'], 'text/plain');
      assert.equal(head.res.headers['x-oss-object-type'], 'Multipart');
      assert.ok((await getBuffer(client, key)).equals(Buffer.concat([a, b])));
    });

    it('rejects a small non-last part, an unknown part and an unknown upload', async () => {
      const key = 'bad.bin';
      const small = tempFile(`small-${v4}.bin`, Buffer.from('small part'));
      const init = await client.initMultipartUpload(key);
      const p1 = await client.uploadPart(key, init.uploadId, 1, small, 0, 10);
      const p2 = await client.uploadPart(key, init.uploadId, 2, small, 0, 10);
      await h.expectOssError(
        client.completeMultipartUpload(key, init.uploadId, [
          { number: 1, etag: p1.etag },
          { number: 2, etag: p2.etag },
        ]),
        { status: 400, code: 'EntityTooSmall' }
      );
      await h.expectOssError(
        client.completeMultipartUpload(key, init.uploadId, [{ number: 3, etag: p1.etag }]),
        { status: 400, code: 'InvalidPart' }
      );
      await h.expectOssError(client.listParts(key, 'NOSUCHUPLOAD0000000000000000000'), {
        status: 404,
        code: 'NoSuchUpload',
      });
      const listed = await client.listParts(key, init.uploadId);
      assert.equal(listed.parts.length, 2);
      assert.equal(listed.parts[0].PartNumber, '1');
      assert.equal(listed.parts[0].Size, '10');
      assert.equal(listed.parts[0].ETag, p1.etag);
    });

    it('listUploads lists by key and abortMultipartUpload removes an upload', async () => {
      const ids = [];
      for (const key of ['up/one', 'up/two', 'up/dir/three', 'other']) {
        ids.push((await client.initMultipartUpload(key)).uploadId);
      }
      const all = await client.listUploads({ prefix: 'up/' });
      assert.deepEqual(
        all.uploads.map(u => u.name),
        ['up/dir/three', 'up/one', 'up/two']
      );
      const folded = await client.listUploads({ prefix: 'up/', delimiter: '/' });
      assert.deepEqual(folded.uploads.map(u => u.name), ['up/one', 'up/two']);
      const page = await client.listUploads({ prefix: 'up/', 'max-uploads': 2 });
      assert.equal(page.isTruncated, true);
      assert.equal(page.uploads.length, 2);
      const rest = await client.listUploads({
        prefix: 'up/',
        'key-marker': page.nextKeyMarker,
        'upload-id-marker': page.nextUploadIdMarker,
      });
      assert.deepEqual(rest.uploads.map(u => u.name), ['up/two']);

      const abort = await client.abortMultipartUpload('up/one', ids[0]);
      assert.equal(abort.res.status, 204);
      const after = await client.listUploads({ prefix: 'up/' });
      assert.ok(!after.uploads.some(u => u.uploadId === ids[0]));
      await h.expectOssError(client.abortMultipartUpload('up/one', ids[0]), { status: 404, code: 'NoSuchUpload' });
      for (const [i, key] of ['up/two', 'up/dir/three', 'other'].entries()) {
        await client.abortMultipartUpload(key, ids[i + 1]);
      }
    });

    it('uploadPartCopy copies a byte range and returns the ETag header', async () => {
      const src = crypto.randomBytes(300 * 1024);
      await client.put('copy-src.bin', src);
      const key = 'copied.bin';
      const init = await client.initMultipartUpload(key);
      const source = { sourceKey: 'copy-src.bin', sourceBucketName: bucket };
      const c1 = await client.uploadPartCopy(key, init.uploadId, 1, `0-${200 * 1024 - 1}`, source);
      const c2 = await client.uploadPartCopy(key, init.uploadId, 2, `${200 * 1024}-${src.length - 1}`, source);
      assert.equal(c1.etag, h.etagOf(src.subarray(0, 200 * 1024)));
      await client.completeMultipartUpload(key, init.uploadId, [
        { number: 1, etag: c1.etag },
        { number: 2, etag: c2.etag },
      ]);
      assert.ok((await getBuffer(client, key)).equals(src));
    });
  });
}
