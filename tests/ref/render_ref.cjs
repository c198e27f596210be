// render_ref.cjs - the reference renderer: draws scene specs (README.md,
// "Scene spec") with three.js in Debian's headless Chromium on llvmpipe and
// writes one PNG per spec, plus OUT.png.json with the camera it used (the
// resolved "auto" camera) and the model's rest-pose bounds. One browser for
// the whole list; the page is served from 127.0.0.1, nothing from outside.
//
//   NODE_PATH=<npm dir>/node_modules node render_ref.cjs SPEC.json OUT.png [SPEC.json OUT.png ...]
//
// Before the first scene it checks the environment's orientation (a mirror
// ball in a six-colour cube) and that Chromium draws with llvmpipe; either
// failing stops it with exit status 1.
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { encodePng } = require('./png.cjs');

const CHROMIUM = process.env.MH_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-extensions', '--disable-default-apps', '--mute-audio'];
const TIMEOUT_MS = 240_000;       // the whole list
const JOB_TIMEOUT_MS = 60_000;    // one scene
const THREE_DIR = path.resolve(path.dirname(require.resolve('three')), '..');   // .../three/build/three.cjs
const PAGE_DIR = path.join(__dirname, 'page');

const log = (m) => process.stderr.write(`render_ref: ${m}\n`);

// Reads a spec, resolves its paths (relative to the spec file) and defaults.
function loadSpec(file) {
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    const where = (k) => `${file}: ${k}`;
    const vec = (v, n, k) => {
        if (!Array.isArray(v) || v.length !== n || !v.every(Number.isFinite)) throw new Error(where(`${k} must be ${n} numbers`));
        return v;
    };
    if (typeof s.model !== 'string') throw new Error(where('"model" (a path) is required'));
    const base = path.dirname(path.resolve(file));
    const model = path.resolve(base, s.model);
    if (!fs.existsSync(model)) throw new Error(where(`model not found: ${model}`));
    const size = vec(s.size ?? [512, 512], 2, 'size');
    let camera = s.camera ?? 'auto';
    if (camera !== 'auto') {
        camera = { eye: vec(camera.eye, 3, 'camera.eye'), target: vec(camera.target, 3, 'camera.target'),
            fov: camera.fov ?? 45, near: camera.near ?? 0.1, far: camera.far ?? 100 };
    }
    const l = s.light ?? {};
    const light = { direction: vec(l.direction ?? [1, -2, -1.5], 3, 'light.direction'),
        color: vec(l.color ?? [1, 1, 1], 3, 'light.color'), intensity: l.intensity ?? 1.2 };
    const e = s.environment === undefined ? {} : s.environment;
    const env = e === null ? null : path.resolve(base, e.cube ?? 'env/hall');
    if (env && !fs.existsSync(path.join(env, 'px.hdr'))) throw new Error(where(`environment cube not found: ${env}/px.hdr`));
    return { model, size, camera, light, env, envIntensity: e?.intensity ?? 1, time: s.time ?? 0,
        background: vec(s.background ?? [40, 44, 52], 3, 'background') };
}

// Serves the page, three's npm tree and the folders of the models and
// environments (as /f/N/...); nothing else.
function serve(roots) {
    const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
        '.json': 'application/json', '.gltf': 'model/gltf+json', '.glb': 'model/gltf-binary', '.png': 'image/png', '.jpg': 'image/jpeg' };
    const within = (dir, rel) => {
        const f = path.join(dir, path.normalize('/' + rel));
        return f.startsWith(dir + path.sep) ? f : null;
    };
    const server = http.createServer((req, res) => {
        const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        let file = null, m;
        if (url === '/') file = path.join(PAGE_DIR, 'index.html');
        else if (url.startsWith('/page/')) file = within(PAGE_DIR, url.slice(6));
        else if (url.startsWith('/three/')) file = within(THREE_DIR, url.slice(7));
        else if ((m = /^\/f\/(\d+)\/(.*)$/.exec(url)) && roots[+m[1]]) file = within(roots[+m[1]], m[2]);
        fs.readFile(file ?? '/nonexistent', (err, data) => {
            if (err) { res.writeHead(404).end(); if (url !== '/favicon.ico') log(`404 ${url}`); return; }
            res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
            res.end(data);
        });
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

function rootUrl(roots, dir) {
    let i = roots.indexOf(dir);
    if (i < 0) i = roots.push(dir) - 1;
    return `/f/${i}`;
}

async function main() {
    const args = process.argv.slice(2);
    if (args.length === 0 || args.length % 2) {
        log('usage: node render_ref.cjs SPEC.json OUT.png [SPEC.json OUT.png ...]');
        process.exit(2);
    }
    const jobs = [];
    for (let i = 0; i < args.length; i += 2) jobs.push({ spec: loadSpec(args[i]), file: args[i], out: args[i + 1] });
    const roots = [];
    const server = await serve(roots);
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metahall-ref-'));
    let context = null;
    const timer = setTimeout(() => { log(`timed out after ${TIMEOUT_MS / 1000} s`); process.exit(1); }, TIMEOUT_MS);
    try {
        const t0 = Date.now();
        context = await chromium.launchPersistentContext(userDataDir, {
            executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 64, height: 64 }, deviceScaleFactor: 1,
        });
        const page = context.pages()[0] ?? await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('crash', () => errors.push('the page crashed'));
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        await page.waitForFunction(() => window.__ready === true || null, null, { timeout: 60_000 }).catch(() => {
            throw new Error(`the page did not start: ${errors.join('; ') || 'no error reported'}`);
        });
        const info = await page.evaluate(() => window.rendererInfo());
        if (!/llvmpipe/.test(info.renderer)) throw new Error(`Chromium is not drawing with llvmpipe (renderer "${info.renderer}")`);
        const fails = await page.evaluate(() => window.checkOrientation());
        if (fails.length) throw new Error(`environment orientation is wrong:\n  ${fails.join('\n  ')}`);
        log(`Chromium ready in ${Date.now() - t0} ms (three r${info.three}, ${info.renderer})`);
        for (const j of jobs) {
            const s = j.spec, t1 = Date.now();
            const job = { ...s, model: `${rootUrl(roots, path.dirname(s.model))}/${encodeURIComponent(path.basename(s.model))}`,
                env: s.env && rootUrl(roots, s.env) };
            errors.length = 0;
            let stall;
            const r = await Promise.race([
                page.evaluate((job) => window.renderJob(job), job),
                new Promise((_, reject) => { stall = setTimeout(() => reject(new Error(`no image after ${JOB_TIMEOUT_MS / 1000} s`)), JOB_TIMEOUT_MS); }),
            ]).catch((e) => {
                throw new Error(`${j.file}: ${String(e.message).split('\n')[0]}${errors.length ? ` (${errors.join('; ')})` : ''}`);
            }).finally(() => clearTimeout(stall));
            const [w, h] = s.size;
            fs.writeFileSync(j.out, encodePng(Buffer.from(r.rgb, 'base64'), w, h, 3));
            fs.writeFileSync(`${j.out}.json`, JSON.stringify({
                spec: j.file, model: s.model, camera: r.camera, bounds: r.bounds, renderer: info.renderer, three: info.three,
            }, null, 1) + '\n');
            log(`${path.basename(j.out)} (${Date.now() - t1} ms)`);
        }
    } finally {
        clearTimeout(timer);
        await context?.close().catch(() => {});
        server.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
    }
}

main().catch((e) => { log(String(e.message ?? e)); process.exit(1); });
