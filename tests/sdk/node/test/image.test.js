'use strict';
// Image processing on download (docs/protocol/image-processing.md) through ali-oss presigned URLs, V1 (signatureUrl with
// { process }) and V4 (signatureUrlV4 with the x-oss-process query), fetched with Node's fetch;
// save-as with processObjectSave; a text watermark. Source images are PNGs encoded here with
// zlib; results are checked from their headers (and BMP pixels, parsed here).

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

/** A 24- or 32-bit uncompressed BMP: width, height and px(x, y) as [r, g, b]. */
function readBmp(buf) {
  assert.equal(buf.toString('ascii', 0, 2), 'BM');
  const offset = buf.readUInt32LE(10);
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  assert.ok(bpp === 24 || bpp === 32, `bpp ${bpp}`);
  const height = Math.abs(rawHeight);
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const px = (x, y) => {
    const row = rawHeight < 0 ? y : height - 1 - y;
    const i = offset + row * stride + x * (bpp / 8);
    return [buf[i + 2], buf[i + 1], buf[i]];
  };
  return { width, height, px };
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

  it('processObjectSave stores the processed image as a new object', async () => {
    // ali-oss encodes the target with the standard Base64 alphabet; this key's has a '/'.
    const target = 'saved/thumb?.jpg';
    assert.match(Buffer.from(target).toString('base64'), /[+/]/);
    const r = await client.processObjectSave('src.png', target, 'image/resize,w_160/format,jpg');
    assert.equal(r.status, 200);
    const saved = await client.get(target);
    assert.equal(saved.res.headers['content-type'], 'image/jpeg');
    assert.deepEqual(imageSize(saved.content), [160, 120]);
    const head = await client.head(target);
    assert.equal(Number(head.res.headers['content-length']), saved.content.length);
    // The source is untouched.
    assert.deepEqual(imageSize((await client.get('src.png')).content), [640, 480]);
  });

  it('processObjectSave into another bucket, and its errors', async () => {
    const other = h.uniqueBucket('image-dst');
    await h.makeClient(server).putBucket(other);
    await client.processObjectSave('src.png', 'copy.png', 'image/resize,p_25', other);
    const otherClient = h.makeClient(server, { bucket: other, style: 'path' });
    const copy = await otherClient.get('copy.png');
    assert.deepEqual(imageSize(copy.content), [160, 120]);
    // processObjectSave resolves whatever the status; the OSS error document is in the body.
    const failed = async (call) => {
      const r = await call;
      return [r.status, h.xmlValue(r.res.data.toString(), 'Code')];
    };
    assert.deepEqual(await failed(client.processObjectSave('src.png', 'x.png', 'image/resize,w_0')), [
      400,
      'InvalidArgument',
    ]);
    assert.deepEqual(await failed(client.processObjectSave('none.png', 'x.png', 'image/resize,w_10')), [
      404,
      'NoSuchKey',
    ]);
    await h.expectOssError(client.get('x.png'), { status: 404, code: 'NoSuchKey' });
  });

  it('a text watermark keeps the size and draws in its colour', async () => {
    const text = Buffer.from('ossd 水印').toString('base64url');
    const process = `image/watermark,text_${text},color_FF0000,size_30,g_nw,x_0,y_0/format,bmp`;
    const url = client.signatureUrl('src.png', { expires: 60, process });
    const { res, body } = await fetchImage(url);
    assert.equal(res.headers.get('content-type'), 'image/bmp');
    const bmp = readBmp(body);
    assert.deepEqual([bmp.width, bmp.height], [640, 480]);
    const red = (x, y) => {
      const [r, g, b] = bmp.px(x, y);
      return r > 215 && g < 40 && b < 40;
    };
    let inside = 0;
    for (let y = 0; y < 50; y += 1) for (let x = 0; x < 200; x += 1) if (red(x, y)) inside += 1;
    assert.ok(inside > 100, `red pixels in the text's box: ${inside}`);
    // Away from the text the gradient is as without the watermark.
    const plain = readBmp((await fetchImage(client.signatureUrl('src.png', { expires: 60, process: 'image/format,bmp' }))).body);
    for (const [x, y] of [[300, 10], [10, 200], [639, 479], [400, 300]]) assert.deepEqual(bmp.px(x, y), plain.px(x, y));
  });

  it('client.get with process and a bad parameter', async () => {
    const r = await client.get('src.png', { process: 'image/resize,w_100,h_100,m_fill' });
    assert.deepEqual(imageSize(r.content), [100, 100]);
    await h.expectOssError(client.get('src.png', { process: 'image/resize,w_0' }), { status: 400, code: 'InvalidArgument' });
  });
});
