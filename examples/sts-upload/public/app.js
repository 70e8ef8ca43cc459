/* global axios, OSS */
'use strict';
// 1. GET /sts (the token vendor), 2. upload the chosen file with the ali-oss browser SDK
//    (V4 signatures, stsToken + refreshSTSToken; multipart with progress for large files),
// 3. upload it again with an HTML-form PostObject whose policy /post-policy signed.

const MULTIPART_THRESHOLD = 512 * 1024; // bytes; larger files go through multipartUpload
const PART_SIZE = 256 * 1024;

const $ = id => document.getElementById(id);
function log(msg) {
  $('log').textContent += `${msg}\n`;
}
function setStatus(s) {
  $('status').textContent = s;
}

async function fetchToken() {
  // axios resolves to a response object: the vendor's JSON is in .data
  const r = await axios.get('/sts');
  return r.data;
}

async function makeClient(cfg) {
  const token = await fetchToken();
  return new OSS({
    region: cfg.region,
    endpoint: cfg.endpoint,
    sldEnable: true, // path-style requests: http://host:port/bucket/key
    accessKeyId: token.AccessKeyId,
    accessKeySecret: token.AccessKeySecret,
    stsToken: token.SecurityToken,
    authorizationV4: true,
    bucket: cfg.bucket,
    refreshSTSToken: async () => {
      const refreshToken = await axios.get('/sts');
      return {
        accessKeyId: refreshToken.data.AccessKeyId,
        accessKeySecret: refreshToken.data.AccessKeySecret,
        stsToken: refreshToken.data.SecurityToken,
      };
    },
  });
}

async function sdkUpload(client, key, file) {
  if (file.size > MULTIPART_THRESHOLD) {
    const r = await client.multipartUpload(key, file, {
      partSize: PART_SIZE,
      progress: p => {
        $('progress').value = p;
      },
    });
    return r;
  }
  const r = await client.put(key, file);
  $('progress').value = 1;
  return r;
}

/** Reads `key` back through the SDK and checks it equals `file`, byte for byte. */
async function verifyReadBack(client, key, file) {
  const back = await client.get(key);
  const got = new Uint8Array(back.content);
  const want = new Uint8Array(await file.arrayBuffer());
  if (got.length !== want.length || got.some((b, i) => b !== want[i])) {
    throw new Error(`read-back of ${key} differs from the file`);
  }
  return got.length;
}

async function postUpload(key, file) {
  const p = (await axios.get('/post-policy', { params: { key } })).data;
  const form = new FormData();
  for (const [k, v] of Object.entries(p.fields)) form.append(k, v);
  form.append('file', file, file.name); // the file must be the last field
  const res = await fetch(p.url, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`PostObject: HTTP ${res.status} ${await res.text()}`);
  return res;
}

async function upload() {
  const file = $('file').files[0];
  if (!file) {
    setStatus('choose a file first');
    return;
  }
  setStatus('uploading');
  $('progress').value = 0;
  try {
    const cfg = (await axios.get('/config')).data;
    const client = await makeClient(cfg);
    const sdkKey = `uploads/${file.name}`;
    const r = await sdkUpload(client, sdkKey, file);
    log(`SDK upload ${sdkKey}: HTTP ${r.res.status}`);
    const n = await verifyReadBack(client, sdkKey, file);
    log(`read back ${sdkKey}: ${n} bytes, identical`);
    const postKey = `post/${file.name}`;
    const pr = await postUpload(postKey, file);
    log(`PostObject ${postKey}: HTTP ${pr.status}, ETag ${pr.headers.get('ETag')}`);
    setStatus('done');
  } catch (err) {
    log(`error: ${err && (err.code || err.name)}: ${err && err.message}`);
    setStatus(`error: ${err && (err.code || err.name)}: ${err && err.message}`);
  }
}

$('upload').addEventListener('click', () => {
  upload();
});
