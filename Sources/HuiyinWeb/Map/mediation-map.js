// 家事调解地图: "use my location" and the optional map over the server-rendered page.
// Her position is sent only as the query of the nearest call and kept nowhere (no storage, no cookie).
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('map-config').textContent);
  var statusLine = document.getElementById('status');
  var results = document.getElementById('results');
  var map = null, markers = null, shown = [];

  function say(text) { statusLine.textContent = text; }

  function distanceText(m) {
    return m < 1000 ? '约 ' + Math.round(m) + ' 米' : '约 ' + (m / 1000).toFixed(1) + ' 公里';
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(items) {
    shown = items;
    results.textContent = '';
    if (!items.length) { results.appendChild(el('p', 'empty', '附近暂无登记的调解组织，请选择所在地区查看。')); return; }
    results.appendChild(el('p', 'count', '离您最近的 ' + items.length + ' 处，由近到远'));
    var list = el('ol', 'results');
    list.id = 'results-list';
    items.forEach(function (b) {
      var li = el('li', 'body');
      li.appendChild(el('h3', '', b.name));
      li.appendChild(el('p', 'kind', config.kinds[b.kind] || config.kinds.other));
      if (b.distance_m !== null) li.appendChild(el('p', 'distance', distanceText(b.distance_m)));
      li.appendChild(el('p', 'address', '地址：' + b.address));
      li.appendChild(el('p', 'hours', '时间：' + (b.hours || '请来电询问')));
      if (b.phone) {
        var p = el('p'), a = el('a', 'call', '拨打 ' + b.phone);
        a.href = 'tel:' + b.phone.replace(/[^0-9+]/g, '');
        p.appendChild(a);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    results.appendChild(list);
    if (map) drawMarkers();
  }

  function nearest(lat, lon) {
    say('正在查找离您最近的调解组织…');
    var url = '/api/v1/mediation-bodies/nearest?lat=' + lat.toFixed(6) + '&lon=' + lon.toFixed(6) + '&limit=10';
    fetch(url, { credentials: 'omit', cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (body) {
      say('');
      render(body.items);
      offerMap();
    }).catch(function () { say('查找失败，请检查网络后重试，或选择所在地区查看。'); });
  }

  var locate = document.getElementById('locate');
  if ('geolocation' in navigator) {
    locate.hidden = false;
    document.getElementById('use-location').addEventListener('click', function () {
      say('正在获取您的位置…');
      navigator.geolocation.getCurrentPosition(function (pos) {
        nearest(pos.coords.latitude, pos.coords.longitude);
      }, function (err) {
        say(err.code === 1 ? '未获得位置权限。您可以选择所在地区查看附近的调解组织。'
                           : '暂时无法获取位置，请稍后重试，或选择所在地区查看。');
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
    });
  }

  // The map is loaded only when she asks for it: its tiles come from the configured tile service.
  function offerMap() {
    if (!config.tiles || !window.L || map || !shown.length) return;
    document.getElementById('map-toggle').hidden = false;
  }

  function drawMarkers() {
    markers.clearLayers();
    var bounds = [];
    shown.forEach(function (b) {
      var m = window.L.marker([b.latitude, b.longitude], { title: b.name });
      m.bindPopup(el('span', '', b.name));
      markers.addLayer(m);
      bounds.push([b.latitude, b.longitude]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  }

  document.getElementById('show-map').addEventListener('click', function () {
    var box = document.getElementById('map');
    box.hidden = false;
    document.getElementById('map-toggle').hidden = true;
    map = window.L.map(box);
    window.L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18, subdomains: config.subdomains }).addTo(map);
    markers = window.L.layerGroup().addTo(map);
    drawMarkers();
  });

  // A list the server rendered for a chosen area can be mapped too.
  var rendered = document.querySelectorAll('#results-list li');
  if (rendered.length && config.tiles) {
    fetch('/api/v1/mediation-bodies?unit_id=' + encodeURIComponent(document.getElementById('unit').value) + '&limit=200',
          { credentials: 'omit' }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) { shown = body.items; offerMap(); }).catch(function () {});
  }
})();
