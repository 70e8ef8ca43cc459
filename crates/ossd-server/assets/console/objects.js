// ossd console: the object browser's uploads (drag and drop, progress, cancel, multipart for
// large files) and the copy buttons of the signed-URL page. Progressive enhancement: without
// this script the upload form is a plain PostObject form and the URL is selectable text.
// Every request goes to a console route with the session's CSRF token; the console signs it.
(function () {
  'use strict';
  var PART = 8 * 1024 * 1024; // multipart from this size, in parts of this size

  function init() {
    document.querySelectorAll('button[data-copy]').forEach(function (b) {
      if (b.dataset.ready) return;
      b.dataset.ready = '1';
      b.hidden = false;
      b.addEventListener('click', function () {
        var field = document.getElementById(b.dataset.copy);
        if (!field) return;
        var done = function () { b.textContent = 'Copied'; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
        } else {
          field.select();
          try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected */ }
        }
      });
    });
    var form = document.getElementById('upload');
    if (form && !form.dataset.ready) {
      form.dataset.ready = '1';
      enhance(form);
    }
  }

  function enhance(form) {
    var drop = document.getElementById('drop');
    var input = document.getElementById('file');
    var list = document.getElementById('transfers');
    drop.hidden = false;
    input.required = false;
    var start = function (files) {
      Array.prototype.forEach.call(files, function (f) { upload(form, f, list); });
    };
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (input.files.length) start(input.files);
      input.value = '';
    });
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) start(e.dataTransfer.files);
    });
    drop.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); }
    });
  }

  function base(form) {
    return '/-/console/buckets/' + form.dataset.bucket;
  }

  // One request; resolves with the parsed JSON answer, rejects with an Error carrying it.
  function send(t, method, url, body, headers, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      t.xhr = xhr;
      xhr.open(method, url);
      xhr.setRequestHeader('X-CSRF-Token', t.csrf);
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      if (onProgress) xhr.upload.onprogress = function (e) { onProgress(e.loaded); };
      xhr.onload = function () {
        var value = {};
        try { value = JSON.parse(xhr.responseText || '{}'); } catch (e) { value = { Code: String(xhr.status), Message: xhr.responseText }; }
        if (xhr.status >= 200 && xhr.status < 300) resolve(value);
        else { var err = new Error(value.Code || String(xhr.status)); err.reply = value; reject(err); }
      };
      xhr.onerror = function () { reject(new Error('network error')); };
      xhr.onabort = function () { var err = new Error('cancelled'); err.cancelled = true; reject(err); };
      xhr.send(body);
    });
  }

  function formBody(t, fields) {
    var p = new URLSearchParams();
    p.set('_csrf', t.csrf);
    Object.keys(fields).forEach(function (k) { p.set(k, fields[k]); });
    return p;
  }

  function row(list, key) {
    var div = document.createElement('div');
    div.className = 'transfer';
    div.dataset.key = key;
    var name = document.createElement('code');
    name.textContent = key;
    var bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Upload of ' + key);
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'plain cancel';
    cancel.textContent = 'Cancel';
    var status = document.createElement('span');
    status.className = 'status';
    status.setAttribute('role', 'status');
    status.textContent = 'uploading';
    div.append(name, ' ', bar, ' ', cancel, ' ', status);
    list.appendChild(div);
    return { div: div, bar: bar, cancel: cancel, status: status };
  }

  function upload(form, file, list) {
    var key = (form.dataset.prefix || '') + file.name;
    var ui = row(list, key);
    var t = { csrf: form.dataset.csrf, xhr: null, cancelled: false, uploadId: null };
    var type = file.type || 'application/octet-stream';
    var q = function (extra) {
      var p = new URLSearchParams({ key: key });
      Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
      return p.toString();
    };
    var progress = function (done) { ui.bar.value = file.size ? Math.min(1, done / file.size) : 1; };
    ui.cancel.addEventListener('click', function () {
      t.cancelled = true;
      if (t.xhr) t.xhr.abort();
    });
    var work;
    if (file.size < PART) {
      work = send(t, 'PUT', base(form) + '/upload?' + q(), file, { 'Content-Type': type }, progress);
    } else {
      work = send(t, 'POST', base(form) + '/multipart/initiate', formBody(t, { key: key, contentType: type }))
        .then(function (r) {
          t.uploadId = r.uploadId;
          var parts = Math.ceil(file.size / PART);
          var next = function (i) {
            if (t.cancelled) { var err = new Error('cancelled'); err.cancelled = true; return Promise.reject(err); }
            if (i > parts) return Promise.resolve();
            var from = (i - 1) * PART;
            var slice = file.slice(from, Math.min(file.size, from + PART));
            var url = base(form) + '/part?' + q({ uploadId: t.uploadId, partNumber: String(i) });
            return send(t, 'PUT', url, slice, {}, function (n) { progress(from + n); }).then(function () { return next(i + 1); });
          };
          return next(1);
        })
        .then(function () {
          return send(t, 'POST', base(form) + '/multipart/complete', formBody(t, { key: key, uploadId: t.uploadId }));
        });
    }
    work.then(function (r) {
      ui.bar.value = 1;
      ui.cancel.hidden = true;
      ui.status.textContent = 'done ' + (r.etag || '');
      ui.div.classList.add('done');
    }, function (err) {
      ui.cancel.hidden = true;
      if (err.cancelled) {
        ui.status.textContent = 'cancelled';
        ui.div.classList.add('cancelled');
        if (t.uploadId) send(t, 'POST', base(form) + '/multipart/abort', formBody(t, { key: key, uploadId: t.uploadId })).catch(function () {});
        return;
      }
      var r = err.reply || {};
      ui.status.textContent = 'error: ' + (r.Code || err.message) + (r.Message ? ' ' + r.Message : '') + (r.RequestId ? ' (RequestId ' + r.RequestId + ')' : '');
      ui.div.classList.add('failed');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  document.addEventListener('htmx:load', init);
})();
