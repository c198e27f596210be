// The peer benchmark's page script: loads the GLB named by ?glb=, lights it as
// the native renderer does, flies the fixed circular camera path and reports
// per-frame times to the driver (peer.mjs) through the bindings it exposes:
// __peerFirstFrame(info), __peerDone(result) and __peerFail(message).
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

const q = new URLSearchParams(location.search);
const W = +q.get('w'), H = +q.get('h');
const FRAMES = +q.get('frames'), WARMUP = +q.get('warmup');

const linear = (c) => new THREE.Color().setRGB(c[0], c[1], c[2], THREE.LinearSRGBColorSpace);
const nextTask = () => new Promise((r) => setTimeout(r, 0));

async function main() {
  const renderer = new THREE.WebGLRenderer({ antialias: false, powerPreference: 'high-performance' });
  renderer.setPixelRatio(1);
  renderer.setSize(W, H);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  renderer.toneMapping = THREE.NoToneMapping;
  renderer.shadowMap.enabled = false;
  document.body.appendChild(renderer.domElement);

  const gl = renderer.getContext();
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  const rendererString = dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : '(WEBGL_debug_renderer_info unavailable)';

  const gltf = await new GLTFLoader().loadAsync(q.get('glb'));
  const scene = gltf.scene;

  // Camera path: a circle at eye height around the hall's centre (the native
  // renderer flies the same one), from the bounds of the scene as loaded.
  const box = new THREE.Box3().setFromObject(scene);
  if (box.isEmpty()) throw new Error('the GLB has no geometry');
  const c = box.getCenter(new THREE.Vector3()), size = box.getSize(new THREE.Vector3());

  // Lighting: the hall's own (scene extras "metahall_lighting") or the default.
  const L = scene.userData && scene.userData.metahall_lighting;
  const sun = L ? new THREE.DirectionalLight(linear(L.sun), 1) : new THREE.DirectionalLight(0xffffff, 1);
  sun.position.fromArray(L ? L.sun_dir : [-0.35, 1, 0.55]);
  sun.target.position.set(0, 0, 0);
  scene.add(L ? new THREE.HemisphereLight(linear(L.sky), linear(L.ground), 1)
              : new THREE.HemisphereLight(0xbfc8d8, 0x302830, 1));
  scene.add(sun, sun.target);
  renderer.setClearColor(L ? linear(L.clear) : new THREE.Color(0x06080f));

  const y = box.min.y + 1.6, r = 0.5 * Math.min(size.x, size.z) / 2;
  const camera = new THREE.PerspectiveCamera(60, W / H, 0.05, Math.max(100, 4 * size.length()));
  const setCamera = (k) => {
    const a = 2 * Math.PI * k / FRAMES;
    camera.position.set(c.x + r * Math.sin(a), y, c.z + r * Math.cos(a));
    camera.up.set(0, 1, 0);
    camera.lookAt(c.x, y, c.z);
  };

  const pixel = new Uint8Array(4);
  const frame = (k) => {
    const t0 = performance.now();
    setCamera(k);
    renderer.render(scene, camera);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel); // waits for the GPU process
    return performance.now() - t0;
  };

  frame(0);
  await window.__peerFirstFrame({ renderer: rendererString });
  await nextTask();

  for (let k = 0; k < WARMUP; k++) { frame(k); await nextTask(); }
  const times = [];
  for (let k = 0; k < FRAMES; k++) { times.push(frame(k)); await nextTask(); }

  await window.__peerDone({
    times, renderer: rendererString, width: W, height: H,
    draw_calls: renderer.info.render.calls, triangles: renderer.info.render.triangles,
  });
}

main().catch((e) => window.__peerFail(String(e && e.stack || e)));
