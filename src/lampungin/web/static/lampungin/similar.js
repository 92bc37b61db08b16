/* Lampung In — "Cek laporan serupa" on /lapor/ with JavaScript (progressive enhancement).
 *
 * Without this script the button re-submits the form with GET and the server lists the
 * candidates. With it, the button asks GET /api/v1/reports/similar and shows the same
 * list in place, without leaving the form; each candidate can be supported (POST).
 */
(function () {
  "use strict";
  var button = document.getElementById("check-similar");
  var box = document.getElementById("similar");
  var form = document.getElementById("report-form");
  if (!button || !box || !form || !window.fetch) return;
  var text = box.dataset;
  var list = box.querySelector("ul");

  function field(name) {
    var el = form.elements[name];
    return el && el.value ? el.value : "";
  }

  function item(s) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = "/laporan/" + encodeURIComponent(s.tracking);
    link.textContent = s.tracking;
    var title = document.createElement("b");
    title.textContent = " " + s.title + " ";
    var meta = document.createElement("small");
    meta.textContent = s.regency + " · " + s.state_label +
      (s.distance_m !== null ? " · ± " + s.distance_m + " m" : "") + " · " + s.supporters + " " + text.supporters;
    var excerpt = document.createElement("p");
    excerpt.textContent = s.excerpt;
    var support = document.createElement("form");
    support.method = "post";
    support.action = text.support.replace("TRACKING", encodeURIComponent(s.tracking));
    var csrf = document.createElement("input");
    csrf.type = "hidden";
    csrf.name = "csrfmiddlewaretoken";
    csrf.value = text.csrf;
    var go = document.createElement("button");
    go.className = "btn";
    go.textContent = text.supportLabel;
    support.appendChild(csrf);
    support.appendChild(go);
    li.append(link, title, document.createElement("br"), meta, excerpt, support);
    return li;
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var params = new URLSearchParams({
      category: field("category"),
      lat: field("lat"),
      lng: field("lng"),
      region: field("district") || field("regency"),
      text: (field("title") + " " + field("description")).slice(0, 4000)
    });
    ["lat", "lng"].forEach(function (k) { if (!params.get(k)) params.delete(k); });
    fetch(text.api + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; })
      .then(function (found) {
        list.textContent = "";
        if (!found.length) {
          var none = document.createElement("li");
          none.className = "muted";
          none.textContent = text.none;
          list.appendChild(none);
        }
        found.forEach(function (s) { list.appendChild(item(s)); });
        box.hidden = false;
      });
  });
})();
