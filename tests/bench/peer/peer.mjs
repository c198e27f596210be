// The peer benchmark's driver: serves index.html, bench.js, three and the GLB
// on 127.0.0.1, runs the page in Debian's headless Chromium (llvmpipe through
// ANGLE's GL-EGL backend), samples the browser's memory (summed PSS of its
// process tree) and prints frame-time, startup and memory figures.
//
//   node peer.mjs --glb PATH [--env DIR] [--model] [--size 1280x720]
//                 [--frames 300] [--warmup 30] [--json] [--screenshot FILE.png]
//
// --env DIR: image-based light from six Radiance faces (px.hdr .. nz.hdr, as
// `metahall render --save-env DIR` writes the hall's); --model: the GLB is a
// model alone, flown as `metahall bench --model` flies it (see bench.js).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 900_000;   // a heavy model on llvmpipe takes seconds a frame
const ENV_FACES = ['px', 'nx', 'py', 'ny', 'pz', 'nz'];
const CHROMIUM_ARGS = ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--headless=new',
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic'];

const log = (msg) => process.stderr.write(`peer: ${msg}\n`);
const die = (msg) => { log(msg); process.exit(1); };

function parseArgs(argv) {
  const o = { glb: null, env: null, model: false, w: 1280, h: 720, frames: 300, warmup: 30, json: false, screenshot: null, antialias: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
    const int = (v, min) => { const n = Number(v); if (!Number.isInteger(n) || n < min) die(`${a}: bad number "${v}"`); return n; };
    if (a === '--glb') o.glb = val();
    else if (a === '--env') o.env = val();
    else if (a === '--model') o.model = true;
    else if (a === '--antialias') o.antialias = true;
    else if (a === '--size') {
      const m = /^(\d+)x(\d+)$/.exec(val());
      if (!m || +m[1] < 1 || +m[2] < 1) die('--size must be WxH, e.g. 1280x720');
      [o.w, o.h] = [+m[1], +m[2]];
    } else if (a === '--frames') o.frames = int(val(), 1);
    else if (a === '--warmup') o.warmup = int(val(), 0);
    else if (a === '--json') o.json = true;
    else if (a === '--screenshot') o.screenshot = val();
    else die(`unknown argument "${a}" (usage: node peer.mjs --glb PATH [--env DIR] [--model] [--antialias] [--size WxH] [--frames N] [--warmup N] [--json] [--screenshot FILE.png])`);
  }
  if (!o.glb) die('--glb PATH is required');
  if (!fs.statSync(o.glb, { throwIfNoEntry: false })?.isFile()) die(`GLB not found: ${o.glb}`);
  for (const f of ENV_FACES)
    if (o.env && !fs.statSync(path.join(o.env, `${f}.hdr`), { throwIfNoEntry: false })?.isFile())
      die(`environment face not found: ${path.join(o.env, `${f}.hdr`)}`);
  return o;
}

// Static server: the page, node_modules/three, the GLB (as /hall.glb) and the
// environment's faces (as /env/px.hdr ...).
// Cross-origin isolation gives performance.now() its fine resolution.
function serve(glbPath, envDir) {
  const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.glb': 'model/gltf-binary' };
  const threeDir = path.join(HERE, 'node_modules', 'three');
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (url === '/' || url === '/index.html') file = path.join(HERE, 'index.html');
    else if (url === '/bench.js') file = path.join(HERE, 'bench.js');
    else if (url === '/hall.glb') file = glbPath;
    else if (envDir && ENV_FACES.some((f) => url === `/env/${f}.hdr`)) file = path.join(envDir, path.basename(url));
    else if (url.startsWith('/node_modules/three/')) {
      const f = path.join(HERE, path.normalize(url));
      if (f.startsWith(threeDir + path.sep)) file = f;
    }
    fs.readFile(file ?? '/nonexistent', (err, data) => {
      if (err) { res.writeHead(404).end(); if (url !== '/favicon.ico') log(`404 ${url}`); return; }
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
      res.end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Memory: summed PSS of every process whose command line names our fresh
// user-data dir, and of all their descendants (zygotes, GPU, renderers, utilities).
function browserPss(userDataDir) {
  const procs = new Map(); // pid -> ppid
  const roots = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      procs.set(+d, +stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(userDataDir)) roots.push(+d);
    } catch { /* the process has gone */ }
  }
  const tree = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of procs) if (!tree.has(pid) && tree.has(ppid)) { tree.add(pid); grew = true; }
  }
  let kb = 0, n = 0;
  for (const pid of tree) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) { kb += +m[1]; n++; }
    } catch { /* the process has gone */ }
  }
  return { kb, n };
}

