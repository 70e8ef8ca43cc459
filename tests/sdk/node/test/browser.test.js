'use strict';
// A real browser (Debian's Chromium, driven by playwright-core) uploads through the committed example
// examples/sts-upload: the page fetches temporary credentials from the example's token vendor, uploads
// with the ali-oss browser build (V4, stsToken, refreshSTSToken, multipart with progress) and then
// with a PostObject form whose V4 policy the example server signed. The page's origin (the example
// server) differs from ossd's, so every request depends on ossd's CORS: with the bucket's CORS rules
// deleted, the same upload fails in the browser (preflight refused).
//
// Needs /usr/bin/chromium (Debian package chromium; scripts/test installs it). Without it the test
// is skipped, unless CI is set: under CI it fails instead.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const OSS = require('ali-oss');
const h = require('./helpers');
const s = require('./sts_helpers');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const EXAMPLE_DIR = path.join(h.REPO_ROOT, 'examples', 'sts-upload');
const NODE_MODULES = path.join(__dirname, '..', 'node_modules');
const BUCKET = 'examplebucket';
const haveChromium = fs.existsSync(CHROMIUM);
const skip = !haveChromium && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium); set CI to make this a failure` : false;

let ossd;
let seed;
let example; // { url, proc, stop() }
let browser; // a persistent context (fresh profile dir)
let profileDir;

function rootOss() {
  return new OSS({
    accessKeyId: h.ACCESS_KEY_ID,
    accessKeySecret: h.ACCESS_KEY_SECRET,
    region: `oss-${h.REGION}`,
    endpoint: ossd.hostEndpoint,
    sldEnable: true,
    bucket: BUCKET,
    timeout: 30000,
  });
}

/** Start examples/sts-upload/server.js on a free port; it resolves its packages from this rig's node_modules. */
function startExample() {
  const env = {
    ...process.env,
    NODE_PATH: NODE_MODULES,
    OSSD_ENDPOINT: ossd.hostEndpoint, // http://localhost:<port>: another origin than the page's
    OSS_ACCESS_KEY_ID: seed.accessKeyId,
    OSS_ACCESS_KEY_SECRET: seed.accessKeySecret,
    OSS_ROLE_ARN: seed.roleArn,
    OSS_BUCKET: BUCKET,
    OSS_REGION: `oss-${h.REGION}`,
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const proc = spawn(process.execPath, [path.join(EXAMPLE_DIR, 'server.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  proc.stderr.on('data', d => {
    output += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example server did not start in 15 s:\n${output}`)), 15000);
    proc.stdout.on('data', d => {
      output += d.toString();
      const m = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          proc,
          output: () => output,
          async stop() {
            process.removeListener('exit', killOnExit);
            if (proc.exitCode === null && proc.signalCode === null) {
              const exited = new Promise(r => proc.once('exit', r));
              proc.kill('SIGTERM');
              await exited;
            }
          },
        });
      }
    });
    proc.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`example server exited with ${code}:\n${output}`));
    });
  });
}

async function launchChromium() {
  const { chromium } = require('playwright-core');
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-chromium-'));
  // a fresh, empty profile (--user-data-dir) per run
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Open the example page, choose `body` as file `name`, click Upload, wait for done/error. */
async function uploadInBrowser(name, body) {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', e => consoleLines.push(`pageerror: ${e.message}`));
  const progress = [];
  const requests = []; // what the page sent to ossd
  page.on('request', req => {
    if (req.url().startsWith(ossd.hostEndpoint)) requests.push({ method: req.method(), url: new URL(req.url()), headers: req.headers() });
  });
  try {
    await page.goto(`${example.url}/`);
    await page.setInputFiles('#file', { name, mimeType: 'application/octet-stream', buffer: body });
    await page.exposeFunction('__progress', v => progress.push(v));
    await page.evaluate(() => {
      const bar = document.getElementById('progress');
      new MutationObserver(() => window.__progress(bar.value)).observe(bar, { attributes: true });
      // the property (not the attribute) is set by app.js: watch it too
      const desc = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, 'value');
      Object.defineProperty(bar, 'value', {
        get() {
          return desc.get.call(this);
        },
        set(v) {
          desc.set.call(this, v);
          window.__progress(v);
        },
      });
    });
    await page.click('#upload');
    await page.waitForFunction(() => /^(done|error)/.test(document.getElementById('status').textContent), null, {
      timeout: 30000,
    });
    const status = await page.textContent('#status');
    const log = await page.textContent('#log');
    return { status, log, console: consoleLines, progress, requests };
  } finally {
    await page.close();
  }
}

