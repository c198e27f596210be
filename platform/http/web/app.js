// app.js - the control page: log in with the fleet token, follow the board
// over Server-Sent Events (/events), draw a card per kiosk, and send the
// operator's commands (/api/cmd); each command carries an id that its
// reply (an SSE "reply" event) brings back. Text from kiosks is always set
// with textContent, never parsed as HTML.
'use strict';

const $ = (sel) => document.querySelector(sel);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

// What the tests and the figures read: page ready time, command round trips.
window.__mh = { readyMs: null, roundTrips: [], replies: [] };

const kiosks = new Map();   // key -> { card, parts, state, exhibits, online }
const pending = new Map();  // id -> { t0, key, line }
let nextId = 1;
let source = null;
let mode = 'hub';

// ---- talking to the server ------------------------------------------------------

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Metahall': '1' },
    body: JSON.stringify(body),
  };
  const r = await fetch(path, opts);
  let data = {};
  try { data = await r.json(); } catch (e) { /* no body */ }
  return { status: r.status, data };
}

function send(target, line, label) {
  const id = 'p' + (nextId++);
  pending.set(id, { t0: performance.now(), key: target, line });
  api('/api/cmd', { target, cmd: line, id }).then(({ status, data }) => {
    if (status !== 202) {
      pending.delete(id);
      log(target, line, 'ERR ' + (data.error || status));
    }
  });
  return id;
}

// ---- login ------------------------------------------------------------------------

async function start() {
  const { data } = await api('/api/session');
  mode = data.mode || 'hub';
  $('#mode').textContent = mode === 'kiosk' ? 'kiosk' : 'hub';
  $('#logout').hidden = !data.token_required;
  if (data.token_required && !data.logged_in) {
    $('#login').hidden = false;
    $('#fleet').hidden = true;
    $('#token').focus();
    return;
  }
  $('#login').hidden = true;
  $('#fleet').hidden = false;
  follow();
}

$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const { status, data } = await api('/api/login', { token: $('#token').value });
  if (status === 200) {
    $('#token').value = '';
    $('#login-error').textContent = '';
    start();
  } else {
    $('#login-error').textContent = data.error || ('login failed (' + status + ')');
  }
});

$('#logout').addEventListener('click', async () => {
  await api('/api/logout', {});
  if (source) source.close();
  location.reload();
});

// ---- the event stream -------------------------------------------------------------

function follow() {
  if (source) source.close();
  source = new EventSource('/events');
  source.addEventListener('open', () => setConn(true));
  source.addEventListener('error', () => {
    setConn(false);
    // a session that ended: back to the login
    api('/api/session').then(({ data }) => { if (data.token_required && !data.logged_in) start(); });
  });
  source.addEventListener('snapshot', (ev) => {
    const snap = JSON.parse(ev.data);
    for (const k of snap.kiosks || []) {
      if (k.state) onState(k.key, k.state);
      if (!k.online) onOffline(k.key, k.why || 'offline');
      if (k.stats) onStats(k.key, k.stats);
      if (k.thumb) onThumb(k.key, k.thumb);
    }
    if (window.__mh.readyMs === null) window.__mh.readyMs = performance.now();
  });
  source.addEventListener('state', (ev) => { const d = JSON.parse(ev.data); onState(d.key, d.state); });
  source.addEventListener('offline', (ev) => { const d = JSON.parse(ev.data); onOffline(d.key, d.why); });
  source.addEventListener('thumb', (ev) => { const d = JSON.parse(ev.data); onThumb(d.key, d.version); });
  source.addEventListener('stats', (ev) => { const d = JSON.parse(ev.data); onStats(d.key, d.stats); });
  source.addEventListener('reply', (ev) => { const d = JSON.parse(ev.data); onReply(d.key, d.id, d.reply); });
}

function setConn(on) {
  $('#conn').textContent = on ? 'live' : 'reconnecting…';
  $('#conn').className = 'pill ' + (on ? 'on' : 'off');
}

// ---- a kiosk's card ------------------------------------------------------------------

const FACTS = [
  ['exhibit', '展品 · Exhibit'], ['state', '模式 · Mode'], ['language', '语言 · Lang'], ['hours', '开放 · Hours'],
  ['fps', 'fps'], ['frame', 'frame ms'], ['memory', 'memory'], ['uptime', 'uptime'], ['volume', 'volume'],
  ['tour', 'tour'],
];

