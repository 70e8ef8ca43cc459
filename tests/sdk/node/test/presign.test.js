'use strict';
// Presigned URLs from ali-oss (signatureUrl = V1, signatureUrlV4 = V4), used with Node's fetch.
// signatureUrl refuses IP endpoints, so these clients use http://localhost:PORT with
// sldEnable: true, which gives path-style URLs (http://localhost:PORT/<bucket>/<key>); cname is
// not needed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('./helpers');

let server;
let bucket;
let client; // path style, hostname endpoint
before(async () => {
  server = await h.startServer();
  bucket = h.uniqueBucket('presign');
  await h.makeClient(server).putBucket(bucket);
  client = h.makeClient(server, { bucket, style: 'path' });
});
after(async () => {
  if (server) await server.stop();
});

async function fetchCode(res) {
  const text = await res.text();
  return { code: h.xmlValue(text, 'Code'), text };
}

describe('presigned URLs', () => {
  it('ali-oss without sldEnable/cname makes virtual-hosted URLs; with sldEnable they are path style', () => {
    const vh = h.makeClient(server, { bucket, style: 'path' });
    vh.options.sldEnable = false;
    const u1 = new URL(vh.signatureUrl('k.txt'));
    assert.equal(u1.hostname, `${bucket}.localhost`);
    const u2 = new URL(client.signatureUrl('dir/k 1.txt'));
    assert.equal(u2.hostname, 'localhost');
    assert.equal(u2.pathname, `/${bucket}/dir/k%201.txt`);
    assert.equal(client.options.cname, false);
    assert.throws(() => h.makeClient(server, { bucket }).signatureUrl('k'), /endpoint is IP/);
  });

  it('V1 signatureUrl GET returns the object', async () => {
    const body = crypto.randomBytes(3000);
    await client.put('dir/get me.bin', body);
    const url = client.signatureUrl('dir/get me.bin', { expires: 60 });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(body));
    assert.equal(res.headers.get('etag'), h.etagOf(body));
    assert.ok(res.headers.get('x-oss-request-id'));
  });

  it('V1 signatureUrl GET with response-content-disposition override', async () => {
    await client.put('disp.txt', Buffer.from('disp'));
    const url = client.signatureUrl('disp.txt', {
      expires: 60,
      response: { 'content-disposition': 'attachment; filename="x.txt"', 'content-type': 'application/x-test' },
    });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="x.txt"');
    assert.equal(res.headers.get('content-type'), 'application/x-test');
    assert.equal(await res.text(), 'disp');
  });

  it('V1 signatureUrl PUT with Content-Type uploads the object', async () => {
    const url = client.signatureUrl('uploaded via url.txt', { method: 'PUT', expires: 60, 'Content-Type': 'text/plain' });
    const res = await fetch(url, { method: 'PUT', body: 'put through a url', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('etag'), h.etagOf(Buffer.from('put through a url')));
    const got = await client.get('uploaded via url.txt');
    assert.equal(got.content.toString(), 'put through a url');
    assert.equal(got.res.headers['content-type'], 'text/plain');

    // the same URL with a different Content-Type no longer matches
    const bad = await fetch(url, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'image/png' } });
    assert.equal(bad.status, 403);
    assert.equal((await fetchCode(bad)).code, 'SignatureDoesNotMatch');
  });

  it('V1 expired URL is refused with 403 AccessDenied', async () => {
    await client.put('expiring.txt', Buffer.from('soon gone'));
    const url = client.signatureUrl('expiring.txt', { expires: 1 });
    // ali-oss rounds "now" (Math.round) before adding expires, so Expires can be up to 1.5 s away
    await h.sleep(3100);
    const res = await fetch(url);
    assert.equal(res.status, 403);
    const { code, text } = await fetchCode(res);
    assert.equal(code, 'AccessDenied');
    assert.match(text, /expired/i);
  });

  it('V1 tampered URLs are refused with 403 SignatureDoesNotMatch', async () => {
    await client.put('tamper.txt', Buffer.from('tamper'));
    await client.put('other.txt', Buffer.from('other'));
    const url = new URL(client.signatureUrl('tamper.txt', { expires: 60 }));
    // changed signature
    const sig = url.searchParams.get('Signature');
    const badSig = new URL(url);
    badSig.searchParams.set('Signature', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    let res = await fetch(badSig);
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'SignatureDoesNotMatch');
    // another key with the same signature
    const otherKey = new URL(url);
    otherKey.pathname = `/${bucket}/other.txt`;
    res = await fetch(otherKey);
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'SignatureDoesNotMatch');
    // extended expiry
    const longer = new URL(url);
    longer.searchParams.set('Expires', String(Number(url.searchParams.get('Expires')) + 1000));
    res = await fetch(longer);
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'SignatureDoesNotMatch');
    // a GET URL used for PUT
    res = await fetch(url, { method: 'PUT', body: 'x' });
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'SignatureDoesNotMatch');
    // missing Signature
    const incomplete = new URL(url);
    incomplete.searchParams.delete('Signature');
    res = await fetch(incomplete);
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'AccessDenied');
    // the original still works
    res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'tamper');
  });

  it('V4 signatureUrlV4 GET and PUT', async () => {
    const v4 = h.makeClient(server, { bucket, style: 'path', v4: true });
    const body = crypto.randomBytes(2048);
    await v4.put('v4/get.bin', body);
    const getUrl = await v4.signatureUrlV4('GET', 60, {}, 'v4/get.bin');
    assert.match(getUrl, /x-oss-signature-version=OSS4-HMAC-SHA256/);
    let res = await fetch(getUrl);
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(body));

    const putUrl = await v4.signatureUrlV4('PUT', 60, { headers: { 'Content-Type': 'application/json' } }, 'v4/put.json');
    res = await fetch(putUrl, { method: 'PUT', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200, await res.clone().text());
    const got = await v4.get('v4/put.json');
    assert.equal(got.content.toString(), '{"a":1}');
    assert.equal(got.res.headers['content-type'], 'application/json');
  });

  it('V4 signatureUrlV4 with additional header host', async () => {
    const v4 = h.makeClient(server, { bucket, style: 'path', v4: true });
    await v4.put('v4/host.txt', Buffer.from('host signed'));
    const url = await v4.signatureUrlV4('GET', 60, { headers: { host: `localhost:${server.port}` } }, 'v4/host.txt', ['host']);
    assert.match(url, /x-oss-additional-headers=host/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'host signed');
  });

  it('V4 expired and tampered URLs are refused', async () => {
    const v4 = h.makeClient(server, { bucket, style: 'path', v4: true });
    await v4.put('v4/tamper.txt', Buffer.from('v4 tamper'));
    const url = new URL(await v4.signatureUrlV4('GET', 60, {}, 'v4/tamper.txt'));
    const bad = new URL(url);
    const sig = url.searchParams.get('x-oss-signature');
    bad.searchParams.set('x-oss-signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    let res = await fetch(bad);
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'SignatureDoesNotMatch');
    const longer = new URL(url);
    longer.searchParams.set('x-oss-expires', '3600');
    res = await fetch(longer);
    assert.equal(res.status, 403);
    assert.equal((await fetchCode(res)).code, 'SignatureDoesNotMatch');
    res = await fetch(url);
    assert.equal(res.status, 200);

    const short = await v4.signatureUrlV4('GET', 1, {}, 'v4/tamper.txt');
    await h.sleep(2100);
    res = await fetch(short);
    assert.equal(res.status, 403);
    const { code, text } = await fetchCode(res);
    assert.equal(code, 'AccessDenied');
    assert.match(text, /expired/i);

    const tooLong = new URL(await v4.signatureUrlV4('GET', 604801, {}, 'v4/tamper.txt'));
    res = await fetch(tooLong);
    assert.equal(res.status, 400);
    assert.equal((await fetchCode(res)).code, 'InvalidArgument');
  });
});
