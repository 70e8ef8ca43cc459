'use strict';
// Object operations with ali-oss: every case runs with V1 and V4 signing, and with
// virtual-hosted (IP endpoint, Host rewritten by ali-oss) and path-style (localhost + sldEnable)
// addressing.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('./helpers');

let server;
before(async () => {
  server = await h.startServer();
});
after(async () => {
  if (server) await server.stop();
});

const MATRIX = [
  { v4: false, style: 'vhost' },
  { v4: true, style: 'vhost' },
  { v4: false, style: 'path' },
  { v4: true, style: 'path' },
];

for (const { v4, style } of MATRIX) {
  const mode = `${v4 ? 'V4' : 'V1'}, ${style}`;
  describe(`objects (${mode})`, () => {
    let client;
    let bucket;
    let bucket2;

    before(async () => {
      bucket = h.uniqueBucket('obj');
      bucket2 = h.uniqueBucket('obj2');
      const admin = h.makeClient(server, { v4 });
      await admin.putBucket(bucket);
      await admin.putBucket(bucket2);
      // Tests below set public object ACLs: allowed once Block Public Access, on for every new
      // bucket, is turned off (docs/protocol/buckets.md#new-bucket-defaults).
      await h.allowPublicAccess(server, bucket);
      client = h.makeClient(server, { v4, style, bucket });
    });

    it('PutObject returns ETag, CRC64 and Content-MD5; GetObject returns the bytes and headers', async () => {
      const body = Buffer.from('hello world');
      const put = await client.put('hello.txt', body);
      assert.equal(put.res.status, 200);
      h.assertCommonHeaders(put.res);
      assert.equal(put.res.headers.etag, '"5EB63BBBE01EEED093CB22BB8F5ACDC3"');
      assert.equal(put.res.headers['x-oss-hash-crc64ecma'], '5981764153023615706');
      assert.equal(put.res.headers['content-md5'], 'XrY7u+Ae7tCTyyK7j1rNww==');

      const got = await client.get('hello.txt');
      assert.equal(got.res.status, 200);
      assert.deepEqual(got.content, body);
      const gh = got.res.headers;
      assert.equal(gh.etag, '"5EB63BBBE01EEED093CB22BB8F5ACDC3"');
      assert.equal(gh['x-oss-hash-crc64ecma'], '5981764153023615706');
      assert.equal(gh['content-length'], '11');
      assert.equal(gh['content-type'], 'text/plain');
      assert.equal(gh['x-oss-object-type'], 'Normal');
      assert.equal(gh['x-oss-storage-class'], 'Standard');
      assert.equal(gh['accept-ranges'], 'bytes');
      assert.ok(!Number.isNaN(Date.parse(gh['last-modified'])), 'Last-Modified parses');
      h.assertCommonHeaders(got.res);
    });

    it('PutObject of random binary data (1 MiB) round-trips bit-exact', async () => {
      const body = crypto.randomBytes(1024 * 1024 + 17);
      const put = await client.put('bin/random.bin', body);
      assert.equal(put.res.headers.etag, h.etagOf(body));
      assert.equal(put.res.headers['x-oss-hash-crc64ecma'], h.crc64(body));
      const got = await client.get('bin/random.bin');
      assert.ok(got.content.equals(body), 'bytes equal');
      assert.equal(got.res.headers['content-type'], 'application/octet-stream');
    });

    it('putStream without a length (chunked transfer encoding)', async () => {
      const { Readable } = require('node:stream');
      const parts = [crypto.randomBytes(70000), crypto.randomBytes(1), crypto.randomBytes(200000)];
      const body = Buffer.concat(parts);
      const r = await client.putStream('stream/chunked.bin', Readable.from(parts));
      assert.equal(r.res.status, 200);
      assert.equal(r.res.headers.etag, h.etagOf(body));
      assert.equal(r.res.headers['x-oss-hash-crc64ecma'], h.crc64(body));
      const got = await client.get('stream/chunked.bin');
      assert.ok(got.content.equals(body));
      assert.equal(got.res.headers['content-length'], String(body.length));
    });

    it('PutObject of an empty object', async () => {
      const put = await client.put('empty', Buffer.alloc(0));
      assert.equal(put.res.headers.etag, '"D41D8CD98F00B204E9800998ECF8427E"');
      assert.equal(put.res.headers['x-oss-hash-crc64ecma'], '0');
      const got = await client.get('empty');
      assert.equal(got.content.length, 0);
      assert.equal(got.res.headers['content-length'], '0');
    });

    it('PutObject stores and returns user metadata and standard headers', async () => {
      const body = Buffer.from('<h1>meta</h1>');
      await client.put('meta.html', body, {
        meta: { author: 'alice', year: 2024, MixedCase: 'Keep This Value' },
        headers: {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Disposition': 'attachment; filename="m.html"',
          'Content-Encoding': 'identity',
          'Content-Language': 'en-US',
          'Cache-Control': 'max-age=60',
          Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
        },
      });
      const got = await client.get('meta.html');
      const gh = got.res.headers;
      assert.deepEqual(got.content, body);
      assert.equal(gh['x-oss-meta-author'], 'alice');
      assert.equal(gh['x-oss-meta-year'], '2024');
      assert.equal(gh['x-oss-meta-mixedcase'], 'Keep This Value');
      assert.equal(gh['content-type'], 'text/html; charset=utf-8');
      assert.equal(gh['content-disposition'], 'attachment; filename="m.html"');
      assert.equal(gh['content-encoding'], 'identity');
      assert.equal(gh['content-language'], 'en-US');
      assert.equal(gh['cache-control'], 'max-age=60');
      assert.equal(gh.expires, 'Wed, 21 Oct 2037 07:28:00 GMT');

      const head = await client.head('meta.html');
      assert.equal(head.status, 200);
      assert.deepEqual(head.meta, { author: 'alice', year: '2024', mixedcase: 'Keep This Value' });
      assert.equal(head.res.headers['content-length'], String(body.length));
      assert.equal(head.res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(head.res.headers.etag, h.etagOf(body));
      assert.equal(head.res.headers['x-oss-hash-crc64ecma'], h.crc64(body));
      assert.equal(head.res.headers['cache-control'], 'max-age=60');
    });

    it('PutObject with a wrong Content-MD5 fails with InvalidDigest and stores nothing', async () => {
      const body = Buffer.from('digest me');
      await h.expectOssError(
        client.put('bad-md5.txt', body, { headers: { 'Content-MD5': h.md5B64(Buffer.from('something else')) } }),
        { status: 400, code: 'InvalidDigest' }
      );
      await h.expectOssError(client.get('bad-md5.txt'), { status: 404, code: 'NoSuchKey' });
      const ok = await client.put('good-md5.txt', body, { headers: { 'Content-MD5': h.md5B64(body) } });
      assert.equal(ok.res.headers.etag, h.etagOf(body));
    });

    it('x-oss-forbid-overwrite: true gives 409 FileAlreadyExists and keeps the old data', async () => {
      await client.put('nooverwrite.txt', Buffer.from('first'));
      await h.expectOssError(
        client.put('nooverwrite.txt', Buffer.from('second'), { headers: { 'x-oss-forbid-overwrite': 'true' } }),
        { status: 409, code: 'FileAlreadyExists' }
      );
      assert.equal((await client.get('nooverwrite.txt')).content.toString(), 'first');
      // false allows overwrite; true on a new key is fine
      await client.put('nooverwrite.txt', Buffer.from('third'), { headers: { 'x-oss-forbid-overwrite': 'false' } });
      assert.equal((await client.get('nooverwrite.txt')).content.toString(), 'third');
      await client.put('fresh-key.txt', Buffer.from('new'), { headers: { 'x-oss-forbid-overwrite': 'true' } });
      assert.equal((await client.get('fresh-key.txt')).content.toString(), 'new');
    });

    it('x-oss-object-acl, x-oss-storage-class and x-oss-tagging headers on PutObject', async () => {
      await client.put('opts.txt', Buffer.from('opts'), {
        headers: {
          'x-oss-object-acl': 'public-read',
          'x-oss-storage-class': 'IA',
          'x-oss-tagging': 'k1=v1&k2=v%202',
        },
      });
      const acl = await client.getACL('opts.txt');
      assert.equal(acl.acl, 'public-read');
      const head = await client.head('opts.txt');
      assert.equal(head.res.headers['x-oss-storage-class'], 'IA');
      assert.equal(head.res.headers['x-oss-tagging-count'], '2');
      const tags = await client.getObjectTagging('opts.txt');
      assert.deepEqual(tags.tag, { k1: 'v1', k2: 'v 2' });
      // anonymous read works because the object is public-read while the bucket is private
      const anon = await fetch(`${server.endpoint}/${bucket}/opts.txt`);
      assert.equal(anon.status, 200);
      assert.equal(await anon.text(), 'opts');
    });

    it('GetObject with Range: bytes=a-b, a-, -n', async () => {
      const body = Buffer.from('0123456789abcdefghij');
      await client.put('range.txt', body);
      let r = await client.get('range.txt', { headers: { Range: 'bytes=2-5' } });
      assert.equal(r.res.status, 206);
      assert.equal(r.content.toString(), '2345');
      assert.equal(r.res.headers['content-range'], 'bytes 2-5/20');
      assert.equal(r.res.headers['content-length'], '4');
      assert.equal(r.res.headers['x-oss-hash-crc64ecma'], undefined, 'no whole-object CRC on 206');
      h.assertCommonHeaders(r.res);
      r = await client.get('range.txt', { headers: { Range: 'bytes=15-' } });
      assert.equal(r.res.status, 206);
      assert.equal(r.content.toString(), 'fghij');
      assert.equal(r.res.headers['content-range'], 'bytes 15-19/20');
      r = await client.get('range.txt', { headers: { Range: 'bytes=-3' } });
      assert.equal(r.res.status, 206);
      assert.equal(r.content.toString(), 'hij');
      assert.equal(r.res.headers['content-range'], 'bytes 17-19/20');
    });

    it('GetObject with an unsatisfiable Range: legacy 200 whole object, standard 416 InvalidRange', async () => {
      const body = Buffer.from('short');
      await client.put('badrange.txt', body);
      const legacy = await client.get('badrange.txt', { headers: { Range: 'bytes=100-200' } });
      assert.equal(legacy.res.status, 200);
      assert.deepEqual(legacy.content, body);
      assert.equal(legacy.res.headers['content-range'], undefined);
      const garbage = await client.get('badrange.txt', { headers: { Range: 'bytes=abc' } });
      assert.equal(garbage.res.status, 200);
      assert.deepEqual(garbage.content, body);
      await h.expectOssError(
        client.get('badrange.txt', { headers: { Range: 'bytes=100-200', 'x-oss-range-behavior': 'standard' } }),
        { status: 416, code: 'InvalidRange' }
      );
      // standard behaviour clamps an end past EOF
      const clamped = await client.get('badrange.txt', {
        headers: { Range: 'bytes=2-100', 'x-oss-range-behavior': 'standard' },
      });
      assert.equal(clamped.res.status, 206);
      assert.equal(clamped.content.toString(), 'ort');
      assert.equal(clamped.res.headers['content-range'], 'bytes 2-4/5');
    });

    it('conditional GET/HEAD: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since', async () => {
      const body = Buffer.from('conditional');
      const put = await client.put('cond.txt', body);
      const etag = put.res.headers.etag;
      const past = new Date(Date.now() - 3600 * 1000).toUTCString();
      const future = new Date(Date.now() + 3600 * 1000).toUTCString();

      let r = await client.get('cond.txt', { headers: { 'If-Match': etag } });
      assert.equal(r.res.status, 200);
      assert.deepEqual(r.content, body);
      // unquoted, lowercase ETag also matches
      r = await client.get('cond.txt', { headers: { 'If-Match': etag.replace(/"/g, '').toLowerCase() } });
      assert.equal(r.res.status, 200);
      const e = await h.expectOssError(client.get('cond.txt', { headers: { 'If-Match': '"00000000000000000000000000000000"' } }), {
        status: 412,
        code: 'PreconditionFailed',
      });
      assert.ok(e);

      r = await client.get('cond.txt', { headers: { 'If-None-Match': etag } });
      assert.equal(r.res.status, 304);
      h.assertCommonHeaders(r.res);
      assert.equal(r.content.length, 0);
      r = await client.get('cond.txt', { headers: { 'If-None-Match': '"00000000000000000000000000000000"' } });
      assert.equal(r.res.status, 200);

      r = await client.get('cond.txt', { headers: { 'If-Modified-Since': future } });
      assert.equal(r.res.status, 304);
      r = await client.get('cond.txt', { headers: { 'If-Modified-Since': past } });
      assert.equal(r.res.status, 200);
      assert.deepEqual(r.content, body);

      r = await client.get('cond.txt', { headers: { 'If-Unmodified-Since': future } });
      assert.equal(r.res.status, 200);
      await h.expectOssError(client.get('cond.txt', { headers: { 'If-Unmodified-Since': past } }), {
        status: 412,
        code: 'PreconditionFailed',
      });

      const head304 = await client.head('cond.txt', { headers: { 'If-None-Match': etag } });
      assert.equal(head304.status, 304);
      await h.expectOssError(client.head('cond.txt', { headers: { 'If-Match': '"0000"' } }), {
        status: 412,
        code: 'PreconditionFailed',
      });
    });

    it('GetObject response-content-* overrides', async () => {
      await client.put('override.txt', Buffer.from('override'), { headers: { 'Content-Type': 'text/plain' } });
      const r = await client.get('override.txt', {
        subres: {
          'response-content-type': 'application/x-custom',
          'response-content-disposition': 'attachment; filename="dl.txt"',
          'response-cache-control': 'no-store',
          'response-content-language': 'de',
          'response-content-encoding': 'identity',
          'response-expires': 'Thu, 01 Jan 2037 00:00:00 GMT',
        },
      });
      const gh = r.res.headers;
      assert.equal(r.content.toString(), 'override');
      assert.equal(gh['content-type'], 'application/x-custom');
      assert.equal(gh['content-disposition'], 'attachment; filename="dl.txt"');
      assert.equal(gh['cache-control'], 'no-store');
      assert.equal(gh['content-language'], 'de');
      assert.equal(gh['content-encoding'], 'identity');
      assert.equal(gh.expires, 'Thu, 01 Jan 2037 00:00:00 GMT');
    });

    it('HeadObject and GetObjectMeta', async () => {
      const body = Buffer.from('head me please');
      await client.put('head.txt', body, { meta: { a: 'b' } });
      const head = await client.head('head.txt');
      assert.equal(head.status, 200);
      assert.equal(head.res.headers['content-length'], String(body.length));
      assert.equal(head.res.headers.etag, h.etagOf(body));
      assert.equal(head.res.headers['x-oss-object-type'], 'Normal');
      assert.deepEqual(head.meta, { a: 'b' });

      const meta = await client.getObjectMeta('head.txt');
      assert.equal(meta.status, 200);
      assert.equal(meta.res.headers.etag, h.etagOf(body));
      assert.equal(meta.res.headers['content-length'], String(body.length));
      assert.ok(!Number.isNaN(Date.parse(meta.res.headers['last-modified'])));
      assert.equal(meta.res.headers['x-oss-meta-a'], undefined, 'GetObjectMeta has no user metadata');

      await h.expectOssError(client.head('no-such-head.txt'), { status: 404, code: 'NoSuchKey' });
      await h.expectOssError(client.getObjectMeta('no-such-head.txt'), { status: 404, code: 'NoSuchKey' });
    });

    it('DeleteObject returns 204, also for a missing key', async () => {
      await client.put('todelete.txt', Buffer.from('bye'));
      const r = await client.delete('todelete.txt');
      assert.equal(r.res.status, 204);
      h.assertCommonHeaders(r.res);
      await h.expectOssError(client.get('todelete.txt'), { status: 404, code: 'NoSuchKey' });
      const again = await client.delete('todelete.txt');
      assert.equal(again.res.status, 204);
    });

    it('DeleteMultipleObjects, verbose and quiet', async () => {
      const keys = ['dm/a.txt', 'dm/b c.txt', 'dm/d&e<f>.txt', 'dm/ü.txt'];
      for (const k of keys) await client.put(k, Buffer.from(k));
      const r = await client.deleteMulti([...keys.slice(0, 3), 'dm/missing.txt']);
      assert.equal(r.res.status, 200);
      assert.deepEqual(r.deleted.map(d => d.Key).sort(), ['dm/a.txt', 'dm/b c.txt', 'dm/d&e<f>.txt', 'dm/missing.txt'].sort());
      const q = await client.deleteMulti([keys[3]], { quiet: true });
      assert.equal(q.res.status, 200);
      assert.deepEqual(q.deleted, []);
      const left = await client.list({ prefix: 'dm/' });
      assert.equal(left.objects.length, 0);
    });

    it('CopyObject in the same bucket keeps metadata (COPY) and replaces it (REPLACE)', async () => {
      const body = Buffer.from('copy source body');
      await client.put('copy/src.txt', body, { meta: { origin: 'src' }, headers: { 'Content-Type': 'text/x-src' } });
      const c1 = await client.copy('copy/dst1.txt', 'copy/src.txt');
      assert.equal(c1.res.status, 200);
      assert.equal(c1.data.etag, h.etagOf(body));
      assert.match(c1.data.lastModified, /^\d{4}-\d\d-\d\dT/);
      let got = await client.get('copy/dst1.txt');
      assert.deepEqual(got.content, body);
      assert.equal(got.res.headers['x-oss-meta-origin'], 'src');
      assert.equal(got.res.headers['content-type'], 'text/x-src');

      const c2 = await client.copy('copy/dst2.txt', 'copy/src.txt', {
        meta: { origin: 'replaced', extra: '1' },
        headers: { 'Content-Type': 'text/x-dst' },
      });
      assert.equal(c2.data.etag, h.etagOf(body));
      got = await client.get('copy/dst2.txt');
      assert.deepEqual(got.content, body);
      assert.equal(got.res.headers['x-oss-meta-origin'], 'replaced');
      assert.equal(got.res.headers['x-oss-meta-extra'], '1');
      assert.equal(got.res.headers['content-type'], 'text/x-dst');

      // copy onto itself with new metadata ("update meta")
      await client.copy('copy/src.txt', 'copy/src.txt', { meta: { origin: 'self' } });
      const head = await client.head('copy/src.txt');
      assert.deepEqual(head.meta, { origin: 'self' });
      assert.equal(head.res.headers.etag, h.etagOf(body));
    });

    it('CopyObject across buckets, with a key that needs encoding', async () => {
      const body = crypto.randomBytes(5000);
      await client.put('copy/src x+y.bin', body);
      const r = await client.copy('copied/dst x+y.bin', 'copy/src x+y.bin', bucket, {});
      assert.equal(r.res.status, 200);
      const other = h.makeClient(server, { v4, style, bucket: bucket2 });
      const r2 = await other.copy('from-other.bin', 'copy/src x+y.bin', bucket);
      assert.equal(r2.data.etag, h.etagOf(body));
      const got = await other.get('from-other.bin');
      assert.ok(got.content.equals(body));
      await h.expectOssError(other.copy('x.bin', 'no/such/source.bin', bucket), { status: 404, code: 'NoSuchKey' });
    });

    it('CopyObject copy conditions (x-oss-copy-source-if-*)', async () => {
      const put = await client.put('copy/cond.txt', Buffer.from('cond'));
      const etag = put.res.headers.etag;
      const r = await client.copy('copy/cond-ok.txt', 'copy/cond.txt', { headers: { 'If-Match': etag } });
      assert.equal(r.res.status, 200);
      await h.expectOssError(
        client.copy('copy/cond-bad.txt', 'copy/cond.txt', { headers: { 'If-Match': '"00000000000000000000000000000000"' } }),
        { status: 412, code: 'PreconditionFailed' }
      );
      await h.expectOssError(
        client.copy('copy/cond-bad.txt', 'copy/cond.txt', {
          headers: { 'If-Unmodified-Since': new Date(Date.now() - 3600e3).toUTCString() },
        }),
        { status: 412, code: 'PreconditionFailed' }
      );
      await h.expectOssError(client.get('copy/cond-bad.txt'), { status: 404, code: 'NoSuchKey' });
    });

    it('AppendObject: positions, next-append-position, CRC, errors', async () => {
      const a1 = await client.append('append.log', Buffer.from('abc'));
      assert.equal(a1.res.status, 200);
      assert.equal(a1.nextAppendPosition, '3');
      assert.equal(a1.res.headers['x-oss-hash-crc64ecma'], '3231342946509354535');
      const a2 = await client.append('append.log', Buffer.from('def'), { position: a1.nextAppendPosition });
      assert.equal(a2.nextAppendPosition, '6');
      assert.equal(a2.res.headers['x-oss-hash-crc64ecma'], '15028124401329963252');
      const e = await h.expectOssError(client.append('append.log', Buffer.from('zzz'), { position: 1 }), {
        status: 409,
        code: 'PositionNotEqualToLength',
      });
      assert.ok(e);
      const got = await client.get('append.log');
      assert.equal(got.content.toString(), 'abcdef');
      assert.equal(got.res.headers['x-oss-object-type'], 'Appendable');
      assert.equal(got.res.headers['x-oss-next-append-position'], '6');
      assert.equal(got.res.headers['x-oss-hash-crc64ecma'], '15028124401329963252');

      await client.put('normal-object.txt', Buffer.from('n'));
      await h.expectOssError(client.append('normal-object.txt', Buffer.from('x'), { position: 1 }), {
        status: 409,
        code: 'ObjectNotAppendable',
      });
    });

    it('AppendObject with a wrong position returns x-oss-next-append-position', async () => {
      await client.append('append2.log', Buffer.from('12345'));
      const r = await h.rawRequest(server, {
        method: 'POST',
        path: `/${bucket}/append2.log?append&position=2`,
        headers: (() => {
          const date = new Date().toUTCString();
          const sig = h.signV1({ method: 'POST', date, resource: `/${bucket}/append2.log?append&position=2` });
          return { Date: date, Authorization: `OSS ${h.ACCESS_KEY_ID}:${sig}`, 'Content-Length': 1 };
        })(),
        body: 'x',
      });
      assert.equal(r.status, 409);
      assert.equal(h.xmlValue(r.body, 'Code'), 'PositionNotEqualToLength');
      assert.equal(r.headers['x-oss-next-append-position'], '5');
    });

    it('Put/GetObjectAcl and anonymous access per ACL', async () => {
      await client.put('acl.txt', Buffer.from('acl body'));
      let acl = await client.getACL('acl.txt');
      assert.equal(acl.acl, 'default');
      assert.ok(acl.owner.id);
      const url = `${server.endpoint}/${bucket}/acl.txt`;
      let anon = await fetch(url);
      assert.equal(anon.status, 403);
      assert.equal(h.xmlValue(await anon.text(), 'Code'), 'AccessDenied');

      await client.putACL('acl.txt', 'public-read');
      acl = await client.getACL('acl.txt');
      assert.equal(acl.acl, 'public-read');
      anon = await fetch(url);
      assert.equal(anon.status, 200);
      assert.equal(await anon.text(), 'acl body');
      // anonymous write is still denied
      const anonPut = await fetch(url, { method: 'PUT', body: 'hacked' });
      assert.equal(anonPut.status, 403);
      assert.equal(h.xmlValue(await anonPut.text(), 'Code'), 'AccessDenied');

      await client.putACL('acl.txt', 'public-read-write');
      // the effective ACL is the object's (docs/protocol/buckets.md#acls-and-anonymous-access); public-read-write allows anonymous writes
      const anonPut2 = await fetch(url, { method: 'PUT', body: 'anon write' });
      assert.equal(anonPut2.status, 200);
      assert.equal((await client.get('acl.txt')).content.toString(), 'anon write');

      await client.putACL('acl.txt', 'private');
      acl = await client.getACL('acl.txt');
      assert.equal(acl.acl, 'private');
      anon = await fetch(url);
      assert.equal(anon.status, 403);
    });

    it('PutSymlink / GetSymlink and GET through a symlink', async () => {
      const body = Buffer.from('symlink target body');
      await client.put('sym/target dir/t.txt', body, { meta: { who: 'target' } });
      const ps = await client.putSymlink('sym/link', 'sym/target dir/t.txt', { meta: { who: 'link' } });
      assert.equal(ps.res.status, 200);
      const gs = await client.getSymlink('sym/link');
      assert.equal(gs.targetName, 'sym/target dir/t.txt');
      assert.equal(gs.res.headers['x-oss-meta-who'], 'link');

      const got = await client.get('sym/link');
      assert.deepEqual(got.content, body);
      assert.equal(got.res.headers['x-oss-object-type'], 'Symlink');
      const head = await client.head('sym/link');
      assert.equal(head.res.headers['content-length'], String(body.length));
      // HEAD through a link: the target's ETag, the link's own type and meta
      // (docs/protocol/objects.md#symlinks; ali-oss's "Should put and get Symlink").
      const target = await client.head('sym/target dir/t.txt');
      assert.equal(head.res.headers.etag, target.res.headers.etag);
      assert.equal(head.res.headers['x-oss-object-type'], 'Symlink');
      assert.deepEqual(head.meta, { who: 'link' });
      assert.equal(got.res.headers.etag, target.res.headers.etag);
      assert.equal(got.res.headers['x-oss-meta-who'], 'link');

      await h.expectOssError(client.getSymlink('sym/target dir/t.txt'), { status: 404, code: 'NoSuchKey' });
      await client.putSymlink('sym/dangling', 'sym/nothing-here');
      await h.expectOssError(client.get('sym/dangling'), { status: 404, code: 'SymlinkTargetNotExist' });
    });

    it('Put/Get/DeleteObjectTagging', async () => {
      await client.put('tagged.txt', Buffer.from('t'));
      let t = await client.getObjectTagging('tagged.txt');
      assert.deepEqual(t.tag, {});
      const p = await client.putObjectTagging('tagged.txt', { project: 'ossd', 'env name': 'test 1' });
      assert.equal(p.status, 200);
      t = await client.getObjectTagging('tagged.txt');
      assert.deepEqual(t.tag, { project: 'ossd', 'env name': 'test 1' });
      const head = await client.head('tagged.txt');
      assert.equal(head.res.headers['x-oss-tagging-count'], '2');
      const d = await client.deleteObjectTagging('tagged.txt');
      assert.equal(d.status, 204);
      t = await client.getObjectTagging('tagged.txt');
      assert.deepEqual(t.tag, {});
      await h.expectOssError(client.getObjectTagging('no-such-tagged.txt'), { status: 404, code: 'NoSuchKey' });
    });

    it('V4 additional signed headers (ali-oss additionalHeaders) and XML-special keys in listings', async () => {
      const body = Buffer.from('additional headers');
      await client.put('xml&<special>"\'.txt', body);
      const r = await client.get('xml&<special>"\'.txt', {
        headers: { Range: 'bytes=0-9' },
        additionalHeaders: ['range'],
      });
      assert.equal(r.res.status, 206);
      assert.equal(r.content.toString(), 'additional');
      const listed = await client.list({ prefix: 'xml&' });
      assert.deepEqual(listed.objects.map(o => o.name), ['xml&<special>"\'.txt']);
      const listed2 = await client.listV2({ prefix: 'xml&' });
      assert.deepEqual(listed2.objects.map(o => o.name), ['xml&<special>"\'.txt']);
    });

    it('symlink semantics: deleting the link keeps the target; copying an appendable object gives a Normal one', async () => {
      await client.put('sem/target', Buffer.from('T'));
      await client.putSymlink('sem/link', 'sem/target');
      const r = await client.delete('sem/link');
      assert.equal(r.res.status, 204);
      assert.equal((await client.get('sem/target')).content.toString(), 'T');
      await h.expectOssError(client.get('sem/link'), { status: 404, code: 'NoSuchKey' });

      await client.append('sem/app', Buffer.from('abc'));
      await client.copy('sem/app-copy', 'sem/app');
      const got = await client.get('sem/app-copy');
      assert.equal(got.content.toString(), 'abc');
      assert.equal(got.res.headers['x-oss-object-type'], 'Normal');
      assert.equal(got.res.headers['x-oss-next-append-position'], undefined);
      // overwriting an appendable object with PutObject makes it Normal
      await client.put('sem/app', Buffer.from('xyz'));
      await h.expectOssError(client.append('sem/app', Buffer.from('1'), { position: 3 }), {
        status: 409,
        code: 'ObjectNotAppendable',
      });
    });

    it('keys with spaces, plus, percent, unicode and slashes', async () => {
      const keys = ['sp ace/a b.txt', 'plus+sign/c+d.txt', 'pct%20literal/%41.txt', '中文/目录/文件.txt', 'deep/a/b/c/d/e.txt', 'q?mark=1&x.txt', 'tilde~star*.txt'];
      for (const k of keys) {
        const body = Buffer.from(`body of ${k}`);
        await client.put(k, body);
        const got = await client.get(k);
        assert.deepEqual(got.content, body, k);
        const head = await client.head(k);
        assert.equal(head.res.headers.etag, h.etagOf(body), k);
      }
      const listed = await client.list({ 'max-keys': 1000 });
      const names = listed.objects.map(o => o.name);
      for (const k of keys) assert.ok(names.includes(k), `listed ${k}`);
      for (const k of keys) {
        const r = await client.delete(k);
        assert.equal(r.res.status, 204);
      }
    });

    it('error codes: unknown key, unknown bucket, oversized key', async () => {
      await h.expectOssError(client.get('no/such/key.txt'), { status: 404, code: 'NoSuchKey' });
      const nb = h.makeClient(server, { v4, style, bucket: h.uniqueBucket('missing') });
      await h.expectOssError(nb.get('k.txt'), { status: 404, code: 'NoSuchBucket' });
      await h.expectOssError(nb.head('k.txt'), { status: 404 });

      const longOk = 'k'.repeat(1023);
      const r = await client.put(longOk, Buffer.from('max'));
      assert.equal(r.res.status, 200);
      assert.equal((await client.get(longOk)).content.toString(), 'max');
      await h.expectOssError(client.put('k'.repeat(1024), Buffer.from('too long')), {
        status: 400,
        code: 'InvalidObjectName',
      });
    });

    it('wrong secret gives SignatureDoesNotMatch on object calls', async () => {
      const bad = h.makeClient(server, { v4, style, bucket, accessKeySecret: 'WrongSecret0123456789abcdefghijk' });
      const e = await h.expectOssError(bad.get('hello.txt'), { status: 403, code: 'SignatureDoesNotMatch' });
      assert.ok(e.requestId);
      await h.expectOssError(bad.put('sig.txt', Buffer.from('x')), { status: 403, code: 'SignatureDoesNotMatch' });
      await h.expectOssError(client.get('sig.txt'), { status: 404, code: 'NoSuchKey' });
    });
  });
}
