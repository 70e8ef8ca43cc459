'use strict';
// Shared helpers for the ali-oss end-to-end tests: start/stop an ossd process, build clients,
// checksums, raw HTTP requests and error assertions.

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const AliOSS = require('ali-oss');

const recorded = new Set();

/**
 * Records secrets (AccessKey secrets, STS tokens) the tests hand to an SDK in
 * $OSSD_TEST_LOG_DIR/secrets-node-<pid>.txt, so the suite-wide log scan (tests/logscan/scan.py)
 * can check that no server log contains any of them. A no-op when the variable is unset.
 */
function recordSecrets(...values) {
  const dir = process.env.OSSD_TEST_LOG_DIR;
  if (!dir) return;
  const fresh = values.filter(v => typeof v === 'string' && v.length >= 8 && !recorded.has(v));
  if (fresh.length === 0) return;
  fresh.forEach(v => recorded.add(v));
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `secrets-node-${process.pid}.txt`), fresh.join('\n') + '\n');
}

/** ali-oss's client, recording the secrets it is given (see recordSecrets). */
class OSS extends AliOSS {
  constructor(options, ...rest) {
    recordSecrets(options && options.accessKeySecret, options && options.stsToken);
    super(options, ...rest);
  }
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const OSSD_BIN = process.env.OSSD_BIN || path.join(REPO_ROOT, 'target', 'debug', 'ossd');
const ACCESS_KEY_ID = 'LTAI5tTestRootKey0001';
const ACCESS_KEY_SECRET = 'TestRootSecret0123456789abcdefgh';
const REGION = 'cn-hangzhou';

/** A new file in $OSSD_TEST_LOG_DIR for one server's log, or null when the variable is unset. */
function openLogFile() {
  const dir = process.env.OSSD_TEST_LOG_DIR;
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  return fs.mkdtempSync(path.join(dir, 'node-')) + '.log';
}

/**
 * Spawns `ossd <args>` and waits for its listening line. The log (stderr) is kept for error
 * messages and in $OSSD_TEST_LOG_DIR for the suite-wide scan for leaked secrets; the process is
 * killed if the test process exits first. Resolves to { proc, port, scheme, out(), stderr(),
 * kill() } where kill() is a graceful SIGTERM (SIGKILL after 5 s) that waits for the exit.
 */
async function spawnOssd(args, { env, cwd, scheme = 'http' } = {}) {
  if (!fs.existsSync(OSSD_BIN)) {
    throw new Error(`ossd binary not found at ${OSSD_BIN} (build it with 'cargo build -p ossd' or set OSSD_BIN)`);
  }
  const proc = spawn(OSSD_BIN, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  proc.once('exit', () => process.removeListener('exit', killOnExit));
  let out = '';
  let stderr = '';
  const logSink = openLogFile();
  proc.stderr.on('data', d => {
    if (logSink !== null) fs.appendFileSync(logSink, d);
    stderr += d.toString();
    if (stderr.length > 200000) stderr = stderr.slice(-100000);
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`ossd did not print its address within 20 s\nstdout: ${out}\nstderr: ${stderr}`));
    }, 20000);
    proc.stdout.on('data', d => {
      out += d.toString();
      const m = out.match(/ossd listening on (https?):\/\/[^:\s]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        if (m[1] !== scheme) reject(new Error(`ossd announced ${m[1]}://, expected ${scheme}://`));
        else resolve(Number(m[2]));
      }
    });
    proc.on('exit', code => {
      clearTimeout(timer);
      reject(new Error(`ossd exited early with ${code}\nstdout: ${out}\nstderr: ${stderr}`));
    });
  });
  return {
    proc,
    port,
    scheme,
    out: () => out,
    stderr: () => stderr,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise(r => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/**
 * Start ossd on a free port with a fresh data dir. Resolves to
 * { port, endpoint, dataDir, proc, stop() }.
 */
async function startServer(extraEnv = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossd-node-'));
  const env = {
    ...process.env,
    OSSD_ROOT_ACCESS_KEY_ID: ACCESS_KEY_ID,
    OSSD_ROOT_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
    ...extraEnv,
  };
  delete env.OSSD_ADDR;
  delete env.OSSD_DATA_DIR;
  const args = ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir, '--region', REGION];
  const p = await spawnOssd(args, { env });
  return {
    port: p.port,
    endpoint: `http://127.0.0.1:${p.port}`,
    hostEndpoint: `http://localhost:${p.port}`,
    dataDir,
    proc: p.proc,
    stderr: p.stderr,
    async stop() {
      await p.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An ali-oss client.
 * style: 'vhost' (IP endpoint; ali-oss rewrites Host to <bucket>.oss-cn-hangzhou.aliyuncs.com)
 *        'path'  (http://localhost:PORT with sldEnable: path style /bucket/key)
 */
function makeClient(server, { v4 = false, bucket, style = 'vhost', accessKeyId, accessKeySecret } = {}) {
  const opts = {
    accessKeyId: accessKeyId || ACCESS_KEY_ID,
    accessKeySecret: accessKeySecret || ACCESS_KEY_SECRET,
    region: `oss-${REGION}`,
    authorizationV4: v4,
    timeout: 30000,
  };
  if (bucket) opts.bucket = bucket;
  if (style === 'path') {
    opts.endpoint = server.hostEndpoint;
    opts.sldEnable = true;
  } else {
    opts.endpoint = server.endpoint;
  }
  return new OSS(opts);
}

let bucketCounter = 0;
function uniqueBucket(prefix = 'b') {
  bucketCounter += 1;
  const rnd = crypto.randomBytes(3).toString('hex');
  return `${prefix}-${process.pid}-${bucketCounter}-${rnd}`.toLowerCase().slice(0, 63);
}

function md5Hex(buf) {
  return crypto.createHash('md5').update(buf).digest('hex').toUpperCase();
}
function md5B64(buf) {
  return crypto.createHash('md5').update(buf).digest('base64');
}
function etagOf(buf) {
  return `"${md5Hex(buf)}"`;
}

// CRC-64/XZ (ECMA-182, reflected), as sent in x-oss-hash-crc64ecma.
const CRC_TABLE = (() => {
  const poly = 0xc96c5795d7870f42n;
  const table = new Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) {
      crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    }
    table[i] = crc;
  }
  return table;
})();
function crc64(buf) {
  let crc = 0xffffffffffffffffn;
  for (const b of buf) {
    crc = CRC_TABLE[Number((crc ^ BigInt(b)) & 0xffn)] ^ (crc >> 8n);
  }
  return (crc ^ 0xffffffffffffffffn).toString(10);
}

/** Assert that `promise` rejects with an OSS error of the given status / code. Returns the error. */
async function expectOssError(promise, { status, code }) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected an OSS error ${status} ${code}, but the call succeeded`);
  if (status !== undefined) assert.equal(err.status, status, `status (error: ${err.code} ${err.message})`);
  if (code !== undefined) assert.equal(err.code, code, `code (message: ${err.message})`);
  if (err.status >= 400 && code !== undefined) {
    assert.ok(err.requestId, 'error carries a request id');
  }
  return err;
}

/** Check the headers that every successful object response must carry. */
function assertCommonHeaders(res) {
  const h = res.headers;
  assert.match(h['x-oss-request-id'] || '', /^[0-9A-Za-z-]{8,}$/, 'x-oss-request-id');
  assert.ok(h.date, 'Date header');
}

/** A raw HTTP request to the server; resolves to { status, headers, body(Buffer) }. */
function rawRequest(server, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method, path: p, headers, agent: false },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** V1 header signature for a raw request. resource = "/bucket/key" (decoded) plus sub-resources. */
function signV1({ method, contentMd5 = '', contentType = '', date, ossHeaders = {}, resource, secret = ACCESS_KEY_SECRET }) {
  const canon = Object.keys(ossHeaders)
    .map(k => [k.toLowerCase(), String(ossHeaders[k]).trim()])
    .filter(([k]) => k.startsWith('x-oss-'))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
  const sts = `${method}\n${contentMd5}\n${contentType}\n${date}\n${canon}${resource}`;
  return crypto.createHmac('sha1', secret).update(sts, 'utf8').digest('base64');
}

/**
 * Turns Block Public Access off on `bucket` (PutBucketPublicAccessBlock with
 * BlockPublicAccess=false, V1-signed as the account root): what a client must do before it sets
 * a public ACL or policy on a bucket created since OSS turned it on for new buckets
 * (docs/protocol/buckets.md#new-bucket-defaults). ali-oss 6.x has no call for it, hence the raw
 * request.
 */
async function allowPublicAccess(server, bucket) {
  const body = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>'
  );
  const date = new Date().toUTCString();
  const contentType = 'application/xml';
  const sig = signV1({ method: 'PUT', contentType, date, resource: `/${bucket}/?publicAccessBlock` });
  const r = await rawRequest(server, {
    method: 'PUT',
    path: `/${bucket}/?publicAccessBlock`,
    headers: {
      Date: date,
      'Content-Type': contentType,
      'Content-Length': body.length,
      Authorization: `OSS ${ACCESS_KEY_ID}:${sig}`,
    },
    body,
  });
  assert.equal(r.status, 200, `PutBucketPublicAccessBlock(false) on ${bucket}: ${r.body}`);
}

function xmlValue(xml, tag) {
  const m = String(xml).match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`));
  return m ? m[1] : null;
}

function sleep(ms) {
  return new Promise(r => setTimeout(r, ms));
}

module.exports = {
  recordSecrets,
  spawnOssd,
  OSS,
  REPO_ROOT,
  OSSD_BIN,
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  REGION,
  startServer,
  makeClient,
  uniqueBucket,
  md5Hex,
  md5B64,
  etagOf,
  crc64,
  expectOssError,
  assertCommonHeaders,
  rawRequest,
  allowPublicAccess,
  signV1,
  xmlValue,
  sleep,
};
