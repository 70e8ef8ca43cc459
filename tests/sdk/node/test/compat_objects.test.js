'use strict';
// Object-operation differences found by ali-oss's own suite (issue 12): keys with XML-special and
// control characters round-trip through listings and DeleteMultipleObjects, and a mismatched
// append position is OSS's 409 with its exact message.

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
  describe(`object compatibility (${v4 ? 'V4' : 'V1'})`, () => {
    let client;

    before(async () => {
      const bucket = h.uniqueBucket('compat');
      await h.makeClient(server, { v4 }).putBucket(bucket);
      client = h.makeClient(server, { v4, bucket });
    });

    it('lists and deletes keys holding XML characters, spaces, TAB and LF', async () => {
      const names = ['a<b&c>d +', '是 空格 yeah +-/\\&*#(1) ', 'tab\there\nline'];
      const keys = names.map(n => `xml/${n}`);
      for (const key of keys) {
        assert.equal((await client.put(key, Buffer.from('x'))).res.status, 200);
        assert.equal((await client.head(key)).res.status, 200);
      }
      // ali-oss sends no encoding-type: the keys come back in the XML itself.
      const listed = await client.list({ prefix: 'xml/' });
      assert.deepEqual(listed.objects.map(o => o.name).sort(), [...keys].sort());
      const v2 = await client.listV2({ prefix: 'xml/' });
      assert.deepEqual(v2.objects.map(o => o.name).sort(), [...keys].sort());
      const del = await client.deleteMulti(keys);
      assert.deepEqual(del.deleted.map(d => d.Key), keys);
      assert.deepEqual((await client.list({ prefix: 'xml/' })).objects || [], []);
    });

    it('round-trips control characters with encoding-type=url and raw in a Delete body', async () => {
      // The key of ali-oss's "should encode variant object keys". XML 1.0 cannot carry U+0001,
      // U+000C or U+0007: a plain listing writes them as character references (as OSS does),
      // which sax >= 1.6 refuses, so the listing asks for encoding-type=url.
      const key = 'ctl/\x01\x0a\x0c\x07\x50\x63';
      assert.equal((await client.put(key, Buffer.from('x'))).res.status, 200);
      assert.equal((await client.head(key)).res.status, 200);
      const listed = await client.list({ prefix: 'ctl/', 'encoding-type': 'url' });
      assert.deepEqual(listed.objects.map(o => decodeURIComponent(o.name)), [key]);
      // deleteMulti puts the characters raw in the <Delete> body; quiet mode has no keys to parse.
      const del = await client.deleteMulti([key], { quiet: true });
      assert.equal(del.res.status, 200);
      assert.deepEqual((await client.list({ prefix: 'ctl/' })).objects || [], []);
    });

    it('answers a wrong append position with OSS code, message and EC', async () => {
      const name = 'append-mismatch';
      const first = await client.append(name, Buffer.from('foo'));
      assert.equal(first.nextAppendPosition, '3');
      const err = await h.expectOssError(client.append(name, Buffer.from('foo')), {
        status: 409,
        code: 'PositionNotEqualToLength',
      });
      assert.equal(err.message, 'Position is not equal to file length');
      assert.equal(err.name, 'PositionNotEqualToLengthError');
      assert.equal(err.ecCode, '0026-00000016');
    });
  });
}
