/* Lampung In — /lapor/ location: dependent region lists and an optional map pin.
   Without JavaScript the form still works: kecamatan in groups, a "Pilih desa" step, and
   coordinates typed by hand. Leaflet (and any map tile) is fetched only after the citizen
   presses "Tandai di peta". */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch) return;
  var regency = form.elements.regency, district = form.elements.district, village = form.elements.village;
  var mapBox = document.getElementById("map");
  var api = mapBox ? mapBox.getAttribute("data-regions") : "/api/v1/regions";
  Array.prototype.forEach.call(form.querySelectorAll(".no-js-step"), function (el) { el.hidden = true; });

  function fill(select, items, keep) {
    var placeholder = select.options[0] ? select.options[0].cloneNode(true) : new Option("", "");
    while (select.firstChild) select.removeChild(select.firstChild);
    select.appendChild(placeholder);
    items.forEach(function (r) { select.appendChild(new Option(r.name, r.code)); });
    select.value = keep && items.some(function (r) { return r.code === keep; }) ? keep : "";
  }

  function load(parent, select, keep) {
    if (!parent) { fill(select, [], ""); return Promise.resolve(); }
    return fetch(api + "?parent=" + encodeURIComponent(parent), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      // keep === null: keep whatever is selected when the answer arrives (a quick hand may
      // have picked a kecamatan from the server-rendered list while the request was out).
      .then(function (items) { fill(select, items, keep === null ? select.value : keep); })
      .catch(function () { /* keep the server-rendered list */ });
  }

  if (regency && district) {
    regency.addEventListener("change", function () {
      if (!regency.value) return;
      load(regency.value, district, null).then(function () {
        if (!village) return;
        if (district.value) load(district.value, village, ""); else fill(village, [], "");
      });
    });
  }
  if (district && village) {
    district.addEventListener("change", function () { load(district.value, village, ""); });
    if (district.value && village.options.length <= 1) load(district.value, village, village.value);
  }

  // -- the map, on demand ------------------------------------------------------------------
  var button = document.getElementById("show-map");
  if (!button || !mapBox) return;
  button.hidden = false;
  var status = document.getElementById("location-status");
  var lat = form.elements.lat, lng = form.elements.lng;

  function loadLeaflet() {
    if (window.L) return Promise.resolve(window.L);
    return new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = button.getAttribute("data-css");
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = button.getAttribute("data-js");
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function show() {
    button.disabled = true;
    loadLeaflet().then(function (L) {
      mapBox.hidden = false;
      var has = lat.value && lng.value;
      var centre = has ? [parseFloat(lat.value), parseFloat(lng.value)] : [-4.95, 105.2];
      var map = L.map(mapBox).setView(centre, has ? 16 : 8);
      L.tileLayer(button.getAttribute("data-tiles"), {
        maxZoom: 19, attribution: button.getAttribute("data-attribution")
      }).addTo(map);
      var marker = has ? L.marker(centre).addTo(map) : null;
      map.on("click", function (e) {
        if (marker) marker.setLatLng(e.latlng); else marker = L.marker(e.latlng).addTo(map);
        lat.value = e.latlng.lat.toFixed(6);
        lng.value = e.latlng.lng.toFixed(6);
        status.textContent = button.getAttribute("data-marked");
      });
      status.textContent = button.getAttribute("data-hint");
      button.hidden = true;
    }).catch(function () {
      button.disabled = false;
      status.textContent = button.getAttribute("data-failed");
    });
  }
  button.addEventListener("click", show);
})();
