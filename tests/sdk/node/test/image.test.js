'use strict';
// Image processing on download (spec 19) through ali-oss presigned URLs, V1 (signatureUrl with
// { process }) and V4 (signatureUrlV4 with the x-oss-process query), fetched with Node's fetch.
// Source images are PNGs encoded here with zlib; results are checked from their headers.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const h = require('./helpers');

let server;
let bucket;
let client;
let v4;
before(async () => {
  server = await h.startServer();
  bucket = h.uniqueBucket('image');
  await h.makeClient(server).putBucket(bucket);
  client = h.makeClient(server, { bucket, style: 'path' });
  v4 = h.makeClient(server, { bucket, style: 'path', v4: true });
  await client.put('src.png', encodePng(640, 480), { headers: { 'Content-Type': 'image/png' } });
});
after(async () => {
  if (server) await server.stop();
});

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A width×height RGB PNG with a gradient. */
function encodePng(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) {
      raw[row + 1 + x * 3] = (x * 255) / width;
      raw[row + 2 + x * 3] = (y * 255) / height;
      raw[row + 3 + x * 3] = 128;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** [width, height] from a PNG or baseline/progressive JPEG header. */
function imageSize(buf) {
  if (buf.readUInt32BE(0) === 0x89504e47) return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'not a JPEG');
  let i = 2;
  while (i + 9 < buf.length) {
    const marker = buf.readUInt16BE(i);
    if (marker >= 0xffc0 && marker <= 0xffcf && ![0xffc4, 0xffc8, 0xffcc].includes(marker)) {
      return [buf.readUInt16BE(i + 7), buf.readUInt16BE(i + 5)];
    }
    i += 2 + buf.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker');
}

async function fetchImage(url) {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, body.toString());
  assert.equal(res.headers.get('x-oss-hash-crc64ecma'), null);
  assert.equal(Number(res.headers.get('content-length')), body.length);
  return { res, body };
}

describe('image processing', () => {
  it('V1 signatureUrl with process resizes a PNG to 200 px wide', async () => {
    const url = client.signatureUrl('src.png', { expires: 60, process: 'image/resize,w_200' });
    assert.match(url, /x-oss-process=image%2Fresize%2Cw_200/);
    const { res, body } = await fetchImage(url);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual(imageSize(body), [200, 150]);
  });

  it('V1 signatureUrl converts to JPEG keeping the aspect ratio', async () => {
    const url = client.signatureUrl('src.png', { expires: 60, process: 'image/resize,w_200/format,jpg' });
    const { res, body } = await fetchImage(url);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(imageSize(body), [200, 150]);
  });

  it('V4 signatureUrlV4 with x-oss-process resizes', async () => {
    const url = await v4.signatureUrlV4('GET', 60, { queries: { 'x-oss-process': 'image/resize,w_200' } }, 'src.png');
    const { body } = await fetchImage(url);
    assert.deepEqual(imageSize(body), [200, 150]);
  });

  it('image/info via signatureUrl returns JSON', async () => {
    const url = client.signatureUrl('src.png', { expires: 60, process: 'image/info' });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const info = await res.json();
    assert.equal(info.ImageWidth.value, '640');
    assert.equal(info.ImageHeight.value, '480');
    assert.equal(info.Format.value, 'png');
  });

  it('client.get with process and a bad parameter', async () => {
    const r = await client.get('src.png', { process: 'image/resize,w_100,h_100,m_fill' });
    assert.deepEqual(imageSize(r.content), [100, 100]);
    await h.expectOssError(client.get('src.png', { process: 'image/resize,w_0' }), { status: 400, code: 'InvalidArgument' });
  });
});