describe('browser upload through examples/sts-upload (Chromium + ali-oss browser build)', { skip }, () => {
  before(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} not found, and CI is set: the browser test must run (apt-get install chromium)`);
    ossd = await s.startOssd();
    seed = await s.seedRamSetup(ossd);
    await rootOss().putBucket(BUCKET);
    example = await startExample();
    await rootOss().putBucketCORS(BUCKET, [
      {
        allowedOrigin: example.url,
        allowedMethod: ['PUT', 'GET', 'POST', 'HEAD'],
        allowedHeader: '*',
        exposeHeader: ['ETag', 'x-oss-request-id'],
        maxAgeSeconds: '0',
      },
    ]);
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (example) await example.stop();
    if (ossd) await ossd.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('uploads a file with the SDK (multipart, progress) and with a PostObject form; both stored byte for byte', async () => {
    const body = crypto.randomBytes(1024 * 1024 + 4321); // > 512 KiB: multipart, 256 KiB parts
    const name = `pic-${crypto.randomBytes(4).toString('hex')}.bin`;
    const r = await uploadInBrowser(name, body);
    const diag = `page: ${r.status}\n${r.log}\nconsole:\n${r.console.join('\n')}\nexample server:\n${example.output()}\nossd stderr:\n${ossd
      .stderr()
      .slice(-4000)}`;
    assert.equal(r.status, 'done', diag);
    const nums = r.progress.map(Number);
    assert.equal(nums[nums.length - 1], 1, `progress reached 1: ${nums}`);
    assert.ok(nums.filter(v => v > 0 && v < 1).length >= 2, `progress moved through intermediate values: ${nums}`);
    // the SDK's requests: V4-signed with the session token, multipart parts path-style
    const sdkReqs = r.requests.filter(q => q.url.pathname === `/${BUCKET}/uploads/${name}`);
    const parts = sdkReqs.filter(q => q.method === 'PUT' && q.url.searchParams.has('partNumber'));
    assert.equal(parts.length, 5, `5 parts of 256 KiB: ${sdkReqs.map(q => `${q.method} ${q.url.search}`)}`);
    for (const q of sdkReqs) {
      assert.match(q.headers.authorization || '', /^OSS4-HMAC-SHA256 Credential=STS\./, `${q.method} ${q.url}`);
      assert.ok(q.headers['x-oss-security-token'], `${q.method} ${q.url} carries x-oss-security-token`);
    }
    const posts = r.requests.filter(q => q.method === 'POST' && q.url.pathname === `/${BUCKET}`);
    assert.equal(posts.length, 1, 'one PostObject form request');
    assert.match(posts[0].headers['content-type'], /^multipart\/form-data; boundary=/);
    // ETag is not a CORS-safelisted response header: the page reads it only through ExposeHeader
    assert.ok(r.log.includes(`PostObject post/${name}: HTTP 200, ETag ${h.etagOf(body)}`), r.log);
    const sdkObj = await rootOss().get(`uploads/${name}`);
    assert.equal(sdkObj.content.length, body.length);
    assert.ok(sdkObj.content.equals(body), 'SDK upload stored the bytes unchanged');
    assert.match(sdkObj.res.headers.etag, /-\d+"$/, `multipart ETag: ${sdkObj.res.headers.etag}`);
    const postObj = await rootOss().get(`post/${name}`);
    assert.ok(postObj.content.equals(body), 'PostObject stored the bytes unchanged');
    assert.equal(postObj.res.headers.etag, h.etagOf(body));
  });

  it('without the bucket CORS rules the same upload fails in the browser (preflight refused)', async () => {
    await rootOss().deleteBucketCORS(BUCKET);
    const body = crypto.randomBytes(700 * 1024);
    const name = `nocors-${crypto.randomBytes(4).toString('hex')}.bin`;
    const r = await uploadInBrowser(name, body);
    assert.match(r.status, /^error/, `upload must fail without CORS: ${r.status}\n${r.log}`);
    assert.ok(
      r.console.some(l => /blocked by CORS policy: Response to preflight request doesn't pass access control check/.test(l)),
      `Chromium reports the CORS refusal:\n${r.console.join('\n')}`
    );
    await h.expectOssError(rootOss().get(`uploads/${name}`), { status: 404, code: 'NoSuchKey' });
    await h.expectOssError(rootOss().get(`post/${name}`), { status: 404, code: 'NoSuchKey' });
  });
});