function button(text, title, onClick, cls) {
  const b = el('button', cls, text);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function makeCard(key) {
  const [hall, id] = key.split('/');
  const card = el('article', 'card');
  card.dataset.key = key;
  const head = el('div', 'card-head');
  head.append(el('span', 'dot'), el('h3', '', id), el('span', 'hall', hall));
  const badge = el('span', 'badge', '…');
  head.append(badge);
  const thumb = el('img', 'thumb');
  thumb.alt = 'screen of ' + id;
  const facts = el('dl', 'facts');
  const parts = { card, badge, thumb, facts: {} };
  for (const [name, label] of FACTS) {
    const dd = el('dd');
    facts.append(el('dt', '', label), dd);
    parts.facts[name] = dd;
  }
  const errDt = el('dt', '', 'last error');
  const errDd = el('dd', 'wide last-error', '—');
  facts.append(errDt, errDd);
  parts.error = errDd;

  const controls = el('div', 'controls');
  const select = el('select');
  select.setAttribute('aria-label', 'exhibit for ' + id);
  parts.select = select;
  const go = (line) => () => send(key, line);
  controls.append(
    select,
    button('切换 · Switch', 'SWITCH to the chosen exhibit', () => { if (select.value) send(key, 'SWITCH ' + select.value); }),
    button('◀', 'PREV', go('PREV')), button('▶', 'NEXT', go('NEXT')),
    button('导览 · Tour', 'TOUR START', go('TOUR START')), button('停止 · Stop', 'TOUR STOP', go('TOUR STOP')),
    button('中文', 'LANG zh', go('LANG zh')), button('EN', 'LANG en', go('LANG en')),
    button('待机 · Attract', 'RESET', go('RESET')),
    button('截图 · Shot', 'SCREENSHOT THUMB: a fresh picture', go('SCREENSHOT THUMB')),
    button('开 · Wake', 'WAKE: open outside the hours', go('WAKE')),
    button('关 · Sleep', 'SLEEP: closed until the next opening', go('SLEEP')),
    button('重载 · Reload', 'RELOAD the hall from disk', () => {
      if (confirm('Reload the hall on ' + id + '?')) send(key, 'RELOAD');
    }, 'danger'));
  const volume = el('label', 'volume');
  const range = el('input');
  range.type = 'range'; range.min = 0; range.max = 100; range.step = 5;
  const volText = el('span', '', '—');
  range.addEventListener('change', () => send(key, 'VOLUME ' + range.value));
  volume.append('音量 · Volume', range, volText);
  parts.range = range; parts.volText = volText;

  const stats = el('div', 'stats', 'Today: —');
  parts.stats = stats;
  const reply = el('div', 'reply');
  parts.reply = reply;
  card.append(head, thumb, facts, controls, volume, stats, reply);
  $('#kiosks').append(card);
  $('#empty').hidden = true;
  const k = { card, parts, state: null, exhibits: null, online: true, hall };
  kiosks.set(key, k);
  updateHalls();
  send(key, 'LIST');   // the exhibits for the menu
  return k;
}

function kioskOf(key) { return kiosks.get(key) || makeCard(key); }

function fmtUptime(s) {
  if (s < 120) return Math.round(s) + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}

function onState(key, st) {
  const k = kioskOf(key);
  k.state = st;
  setOnline(key, true);
  const f = k.parts.facts;
  f.exhibit.textContent = st.exhibit || '—';
  if (st.loading) f.exhibit.textContent += ' → ' + st.loading;
  f.state.textContent = st.state + (st.panel ? ' · ' + st.panel : '');
  f.language.textContent = st.language;
  f.hours.textContent = (st.hours || 'open') + (st.hours_next ? ' until ' + st.hours_next.replace('T', ' ') : '');
  f.fps.textContent = st.fps.toFixed(1);
  f.frame.textContent = 'p50 ' + st.frame_ms_p50.toFixed(1) + ' · p99 ' + st.frame_ms_p99.toFixed(1) +
    (st.frame_ms_worst !== undefined ? ' · worst ' + st.frame_ms_worst.toFixed(0) : '');
  f.memory.textContent = st.rss_mb.toFixed(0) + ' MB';
  f.uptime.textContent = fmtUptime(st.uptime_s);
  f.volume.textContent = st.volume;
  f.tour.textContent = st.tour_stops ? (st.tour_stop ? st.tour_stop + '/' + st.tour_stops : 'off') : '—';
  k.parts.error.textContent = st.last_error || '—';
  k.parts.badge.textContent = st.hours === 'closed' ? 'closed' : st.state;
  k.parts.volText.textContent = st.volume;
  if (document.activeElement !== k.parts.range) k.parts.range.value = st.volume;
  if (k.exhibits && st.exhibit && document.activeElement !== k.parts.select) k.parts.select.value = st.exhibit;
}

function setOnline(key, online, why) {
  const k = kioskOf(key);
  k.online = online;
  k.card.classList.toggle('offline', !online);
  const id = 'alert-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
  let a = document.getElementById(id);
  if (online) {
    if (a) a.remove();
    return;
  }
  if (!a) {
    a = el('div', 'alert');
    a.id = id;
    a.setAttribute('role', 'alert');
    $('#alerts').append(a);
  }
  a.textContent = '⚠ ' + key + ' 离线 · offline since ' + new Date().toLocaleTimeString() + ' — ' + (why || '');
}

function onOffline(key, why) {
  setOnline(key, false, why);
  kioskOf(key).parts.badge.textContent = 'offline';
}

function onThumb(key, version) {
  const k = kioskOf(key);
  k.parts.thumb.src = '/api/thumb?k=' + encodeURIComponent(key) + '&v=' + version;
}

function onStats(key, s) {
  const k = kioskOf(key);
  const p = k.parts.stats;
  p.textContent = '';
  const line = el('div');
  const add = (label, value) => { line.append(label + ' '); line.append(el('b', '', String(value))); line.append(' · '); };
  add('今日 Today: visits', s.visits);
  add('dwell', Math.round(s.dwell_s / 60) + ' min');
  add('panels', s.panels);
  add('pages', s.pages);
  add('tours', s.tour_starts + '/' + s.tour_completions);
  line.append('wake-ups ');
  line.append(el('b', '', String(s.wakeups)));
  p.append(line);
  const top = Object.entries(s.booths || {}).sort((a, b) => b[1].visits - a[1].visits).slice(0, 3);
  if (top.length) {
    const ol = el('ol');
    for (const [id, b] of top)
      ol.append(el('li', '', id + ': ' + b.visits + ' visits, ' + Math.round(b.dwell_s) + ' s, ' + b.panels + ' panels, zh ' + b.zh + ' / en ' + b.en));
    p.append(ol);
  }
}

function fillExhibits(k, list) {
  k.exhibits = list.exhibits || [];
  const sel = k.parts.select;
  sel.textContent = '';
  for (const x of k.exhibits) {
    const o = el('option', '', x.zh + ' · ' + x.en);
    o.value = x.id;
    sel.append(o);
  }
  if (k.state && k.state.exhibit) sel.value = k.state.exhibit;
  updateHalls();
}

function log(key, line, reply, ms) {
  const li = el('li', '', new Date().toLocaleTimeString() + ' ' + key + ' ' + line + ' → ' + reply +
    (ms !== undefined ? ' (' + Math.round(ms) + ' ms)' : ''));
  $('#log').prepend(li);
  while ($('#log').children.length > 50) $('#log').lastChild.remove();
}

function onReply(key, id, reply) {
  const k = kioskOf(key);
  const p = id ? pending.get(id) : null;
  const ms = p ? performance.now() - p.t0 : undefined;
  window.__mh.replies.push({ key, id, reply, ms });
  if (p && p.line === 'LIST' && reply.startsWith('OK {')) {
    fillExhibits(k, JSON.parse(reply.slice(3)));
    return;   // the menu, not news for the operator
  }
  if (p) window.__mh.roundTrips.push({ line: p.line, key, ms });
  k.parts.reply.textContent = (p ? p.line + ' → ' : '') + reply;
  k.parts.reply.classList.toggle('err', reply.startsWith('ERR'));
  log(key, p ? p.line : '', reply, ms);
  // a fleet-wide command keeps its id for every kiosk's reply
  if (p && !p.key.endsWith('/all')) pending.delete(id);
}

// ---- every kiosk of a hall -------------------------------------------------------------

function updateHalls() {
  const halls = [...new Set([...kiosks.values()].map((k) => k.hall))];
  const sel = $('#all-hall');
  if (sel.options.length !== halls.length) {
    const keep = sel.value;
    sel.textContent = '';
    for (const h of halls) { const o = el('option', '', h); o.value = h; sel.append(o); }
    if (keep) sel.value = keep;
  }
  const first = [...kiosks.values()].find((k) => k.hall === sel.value && k.exhibits);
  const ex = $('#all-exhibit');
  if (first && ex.options.length !== first.exhibits.length) {
    ex.textContent = '';
    for (const x of first.exhibits) { const o = el('option', '', x.zh + ' · ' + x.en); o.value = x.id; ex.append(o); }
  }
}

$('#all-hall').addEventListener('change', updateHalls);
for (const b of document.querySelectorAll('[data-all]')) {
  b.addEventListener('click', () => {
    const hall = $('#all-hall').value;
    if (!hall) return;
    const what = b.dataset.all;
    send(hall + '/all', what === 'SWITCH' ? 'SWITCH ' + $('#all-exhibit').value : what);
  });
}

start();