function stats(times) {
  const s = [...times].sort((a, b) => a - b), n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, p99: s[Math.min(n - 1, Math.floor(n * 0.99))], worst: s[n - 1] };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const threeVersion = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules/three/package.json'), 'utf8')).version;
  const server = await serve(path.resolve(o.glb), o.env && path.resolve(o.env));
  const userDataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'metahall-peer-'));
  let context = null, sampler = null, peak = { kb: 0, n: 0 };

  const cleanup = async () => {
    clearInterval(sampler);
    await context?.close().catch(() => {});
    server.close();
    await fs.promises.rm(userDataDir, { recursive: true, force: true });
  };
  const timer = setTimeout(async () => { log(`timed out after ${TIMEOUT_MS / 1000} s`); await cleanup(); process.exit(1); }, TIMEOUT_MS);

  try {
    let failPage, firstFrameAt = 0;
    const failed = new Promise((_, reject) => { failPage = reject; });
    failed.catch(() => {});
    let gotFirst, gotDone;
    const firstFrame = new Promise((r) => { gotFirst = r; });
    const done = new Promise((r) => { gotDone = r; });

    const t0 = performance.now();
    log(`launching Chromium (${o.w}x${o.h}, ${o.warmup} warm-up + ${o.frames} frames)`);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
      viewport: { width: o.w, height: o.h }, deviceScaleFactor: 1,
    });
    sampler = setInterval(() => { const m = browserPss(userDataDir); if (m.kb > peak.kb) peak = m; }, 250);

    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`page ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => failPage(new Error(`page error: ${e.message}`)));
    page.on('crash', () => failPage(new Error('the page crashed')));
    await page.exposeFunction('__peerFirstFrame', (info) => {
      firstFrameAt = performance.now();
      if (!/llvmpipe/.test(info.renderer)) failPage(new Error(`Chromium is not rendering with llvmpipe (UNMASKED_RENDERER_WEBGL = "${info.renderer}")`));
      else { log(`first frame after ${(firstFrameAt - t0).toFixed(0)} ms on ${info.renderer}`); gotFirst(); }
    });
    await page.exposeFunction('__peerDone', (result) => gotDone(result));
    await page.exposeFunction('__peerFail', (msg) => failPage(new Error(`page failed: ${msg}`)));

    const { port } = server.address();
    const qs = new URLSearchParams({ glb: '/hall.glb', w: o.w, h: o.h, frames: o.frames, warmup: o.warmup,
      mode: o.model ? 'model' : 'hall', aa: o.antialias ? 1 : 0, ...(o.env ? { env: '/env' } : {}) });
    await Promise.race([page.goto(`http://127.0.0.1:${port}/?${qs}`), failed]);
    await Promise.race([firstFrame, failed]);
    const r = await Promise.race([done, failed]);
    if (o.screenshot) { await page.screenshot({ path: o.screenshot }); log(`screenshot: ${o.screenshot}`); }
    const last = browserPss(userDataDir);
    if (last.kb > peak.kb) peak = last;

    const s = stats(r.times);
    const out = {
      median_ms: +s.median.toFixed(3), p99_ms: +s.p99.toFixed(3), worst_ms: +s.worst.toFixed(3),
      startup_ms: Math.round(firstFrameAt - t0), pss_mb: +(peak.kb / 1024).toFixed(1), processes: peak.n,
      draw_calls: r.draw_calls, triangles: r.triangles, renderer: r.renderer,
      mode: r.mode, environment: r.environment, materials: r.materials,
      width: r.width, height: r.height, frames: r.times.length, three_version: threeVersion,
    };
    if (o.json) process.stdout.write(JSON.stringify(out) + '\n');
    else {
      const rows = [
        ['frame median', `${out.median_ms.toFixed(2)} ms`], ['frame p99', `${out.p99_ms.toFixed(2)} ms`],
        ['frame worst', `${out.worst_ms.toFixed(2)} ms`], ['startup', `${out.startup_ms} ms`],
        ['memory (PSS)', `${out.pss_mb} MiB in ${out.processes} processes`],
        ['draw calls', out.draw_calls], ['triangles', out.triangles],
        ['lighting', out.environment ? 'sun + image-based light (--env)' : 'sun + hemisphere'],
        ['materials', Object.entries(out.materials).map(([k, n]) => `${n} ${k}`).join(', ')],
        ['size', `${out.width}x${out.height}`], ['frames', out.frames],
        ['renderer', out.renderer], ['three', out.three_version],
      ];
      for (const [k, v] of rows) process.stdout.write(`${k.padEnd(14)} ${v}\n`);
    }
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

main().catch((e) => die(String(e.message ?? e).split('\n')[0]));
