'use strict';
// A browser-less console client for the end-to-end tests: plain HTTP with a cookie jar, the
// sign-in form (its pre-session CSRF cookie and hidden field) and the session's CSRF token for
// forms (docs/console.md#sign-in-and-sessions, #csrf). Every console page works without
// JavaScript, so this is what a browser with scripts turned off does.

const http = require('node:http');

/** A raw HTTP exchange with `url` (absolute); resolves to { status, headers, body(Buffer), text }. */
function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, body: buf, text: buf.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The text of an HTML attribute or element as the page escaped it, unescaped. */
function unescapeHtml(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The first hidden `_csrf` field of a page. */
function csrfOf(page) {
  const m = page.match(/name="_csrf" value="([^"]*)"/);
  if (!m) throw new Error(`no CSRF field in ${page}`);
  return m[1];
}

/** One browser: a cookie jar on the console of `server` (reached at `server.endpoint`). */
class ConsoleBrowser {
  constructor(server) {
    this.base = server.endpoint;
    this.jar = new Map();
  }

  /** `GET`/`POST` of `path` (below the listener) with the jar's cookies; keeps what it sets. */
  async request(path, { method = 'GET', form, headers = {} } = {}) {
    const all = { ...headers };
    if (this.jar.size > 0) all.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      all['content-type'] = 'application/x-www-form-urlencoded';
      all['content-length'] = Buffer.byteLength(body);
    }
    const r = await send(`${this.base}${path}`, { method, headers: all, body });
    for (const set of r.headers['set-cookie'] || []) {
      const [pair, ...attrs] = set.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      if (attrs.some(a => /^\s*Max-Age=0\s*$/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, pair.slice(i + 1));
    }
    return r;
  }

  /** Signs in with `{ id, secret, token }` through the form; the reply to its POST. */
  async signIn({ id, secret, token }) {
    const page = await this.request('/-/console/sign-in');
    const form = { _csrf: csrfOf(page.text), access_key_id: id, access_key_secret: secret };
    if (token) form.security_token = token;
    return this.request('/-/console/sign-in', { method: 'POST', form });
  }

  /** The session's CSRF token, from a page of the console. */
  async csrf() {
    return csrfOf((await this.request('/-/console/')).text);
  }

  /** GET `download?key=` of `bucket`. */
  download(bucket, key) {
    return this.request(`/-/console/buckets/${bucket}/download?key=${encodeURIComponent(key)}`);
  }

  /** The signed-URL generator's answer (POST `presign`) for a GET of `bucket`/`key`. */
  async presign(bucket, key, { expires = 3600 } = {}) {
    const form = { _csrf: await this.csrf(), method: 'GET', bucket, key, expires: String(expires) };
    return this.request('/-/console/presign', { method: 'POST', form });
  }

  /** The URL the generator shows for `bucket`/`key` (fails when it shows none). */
  async signedUrl(bucket, key, opts) {
    const r = await this.presign(bucket, key, opts);
    const m = r.text.match(/<textarea id="signed-url"[^>]*>([^<]*)<\/textarea>/);
    if (r.status !== 200 || !m) throw new Error(`no signed URL (${r.status}): ${r.text}`);
    return unescapeHtml(m[1].trim());
  }
}

module.exports = { send, unescapeHtml, csrfOf, ConsoleBrowser };
