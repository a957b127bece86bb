// The timeline page's script (served as /timeline/app.js): plain DOM + SVG, no framework, no network
// beyond the auditor's own JSON API. Kept as a string so `tsc` alone builds the auditor (no bundler, no
// copy step); test/timeline.test.ts parses it and drives it in Chromium.
//
// Times are µs since the epoch held in doubles (exact to the year 2255), like the auditor's own
// (time/micros.ts): JavaScript Date is only ms and is used for formatting alone.
//
// Rules for editing: no backquotes and no dollar-brace in this text (it is a template literal).
export const TIMELINE_SCRIPT = String.raw`
'use strict';
(function () {
  var SVGNS = 'http://www.w3.org/2000/svg';
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
  var PALETTE = ['#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#d55e00', '#7f7f7f', '#000000'];
  var SPANS = { '1m': 60e6, '5m': 300e6, '15m': 900e6, '1h': 3600e6, '6h': 21600e6, '24h': 86400e6, '7d': 604800e6 };
  var POLL_MS = 2000;
  var TOKEN_KEY = 'hotstandby-auditor-token';
  var GUTTER = 140, RIGHT = 18, TOP = 24, ALERT_LINE = 18, LANE = 48, BAR_H = 26, AXIS = 34;
  var TICKS = [1e6, 2e6, 5e6, 10e6, 15e6, 30e6, 60e6, 120e6, 300e6, 600e6, 900e6, 1800e6, 3600e6, 7200e6, 10800e6, 21600e6, 43200e6, 86400e6];

  var el = function (id) { return document.getElementById(id); };
  var ui = {
    router: el('router'), span: el('span'), earlier: el('earlier'), later: el('later'), live: el('live'),
    status: el('status'), answer: el('answer'), chart: el('chart'), wrap: el('chart-wrap'), tip: el('tooltip'),
    auth: el('auth'), token: el('token'), intervals: el('intervals').tBodies[0], alerts: el('alerts').tBodies[0]
  };

  var state = {
    domain: null, vrid: null, spanKey: '15m', live: true, to: null,
    pinned: null, hover: null, data: null, win: null, routers: [], tipKey: null, sig: null,
    token: sessionStorage.getItem(TOKEN_KEY), generation: 0, timer: null
  };

  // ---- time ----------------------------------------------------------------------------------
  var ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.(\d{1,6}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
  function parseTime(text) {
    var m = ISO.exec(String(text || '').trim());
    if (!m) return NaN;
    var zone = m[5] || 'Z';
    if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
    else if (/^[+-]\d{4}$/.test(zone)) zone = zone.slice(0, 3) + ':' + zone.slice(3);
    var ms = Date.parse(m[1] + 'T' + m[2] + (m[3] || ':00') + zone);
    if (isNaN(ms)) return NaN;
    return ms * 1000 + Number((m[4] || '').padEnd(6, '0'));
  }
  function isoOf(us) {
    us = Math.round(us);
    var s = Math.floor(us / 1e6);
    return new Date(s * 1000).toISOString().slice(0, 19) + '.' + String(us - s * 1e6).padStart(6, '0') + 'Z';
  }
  /** "2026-11-20 03:02:15.250" (UTC); withDate false drops the date. */
  function fmt(us, withDate) {
    var ms = Math.floor(us / 1000);
    var t = new Date(ms).toISOString();
    return (withDate === false ? '' : t.slice(0, 10) + ' ') + t.slice(11, 23);
  }
  function fmtDuration(us) {
    var s = us / 1e6;
    if (s < 60) return (Math.round(s * 1000) / 1000) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
    var h = Math.floor(m / 60);
    if (h < 48) return h + ' h ' + (m - h * 60) + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }
  function tickLabel(us, step) {
    var t = new Date(Math.floor(us / 1000)).toISOString();
    if (step >= 86400e6) return t.slice(5, 10);
    if (t.slice(11, 19) === '00:00:00') return t.slice(5, 10);
    return step >= 60e6 ? t.slice(11, 16) : t.slice(11, 19);
  }

  // ---- DOM helpers ---------------------------------------------------------------------------
  function svg(tag, attrs, parent) {
    var n = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) n.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(n);
    return n;
  }
  function html(tag, text, parent, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    if (parent) parent.appendChild(n);
    return n;
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }
  function setStatus(text, isError) {
    ui.status.textContent = text;
    ui.status.className = isError ? 'error' : '';
  }

  // ---- API -----------------------------------------------------------------------------------
  function AuthNeeded() { this.message = 'bearer token required'; }
  function getJson(path) {
    var headers = { accept: 'application/json' };
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (r) {
      if (r.status === 401) throw new AuthNeeded();
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
        return body;
      });
    });
  }
  function query(params) {
    var q = new URLSearchParams();
    for (var k in params) if (params[k] !== null && params[k] !== undefined) q.set(k, String(params[k]));
    return q.toString();
  }

  // ---- URL state -----------------------------------------------------------------------------
  function readUrl() {
    var q = new URLSearchParams(location.search);
    if (q.get('domain')) state.domain = q.get('domain');
    var v = Number(q.get('vrid'));
    if (Number.isInteger(v) && v >= 1 && v <= 255) state.vrid = v;
    if (SPANS[q.get('span')]) state.spanKey = q.get('span');
    var at = parseTime(q.get('at'));
    var to = parseTime(q.get('to'));
    if (!isNaN(at)) state.pinned = at;
    if (!isNaN(to)) { state.to = to; state.live = false; }
    else if (!isNaN(at)) { state.to = at + SPANS[state.spanKey] / 2; state.live = false; }
    if (q.get('live') === '1') state.live = true;
  }
  function writeUrl() {
    var p = { domain: state.domain, vrid: state.vrid, span: state.spanKey };
    if (state.pinned !== null) p.at = isoOf(state.pinned);
    if (!state.live && state.to !== null) p.to = isoOf(state.to);
    history.replaceState(null, '', location.pathname + '?' + query(p));
  }
  function syncControls() {
    ui.span.value = state.spanKey;
    ui.live.checked = state.live;
    var key = state.domain + '|' + state.vrid;
    if (state.vrid !== null && !Array.prototype.some.call(ui.router.options, function (o) { return o.value === key; })) {
      var o = html('option', 'VRID ' + state.vrid + (state.domain ? ' · ' + state.domain : ''), ui.router);
      o.value = key;
    }
    ui.router.value = key;
  }

  // ---- loading -------------------------------------------------------------------------------
  function loadRouters() {
    return getJson('api/v1/vrids').then(function (body) {
      state.routers = body.routers;
      clear(ui.router);
      body.routers.forEach(function (r) {
        var o = html('option', 'VRID ' + r.vrid + ' · ' + r.domain + ' (' + r.nodes.join(', ') + ')', ui.router);
        o.value = r.domain + '|' + r.vrid;
      });
      // No VRID in the link (a node-lost alert is per domain): the domain's router that changed hands
      // last, or the whole fleet's when no domain is given either.
      var candidates = body.routers.filter(function (r) { return !state.domain || r.domain === state.domain; });
      if (state.vrid === null && candidates.length > 0) {
        var latest = candidates.slice().sort(function (a, b) { return parseTime(b.lastChange) - parseTime(a.lastChange); })[0];
        state.domain = latest.domain;
        state.vrid = latest.vrid;
      }
      syncControls();
    });
  }

  function refresh() {
    if (state.vrid === null) {
      state.data = null;
      state.sig = null;
      render();
      setStatus('No VRRP router has had a MASTER yet: nothing to show. Checking again every 2 s.');
      return loadRouters();
    }
    var gen = ++state.generation;
    var p = { vrid: state.vrid, domain: state.domain };
    var span = SPANS[state.spanKey];
    if (state.live) p.span = state.spanKey;
    else { p.from = isoOf(state.to - span); p.to = isoOf(state.to); }
    return getJson('api/v1/timeline?' + query(p)).then(function (d) {
      if (gen !== state.generation) return;
      var win = { from: parseTime(d.from), to: parseTime(d.to), now: parseTime(d.now) };
      // Redraw only what changed: a redraw replaces every element (and would drop keyboard focus).
      var sig = JSON.stringify(d, function (k, v) { return k === 'now' && win.now >= win.to ? 'past' : v; });
      if (d.domain && !state.domain) { state.domain = d.domain; syncControls(); }
      if (sig === state.sig) return;
      state.sig = sig;
      state.data = d;
      state.win = win;
      render();
      setStatus('Updated ' + fmt(Date.now() * 1000, false).slice(0, 8) + ' (your clock) · refreshes every 2 s' +
        (state.live ? ' · following now' : '') + (d.anomaliesTruncated ? ' · too many anomalies: showing the first ' + d.anomalies.length : ''));
    });
  }

  function schedule(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(tick, delay);
  }
  function tick() {
    if (document.hidden) return schedule(POLL_MS);
    Promise.resolve()
      .then(refresh)
      .then(function () { schedule(POLL_MS); }, function (err) {
        if (err instanceof AuthNeeded) {
          ui.auth.hidden = false;
          setStatus('This auditor needs a bearer token (it listens on a non-loopback address).', true);
          return;
        }
        setStatus('Could not load the timeline: ' + err.message + ' (retrying every 2 s)', true);
        schedule(POLL_MS);
      });
  }

  // ---- drawing -------------------------------------------------------------------------------
  var geometry = null;

  function colourOf(node) {
    var i = state.data ? state.data.nodes.indexOf(node) : 0;
    return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
  }

  function render() {
    var c = ui.chart;
    var tipKey = state.tipKey;
    var focusKey = document.activeElement && c.contains(document.activeElement) ? document.activeElement.getAttribute('data-key') : null;
    clear(c);
    ui.tip.hidden = true;
    var d = state.data;
    var W = Math.max(480, Math.floor(ui.wrap.clientWidth));
    var nodes = d ? d.nodes : [];
    var lanes = Math.max(1, nodes.length);
    var alertRows = d && state.win ? stackAlerts(d.alerts, state.win) : { rows: 1, rowOf: {} };
    var ALERT_ROW = alertRows.rows * ALERT_LINE + 10;
    var lanesTop = TOP + ALERT_ROW;
    var lanesBottom = lanesTop + lanes * LANE;
    var H = lanesBottom + AXIS;
    c.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    c.setAttribute('width', W);
    c.setAttribute('height', H);
    if (!d || !state.win) {
      svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, c).textContent = 'Nothing to show yet.';
      geometry = null;
      renderTables();
      return;
    }
    var win = state.win;
    var plotW = W - GUTTER - RIGHT;
    var x = function (t) { return GUTTER + (t - win.from) / (win.to - win.from) * plotW; };
    var clampT = function (t) { return Math.min(win.to, Math.max(win.from, t)); };
    geometry = { x: x, W: W, H: H, lanesTop: lanesTop, lanesBottom: lanesBottom, plotW: plotW };
    c.setAttribute('aria-label', 'Mastership timeline of VRID ' + d.vrid + ' on ' + d.domain + ', ' + fmt(win.from) + ' to ' + fmt(win.to) + ' UTC, ' + nodes.length + ' node' + (nodes.length === 1 ? '' : 's'));

    // Lanes and their labels.
    var gl = svg('g', { class: 'lanes' }, c);
    svg('text', { x: 12, y: TOP + 5 + ALERT_LINE / 2 + 4, class: 'row-label' }, gl).textContent = 'alerts';
    nodes.forEach(function (node, i) {
      var y0 = lanesTop + i * LANE;
      svg('rect', { x: GUTTER, y: y0 + 2, width: plotW, height: LANE - 4, class: 'lane-bg', 'data-node': node }, gl);
      svg('rect', { x: 12, y: y0 + LANE / 2 - 6, width: 12, height: 12, rx: 2, fill: colourOf(node) }, gl);
      var label = svg('text', { x: 30, y: y0 + LANE / 2 + 5, class: 'lane-label', 'data-node': node }, gl);
      label.textContent = node.length > 14 ? node.slice(0, 13) + '…' : node;
      if (node.length > 14) label.setAttribute('aria-label', node);
    });
    if (nodes.length === 0) svg('text', { x: GUTTER + plotW / 2, y: lanesTop + LANE / 2 + 5, 'text-anchor': 'middle', class: 'empty' }, c).textContent = 'No node has reported on this VRID.';

    // Time axis.
    var step = TICKS[TICKS.length - 1];
    for (var k = 0; k < TICKS.length; k++) if (TICKS[k] / (win.to - win.from) * plotW >= 90) { step = TICKS[k]; break; }
    var ga = svg('g', { class: 'axis' }, c);
    for (var t = Math.ceil(win.from / step) * step; t <= win.to; t += step) {
      var gt = svg('g', { class: 'tick' }, ga);
      svg('line', { x1: x(t), x2: x(t), y1: TOP, y2: lanesBottom }, gt);
      svg('text', { x: x(t), y: lanesBottom + 18, 'text-anchor': 'middle' }, gt).textContent = tickLabel(t, step);
    }
    svg('text', { x: 12, y: lanesBottom + 18, class: 'row-label' }, ga).textContent = 'UTC';

    // Overlap windows: behind the bars, across every lane.
    var gb = svg('g', { class: 'bands' }, c);
    d.overlaps.forEach(function (o) {
      var f = parseTime(o.from), e = o.to === null ? win.now : parseTime(o.to);
      if (e <= win.from || f >= win.to) return;
      var x1 = x(clampT(f)), x2 = x(clampT(e));
      var w = Math.max(2, x2 - x1);
      var cls = 'overlap ' + o.kind;
      var band = svg('rect', { x: x1, y: 4, width: w, height: lanesBottom - 4, class: cls, 'data-from': o.from, 'data-to': o.to === null ? '' : o.to, 'data-nodes': o.nodes.join(',') }, gb);
      var what = { 'split-brain': 'Split brain: ', handover: 'Hand-over overlap: ', unconfirmed: 'Overlap without a split-brain alert (a crashed MASTER’s interval stays open until it is heard again or declared lost): ' }[o.kind];
      svg('title', {}, band).textContent = what + o.nodes.join(' and ') + ' MASTER together, ' + fmt(f) + ' – ' + (o.to === null ? 'now' : fmt(e)) + ' (' + fmtDuration(e - f) + ')';
      if (o.kind === 'unconfirmed' && w > 76) svg('text', { x: x1 + 7, y: 18, class: 'band-label unconfirmed' }, gb).textContent = 'overlap, no alert';
      if (o.kind === 'split-brain') {
        if (f >= win.from) svg('rect', { x: x1, y: 4, width: Math.min(3, w), height: lanesBottom - 4, class: 'overlap split-brain-edge' }, gb);
        if (o.to !== null && e <= win.to) svg('rect', { x: x1 + w - Math.min(3, w), y: 4, width: Math.min(3, w), height: lanesBottom - 4, class: 'overlap split-brain-edge' }, gb);
        if (w > 76) svg('text', { x: x1 + 7, y: 18, class: 'band-label' }, gb).textContent = 'split brain';
      }
    });

    // Now.
    if (win.now > win.from && win.now < win.to) {
      svg('line', { x1: x(win.now), x2: x(win.now), y1: TOP, y2: lanesBottom, class: 'now-line' }, c);
      svg('text', { x: x(win.now) + 3, y: 16, class: 'row-label' }, c).textContent = 'now';
    }

    // Mastership bars.
    var gbar = svg('g', { class: 'bars' }, c);
    d.intervals.forEach(function (iv) {
      var lane = nodes.indexOf(iv.node);
      if (lane < 0) return;
      var f = parseTime(iv.from), e = iv.to === null ? win.now : parseTime(iv.to);
      if (e <= win.from || f >= win.to) return;
      var x1 = x(clampT(f)), x2 = x(clampT(e));
      var y0 = lanesTop + lane * LANE + (LANE - BAR_H) / 2;
      var desc = iv.node + ' MASTER from ' + fmt(f) + ' (' + iv.startReason + ') ' + (iv.to === null ? 'and still MASTER' : 'to ' + fmt(e) + ' (' + iv.endReason + ')');
      var g = svg('g', { class: 'bar-group', tabindex: 0, role: 'img', 'aria-label': desc }, gbar);
      svg('rect', {
        x: x1, y: y0, width: Math.max(2, x2 - x1), height: BAR_H, rx: 3, fill: colourOf(iv.node),
        class: 'bar' + (iv.to === null ? ' bar-open' : ''), 'data-node': iv.node, 'data-from': iv.from, 'data-to': iv.to === null ? '' : iv.to
      }, g);
      if (x2 - x1 > 110) svg('text', { x: x1 + 6, y: y0 + BAR_H / 2 + 4, fill: '#fff', 'font-size': 12, 'font-weight': 600, 'pointer-events': 'none' }, g).textContent = 'MASTER';
      tipOn(g, 'bar|' + iv.node + '|' + iv.from, iv.node + ' was MASTER', [
        'from ' + fmt(f) + ' UTC (' + iv.startReason + ')',
        iv.to === null ? 'still MASTER (as far as the auditor knows)' : 'to ' + fmt(e) + ' UTC (' + iv.endReason + ')',
        'for ' + fmtDuration(e - f) + (iv.to === null ? ' so far' : ''),
        'instance ' + iv.instance + ', advert interval ' + (iv.intervalCs / 100) + ' s'
      ]);
    });

    // Anomaly markers, in the lane of the node that reported them.
    var gm = svg('g', { class: 'markers' }, c);
    d.anomalies.forEach(function (a) {
      var lane = nodes.indexOf(a.node);
      if (lane < 0) return;
      var t = parseTime(a.at);
      if (t < win.from || t > win.to) return;
      var cx = x(t), cy = lanesTop + lane * LANE + LANE - 7;
      var g = svg('g', { class: 'marker anomaly', tabindex: 0, role: 'img', 'data-id': a.id, 'aria-label': 'Anomaly ' + a['class'] + ' reported by ' + a.node + ' at ' + fmt(t) }, gm);
      svg('path', { d: 'M' + cx + ',' + (cy - 7) + 'L' + (cx + 7) + ',' + cy + 'L' + cx + ',' + (cy + 7) + 'L' + (cx - 7) + ',' + cy + 'Z', class: 'shape' }, g);
      tipOn(g, 'anomaly|' + a.id, 'Anomaly: ' + a['class'] + (a.count > 1 ? ' ×' + a.count : ''), [
        'reported by ' + a.node + (a.instance ? ' (' + a.instance + ')' : ''),
        'source ' + a.source,
        'first seen ' + fmt(parseTime(a.firstSeen)) + ' UTC',
        'last seen ' + fmt(parseTime(a.lastSeen)) + ' UTC'
      ]);
    });

    // Alerts: a line for the incident (first seen → resolved or now), a triangle where it was raised;
    // incidents that overlap in time get rows of their own.
    d.alerts.forEach(function (al) {
      var yc = TOP + 5 + alertRows.rowOf[al.id] * ALERT_LINE + ALERT_LINE / 2;
      var f = parseTime(al.firstSeen), r = parseTime(al.raisedAt), e = al.resolvedAt === null ? win.now : parseTime(al.resolvedAt);
      var open = al.state !== 'resolved';
      var g = svg('g', { class: 'marker alert ' + (open ? 'open' : 'resolved'), tabindex: 0, role: 'img', 'data-id': al.id, 'aria-label': 'Alert ' + al.kind + ', ' + (open ? 'open' : 'resolved') + ': ' + al.summary }, gm);
      if (e > win.from && f < win.to) svg('line', { x1: x(clampT(f)), x2: x(clampT(e)), y1: yc, y2: yc, class: 'span' }, g);
      if (r >= win.from && r <= win.to) {
        var cx = x(r);
        svg('path', { d: 'M' + (cx - 7) + ',' + (yc - 7) + 'L' + (cx + 7) + ',' + (yc - 7) + 'L' + cx + ',' + (yc + 6) + 'Z', class: 'shape' }, g);
      }
      tipOn(g, 'alert|' + al.id, 'Alert: ' + al.kind + (open ? ' (open)' : ' (resolved)'), [
        al.summary,
        'nodes: ' + al.nodes.join(', '),
        'first seen ' + fmt(f) + ' UTC',
        'raised ' + fmt(r) + ' UTC',
        al.resolvedAt === null ? 'not resolved' : 'resolved ' + fmt(e) + ' UTC (lasted ' + fmtDuration(e - f) + ')'
      ]);
    });

    svg('g', { class: 'cursor' }, c);
    drawCursor();
    renderTables();
    // A refresh redraws everything: keep the tooltip of the element under the pointer (or focused).
    var byKey = function (key) { return Array.prototype.find.call(c.querySelectorAll('[data-key]'), function (n) { return n.getAttribute('data-key') === key; }); };
    var focused = focusKey ? byKey(focusKey) : null;
    if (focused) focused.focus();
    var again = tipKey ? byKey(tipKey) : null;
    if (again) showTip(again);
  }

  /** Greedy interval packing of the alert incidents into rows; each alert's row by id. */
  function stackAlerts(alerts, win) {
    var ends = [];
    var rowOf = {};
    var pad = (win.to - win.from) / 60;
    alerts.slice().sort(function (a, b) { return parseTime(a.firstSeen) - parseTime(b.firstSeen); }).forEach(function (al) {
      var f = Math.min(parseTime(al.firstSeen), parseTime(al.raisedAt));
      var e = Math.max(al.resolvedAt === null ? win.now : parseTime(al.resolvedAt), parseTime(al.raisedAt));
      var row = 0;
      while (row < ends.length && ends[row] + pad > f) row++;
      ends[row] = e;
      rowOf[al.id] = row;
    });
    return { rows: Math.max(1, ends.length), rowOf: rowOf };
  }

  function renderTables() {
    clear(ui.intervals);
    clear(ui.alerts);
    var d = state.data;
    if (!d) return;
    var now = state.win.now;
    d.intervals.forEach(function (iv) {
      var tr = html('tr', null, ui.intervals);
      var f = parseTime(iv.from), e = iv.to === null ? now : parseTime(iv.to);
      html('td', iv.node, tr);
      html('td', fmt(f), tr, 'num');
      html('td', iv.to === null ? 'still MASTER' : fmt(e), tr, 'num');
      html('td', fmtDuration(e - f) + (iv.to === null ? ' so far' : ''), tr, 'num');
      html('td', iv.startReason, tr);
      html('td', iv.endReason || '', tr);
    });
    if (d.intervals.length === 0) html('td', 'No node was MASTER in this window.', html('tr', null, ui.intervals)).colSpan = 6;
    d.alerts.forEach(function (al) {
      var tr = html('tr', null, ui.alerts);
      html('td', al.kind, tr);
      html('td', al.state === 'resolved' ? 'resolved' : 'open', tr);
      html('td', fmt(parseTime(al.firstSeen)), tr, 'num');
      html('td', al.resolvedAt === null ? '' : fmt(parseTime(al.resolvedAt)), tr, 'num');
      html('td', al.summary, tr);
    });
    if (d.alerts.length === 0) html('td', 'No alerts in this window.', html('tr', null, ui.alerts)).colSpan = 5;
  }

  // ---- the time cursor: "who was master here?" ----------------------------------------------
  function cursorTime() { return state.hover !== null ? state.hover : state.pinned; }

  function drawCursor() {
    var c = ui.chart.querySelector('g.cursor');
    if (!c || !geometry) return;
    clear(c);
    var t = cursorTime();
    answer(t);
    if (t === null || t < state.win.from || t > state.win.to) return;
    var cx = geometry.x(t);
    svg('line', { x1: cx, x2: cx, y1: TOP, y2: geometry.lanesBottom, class: 'cursor-line' + (state.hover === null ? ' pinned' : '') }, c);
    var label = fmt(t, false);
    var lw = 104;
    var lx = Math.min(geometry.W - RIGHT - lw, Math.max(GUTTER, cx - lw / 2));
    svg('rect', { x: lx, y: geometry.lanesBottom + 4, width: lw, height: 20, rx: 3, class: 'cursor-label-bg' }, c);
    svg('text', { x: lx + lw / 2, y: geometry.lanesBottom + 18, 'text-anchor': 'middle', class: 'cursor-label' }, c).textContent = label;
  }

  function mastersAt(t) {
    var now = state.win.now;
    return state.data.intervals.filter(function (iv) {
      var f = parseTime(iv.from);
      var e = iv.to === null ? Infinity : parseTime(iv.to);
      return f <= t && t < e && t <= now;
    });
  }

  function answer(t) {
    var a = ui.answer;
    clear(a);
    if (t === null || !state.data) {
      a.className = '';
      a.textContent = 'Point at the timeline (or focus it and use ← →) to see who was master at that moment; click to pin.';
      return;
    }
    var d = state.data;
    var head = 'At ' + fmt(t) + ' UTC';
    a.setAttribute('data-at', isoOf(t));
    if (t > state.win.now) {
      a.className = 'none';
      a.textContent = head + ' (in the future): nothing is known yet.';
      a.setAttribute('data-masters', '');
      return;
    }
    var m = mastersAt(t);
    var names = m.map(function (iv) { return iv.node; }).sort();
    a.setAttribute('data-masters', names.join(','));
    if (m.length === 0) {
      a.className = 'none';
      a.appendChild(document.createTextNode(head + ': '));
      html('strong', 'no node', a);
      a.appendChild(document.createTextNode(' was MASTER of VRID ' + d.vrid + '.'));
    } else if (m.length === 1) {
      a.className = 'one';
      a.appendChild(document.createTextNode(head + ': '));
      html('strong', m[0].node, a);
      a.appendChild(document.createTextNode(' was MASTER of VRID ' + d.vrid + ' (since ' + fmt(parseTime(m[0].from)) + ', ' + m[0].startReason + ').'));
    } else {
      a.className = 'split';
      a.appendChild(document.createTextNode(head + ': '));
      html('strong', 'split brain', a);
      a.appendChild(document.createTextNode(' — ' + names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1] + (names.length === 2 ? ' were both' : ' were all') + ' MASTER of VRID ' + d.vrid + '.'));
    }
    if (state.hover === null && state.pinned !== null) a.appendChild(document.createTextNode(' (pinned; Esc to unpin)'));
  }

  function timeAtClientX(clientX) {
    if (!geometry) return null;
    var r = ui.chart.getBoundingClientRect();
    var px = (clientX - r.left) * (geometry.W / r.width);
    if (px < GUTTER || px > geometry.W - RIGHT) return null;
    return state.win.from + (px - GUTTER) / geometry.plotW * (state.win.to - state.win.from);
  }

  ui.chart.addEventListener('mousemove', function (ev) {
    state.hover = timeAtClientX(ev.clientX);
    drawCursor();
  });
  ui.chart.addEventListener('mouseleave', function () {
    state.hover = null;
    drawCursor();
  });
  ui.chart.addEventListener('click', function (ev) {
    var t = timeAtClientX(ev.clientX);
    if (t === null) return;
    state.pinned = t;
    state.hover = null;
    writeUrl();
    drawCursor();
  });
  ui.chart.addEventListener('keydown', function (ev) {
    if (!state.win) return;
    var span = state.win.to - state.win.from;
    var t = cursorTime();
    if (t === null) t = (state.win.from + state.win.to) / 2;
    if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
      var dt = span / (ev.shiftKey ? 10 : 100);
      state.pinned = Math.min(state.win.to, Math.max(state.win.from, t + (ev.key === 'ArrowLeft' ? -dt : dt)));
      state.hover = null;
    } else if (ev.key === 'Enter') {
      state.pinned = t;
      state.hover = null;
    } else if (ev.key === 'Escape') {
      state.pinned = null;
      state.hover = null;
    } else return;
    ev.preventDefault();
    writeUrl();
    drawCursor();
  });

  // ---- tooltips ------------------------------------------------------------------------------
  function tipOn(g, key, title, lines) {
    g.setAttribute('data-key', key);
    g.tipText = { title: title, lines: lines };
    svg('title', {}, g).textContent = title + '\n' + lines.join('\n');
    var show = function () { showTip(g); };
    g.addEventListener('mouseenter', show);
    g.addEventListener('focus', show);
    g.addEventListener('mouseleave', hideTip);
    g.addEventListener('blur', hideTip);
  }
  function showTip(g) {
    var tip = ui.tip;
    clear(tip);
    html('span', g.tipText.title, tip, 'tip-title');
    tip.appendChild(document.createTextNode(g.tipText.lines.join('\n')));
    tip.hidden = false;
    state.tipKey = g.getAttribute('data-key');
    var wr = ui.wrap.getBoundingClientRect();
    var r = g.getBoundingClientRect();
    var left = r.left - wr.left + r.width / 2 + 14;
    if (left + tip.offsetWidth > wr.width - 4) left = Math.max(4, r.left - wr.left - tip.offsetWidth - 14);
    tip.style.left = left + 'px';
    tip.style.top = Math.max(4, r.top - wr.top + r.height / 2 - 12) + 'px';
  }
  function hideTip() {
    ui.tip.hidden = true;
    state.tipKey = null;
  }

  // ---- controls ------------------------------------------------------------------------------
  function changed() {
    writeUrl();
    state.generation++;
    schedule(0);
  }
  ui.router.addEventListener('change', function () {
    var parts = ui.router.value.split('|');
    state.domain = parts[0] === 'null' ? null : parts[0];
    state.vrid = Number(parts[1]);
    changed();
  });
  ui.span.addEventListener('change', function () {
    var old = SPANS[state.spanKey];
    state.spanKey = ui.span.value;
    // Keep the middle of the window where it was.
    if (!state.live && state.to !== null) state.to = state.to - old / 2 + SPANS[state.spanKey] / 2;
    changed();
  });
  function pan(direction) {
    var span = SPANS[state.spanKey];
    var end = state.live || state.to === null ? (state.win ? state.win.to : Date.now() * 1000) : state.to;
    state.to = end + direction * span / 2;
    state.live = false;
    if (state.win && state.to >= state.win.now && direction > 0) { state.live = true; state.to = null; }
    syncControls();
    changed();
  }
  ui.earlier.addEventListener('click', function () { pan(-1); });
  ui.later.addEventListener('click', function () { pan(1); });
  ui.live.addEventListener('change', function () {
    state.live = ui.live.checked;
    if (!state.live) state.to = state.win ? state.win.to : Date.now() * 1000;
    changed();
  });
  ui.auth.addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.token = ui.token.value;
    sessionStorage.setItem(TOKEN_KEY, state.token);
    ui.auth.hidden = true;
    start();
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(render, 100);
  });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) schedule(0); });

  function start() {
    setStatus('Loading…');
    loadRouters().then(function () {
      writeUrl();
      tick();
    }, function (err) {
      if (err instanceof AuthNeeded) {
        ui.auth.hidden = false;
        setStatus('This auditor needs a bearer token (it listens on a non-loopback address).', true);
        return;
      }
      setStatus('Could not reach the auditor: ' + err.message + ' (retrying)', true);
      setTimeout(start, POLL_MS);
    });
  }

  readUrl();
  syncControls();
  start();
})();
`;
