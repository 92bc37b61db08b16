/* Lampung In — the report form on weak networks (progressive enhancement of /lapor/).
 *
 * Without this script the form posts as plain HTML. With it:
 * - photos are shrunk in the browser (longest side 1600 px, JPEG 0.8) before they are sent;
 * - with no network, the filled report (photos as Blobs) waits in IndexedDB under one
 *   idempotency key, made once when the form is first filled, and is listed as
 *   "Menunggu dikirim";
 * - waiting reports go to POST /api/v1/reports when the browser comes back online and on
 *   every page load, with that key in the Idempotency-Key header: a retried or interrupted
 *   send files the report exactly once. A report leaves the list only after a 201, or after
 *   a final refusal (4xx), which is shown.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var box = document.getElementById("outbox");
  if (!form || !box || !window.indexedDB || !window.fetch || !window.Promise) return;

  var MAX_SIDE = 1600;
  var QUALITY = 0.8;
  var DB_NAME = "lampungin";
  var STORE = "outbox";
  var text = box.dataset; // translated strings and URLs, rendered by the template
  var list = box.querySelector("ul");
  var status = document.getElementById("outbox-status");
  var keyInput = form.querySelector("input[name=idempotency_key]");
  var photoInput = form.querySelector("input[type=file][name=photos]");
  // Refusals that a retry cannot change; anything else (401, 403, 408, 429, 5xx) is retried.
  var FINAL = [400, 404, 409, 410, 413, 415, 422];

  // ---- the idempotency key: one per filled-in report ----------------------------------
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  // A form sent back with errors keeps the key it was posted with; a fresh (or cached) form
  // gets a new key the first time it is filled in, so two reports never share one.
  var keyed = form.hasAttribute("data-bound");
  function ensureKey() {
    if (!keyed) {
      keyInput.value = uuid();
      keyed = true;
    }
    return keyInput.value;
  }
  form.addEventListener("input", ensureKey);
  form.addEventListener("change", ensureKey);

  // ---- IndexedDB ------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function store(mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function allItems() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }
  function putItem(item) { return store("readwrite", function (s) { s.put(item); }); }
  function deleteItem(key) { return store("readwrite", function (s) { s.delete(key); }); }

  // ---- photos: shrink in the browser ---------------------------------------------------
  function loadImage(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () { return createImageBitmap(file); });
    }
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var url = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("image")); };
      img.src = url;
    });
  }
  function downscale(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return loadImage(file).then(function (img) {
      var w = img.width, h = img.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      // A small JPEG is sent as it is: re-encoding would only lose quality.
      if (scale === 1 && file.type === "image/jpeg" && file.size <= 600 * 1024) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; // transparent PNG areas become white, not black
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      if (img.close) img.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (blob.size >= file.size && scale === 1)) return resolve(file);
          var name = (file.name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; }); // the server validates and re-encodes anyway
  }
  function shrinkPhotos() {
    var files = photoInput ? Array.prototype.slice.call(photoInput.files || []) : [];
    return Promise.all(files.map(downscale));
  }

  // ---- reading the form ----------------------------------------------------------------
  function value(name) {
    var field = form.elements[name];
    if (!field) return "";
    if (field.length !== undefined && field.tagName !== "SELECT") {
      var checked = Array.prototype.filter.call(field, function (f) { return f.checked; })[0];
      return checked ? checked.value : "";
    }
    return (field.value || "").trim();
  }
  function collect(photos) {
    return {
      key: ensureKey(),
      savedAt: new Date().toISOString(),
      fields: {
        report_type: value("report_type"),
        category: value("category"),
        title: value("title"),
        description: value("description"),
        privacy: value("privacy"),
        region: value("district") || value("regency"),
        lat: value("lat"),
        lng: value("lng"),
        address: value("address")
      },
      label: value("title") || value("description").slice(0, 80),
      photos: photos.map(function (f) { return { name: f.name, type: f.type, blob: f }; }),
      error: ""
    };
  }
  // The few checks that need no server, so that a report is not stored only to be refused.
  function problems(item) {
    var f = item.fields, out = [];
    if (!f.category) out.push(text.needCategory);
    if (f.description.length < 15) out.push(text.needDescription);
    if (!f.region && !(f.lat && f.lng)) out.push(text.needLocation);
    if (item.photos.length > 5) out.push(text.tooManyPhotos);
    return out;
  }

  // ---- the list "Menunggu dikirim" -----------------------------------------------------
  function say(message) { status.textContent = message; }
  function render() {
    return allItems().then(function (items) {
      list.textContent = "";
      box.hidden = items.length === 0 && !box.querySelector(".sent li");
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = item.error ? "outbox-item has-error" : "outbox-item";
        var title = document.createElement("b");
        title.textContent = item.label;
        var when = document.createElement("small");
        when.className = "muted";
        var saved = new Date(item.savedAt);
        when.textContent = text.savedAt + " " + saved.toLocaleString(document.documentElement.lang || "id", {
          timeZone: "Asia/Jakarta", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
        }) + " WIB · " + item.photos.length + " " + text.photos;
        li.appendChild(title);
        li.appendChild(when);
        if (item.error) {
          var err = document.createElement("p");
          err.className = "error";
          err.textContent = text.refused + " " + item.error;
          li.appendChild(err);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn";
        remove.textContent = text.remove;
        remove.addEventListener("click", function () {
          if (item.error || window.confirm(text.confirmRemove)) deleteItem(item.key).then(render);
        });
        li.appendChild(remove);
        list.appendChild(li);
      });
      return items;
    });
  }
  function showSent(tracking) {
    var sent = box.querySelector(".sent");
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = text.mineUrl.replace("TRACKING", tracking);
    a.textContent = tracking;
    li.appendChild(document.createTextNode(text.sent + " "));
    li.appendChild(a);
    sent.appendChild(li);
    sent.hidden = false;
  }

  // ---- sending -------------------------------------------------------------------------
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (form.elements.csrfmiddlewaretoken || {}).value || "";
  }
  function send(item) {
    var body = new FormData();
    Object.keys(item.fields).forEach(function (name) {
      if (item.fields[name] !== "") body.append(name, item.fields[name]);
    });
    if (!(item.fields.lat && item.fields.lng)) { body.delete("lat"); body.delete("lng"); }
    body.append("client_time", item.savedAt);
    item.photos.forEach(function (p) { body.append("photos", p.blob, p.name); });
    return fetch(text.api, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Idempotency-Key": item.key, "Accept": "application/json" }
    });
  }
  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    if (navigator.onLine === false) return render();
    flushing = allItems().then(function (items) {
      var pending = items.filter(function (item) { return !item.error; });
      if (pending.length) say(text.sending);
      // One after the other: on a weak link, parallel uploads all fail together.
      return pending.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          return send(item).then(function (response) {
            if (response.status === 201) {
              return response.json().then(function (data) {
                return deleteItem(item.key).then(function () { showSent(data.tracking); say(text.sentAll); });
              });
            }
            return response.json().catch(function () { return {}; }).then(function (data) {
              var detail = (data && data.detail) || (text.httpError + " " + response.status);
              if (FINAL.indexOf(response.status) >= 0) {
                item.error = detail;
                return putItem(item).then(function () { say(text.refused + " " + detail); });
              }
              say(response.status === 401 || response.status === 403 ? text.signIn : detail);
              return true; // not final: try again later, keep the order
            });
          }, function () {
            say(text.willRetry);
            return true; // no network after all: stop and wait for "online"
          });
        });
      }, Promise.resolve(false));
    }).catch(function () { say(text.willRetry); })
      .then(render)
      .then(function (items) { flushing = null; return items; });
    return flushing;
  }

  // ---- the submit ----------------------------------------------------------------------
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting) return; // our own resubmission below
    event.preventDefault();
    ensureKey();
    shrinkPhotos().then(function (photos) {
      if (navigator.onLine !== false) {
        // Online: the normal post, with the shrunk photos in place of the originals.
        if (photoInput && photos.length && window.DataTransfer) {
          try {
            var dt = new DataTransfer();
            photos.forEach(function (f) { dt.items.add(f); });
            photoInput.files = dt.files;
          } catch (e) { /* an old browser: the originals go, the server shrinks them */ }
        }
        submitting = true;
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      var item = collect(photos);
      var missing = problems(item);
      if (missing.length) {
        say(missing.join(" "));
        return;
      }
      return putItem(item).then(function () {
        form.reset();
        keyed = false; // the next report gets its own key
        keyInput.value = "";
        return render();
      }).then(function () {
        say(text.stored);
        box.scrollIntoView();
      });
    }).catch(function () {
      // Storage refused (private mode, full disk): fall back to the plain post.
      submitting = true;
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { say(text.offline); });
  flush();
  window.lampunginOutbox = { flush: flush, items: allItems }; // for tests and the curious
})();
