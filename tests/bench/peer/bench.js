// The peer benchmark's page script: loads the GLB named by ?glb=, lights it as
// the native renderer does, flies a fixed camera path and reports per-frame
// times to the driver (peer.mjs) through the bindings it exposes:
// __peerFirstFrame(info), __peerDone(result) and __peerFail(message).
//
// ?mode=hall (default): the exported hall on `metahall bench`'s orbit, lit by
// its sun and, with ?env=, by metahall's own image-based light (the six
// Radiance faces `metahall render --save-env` writes), else by a hemisphere.
// ?mode=model: a model alone on `metahall bench --model`'s orbit, lit as
// `metahall render --model` lights it by default (one directional light and
// the environment from ?env=).
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { HDRCubeTextureLoader } from 'three/examples/jsm/loaders/HDRCubeTextureLoader.js';

const q = new URLSearchParams(location.search);
const W = +q.get('w'), H = +q.get('h');
const FRAMES = +q.get('frames'), WARMUP = +q.get('warmup');
const MODE = q.get('mode') || 'hall', ENV = q.get('env');

const linear = (c) => new THREE.Color().setRGB(c[0], c[1], c[2], THREE.LinearSRGBColorSpace);
const nextTask = () => new Promise((r) => setTimeout(r, 0));

// three.js looks a loaded cube map up mirrored in x (its flipEnvMap): swap the
// +X and -X faces and mirror every face left to right, so direction d reads
// the texel OpenGL's cube-map rules give for d, as metahall's upload does
// (tests/ref/page/render.js does the same and checks it).
function toGlConvention(cube) {
  const imgs = cube.images;
  [imgs[0], imgs[1]] = [imgs[1], imgs[0]];
  for (const img of imgs) {
    const { data, width: w, height: h } = img.image;
    const c = data.length / (w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w >> 1; x++)
        for (let k = 0; k < c; k++) {
          const a = (y * w + x) * c + k, b = (y * w + (w - 1 - x)) * c + k;
          [data[a], data[b]] = [data[b], data[a]];
        }
  }
  cube.needsUpdate = true;
  return cube;
}

// The six faces, prefiltered by PMREMGenerator (what scene.environment wants).
async function loadEnvironment(renderer, url) {
  const faces = ['px', 'nx', 'py', 'ny', 'pz', 'nz'].map((f) => `${url}/${f}.hdr`);
  const cube = await new HDRCubeTextureLoader().setDataType(THREE.FloatType).loadAsync(faces);
  const pmrem = new THREE.PMREMGenerator(renderer);
  const rt = pmrem.fromCubemap(toGlConvention(cube));
  cube.dispose();
  pmrem.dispose();
  return rt.texture;
}

// Material classes as GLTFLoader made them (metallic-roughness: MeshStandardMaterial).
function materialKinds(root) {
  const seen = new Set(), kinds = {};
  root.traverse((o) => {
    for (const m of [o.material].flat().filter(Boolean))
      if (!seen.has(m)) { seen.add(m); kinds[m.type] = (kinds[m.type] || 0) + 1; }
  });
  return kinds;
}

// metahall bench's hall orbit (platform/mh_bench.c): a circle at eye height.
function hallPath(box, camera) {
  const c = box.getCenter(new THREE.Vector3()), size = box.getSize(new THREE.Vector3());
  const y = box.min.y + 1.6, r = 0.5 * Math.min(size.x, size.z) / 2;
  Object.assign(camera, { fov: 60, near: 0.05, far: Math.max(100, 4 * size.length()) });
  return (k) => {
    const a = 2 * Math.PI * k / FRAMES;
    camera.position.set(c.x + r * Math.sin(a), y, c.z + r * Math.cos(a));
    camera.lookAt(c.x, y, c.z);
  };
}

// metahall bench --model's orbit: render --model's auto camera (the bounding
// sphere fits the narrower side at 45 degrees, seen from (0.5, 0.4, 1)),
// turned about the vertical through the box's centre.
function modelPath(box, camera) {
  const c = box.getCenter(new THREE.Vector3());
  const r = box.max.distanceTo(box.min) / 2 || 1;
  const halfY = THREE.MathUtils.degToRad(45) / 2, half = Math.min(halfY, Math.atan(Math.tan(halfY) * W / H));
  const d = r / Math.sin(half), k = 1 / Math.hypot(0.5, 0.4, 1), hor = d * Math.hypot(0.5, 1) * k;
  const a0 = Math.atan2(0.5, 1);
  Object.assign(camera, { fov: 45, near: d / 100, far: d + 2 * r });
  return (i) => {
    const a = a0 + 2 * Math.PI * i / FRAMES;
    camera.position.set(c.x + hor * Math.sin(a), c.y + d * 0.4 * k, c.z + hor * Math.cos(a));
    camera.lookAt(c);
  };
}

async function main() {
  const renderer = new THREE.WebGLRenderer({ antialias: q.get('aa') === '1', powerPreference: 'high-performance' });
  renderer.setPixelRatio(1);
  renderer.setSize(W, H);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  renderer.toneMapping = THREE.NoToneMapping;
  renderer.shadowMap.enabled = false;
  document.body.appendChild(renderer.domElement);

  const gl = renderer.getContext();
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  const rendererString = dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : '(WEBGL_debug_renderer_info unavailable)';

  const [gltf, env] = await Promise.all([new GLTFLoader().loadAsync(q.get('glb')),
    ENV ? loadEnvironment(renderer, ENV) : null]);
  const scene = gltf.scene;
  const box = new THREE.Box3().setFromObject(scene);
  if (box.isEmpty()) throw new Error('the GLB has no geometry');
  if (env) { scene.environment = env; scene.environmentIntensity = 1; }   // saved at the level metahall lights with

  const camera = new THREE.PerspectiveCamera(60, W / H, 0.05, 100);
  camera.up.set(0, 1, 0);
  let setCamera;
  if (MODE === 'model') {
    // render --model's defaults: light (1, -2, -1.5) white at 1.2, background 40, 44, 52
    const sun = new THREE.DirectionalLight(0xffffff, 1.2);
    sun.position.set(-1, 2, 1.5);
    scene.add(sun);
    renderer.setClearColor(new THREE.Color().setRGB(40 / 255, 44 / 255, 52 / 255, THREE.SRGBColorSpace));
    setCamera = modelPath(box, camera);
  } else {
    // The hall's own lighting (scene extras "metahall_lighting"). metahall's
    // sun gives a white wall facing it sun_color, i.e. irradiance pi x
    // sun_color; three.js's DirectionalLight gives irradiance color x intensity.
    const L = scene.userData && scene.userData.metahall_lighting;
    const sun = new THREE.DirectionalLight(L ? linear(L.sun) : 0xffffff, env ? Math.PI : 1);
    sun.position.fromArray(L ? L.sun_dir : [-0.35, 1, 0.55]);
    sun.target.position.set(0, 0, 0);
    scene.add(sun, sun.target);
    if (!env) scene.add(L ? new THREE.HemisphereLight(linear(L.sky), linear(L.ground), 1)
                          : new THREE.HemisphereLight(0xbfc8d8, 0x302830, 1));
    const clear = L ? linear(L.clear) : new THREE.Color(0x06080f);
    renderer.setClearColor(clear);
    // metahall fogs with 1 - exp(-density d); three.js's FogExp2 is
    // 1 - exp(-(density d)^2): the same per-pixel work, a different curve.
    if (env && L && L.fog_density > 0) scene.fog = new THREE.FogExp2(clear, L.fog_density);
    setCamera = hallPath(box, camera);
  }
  camera.updateProjectionMatrix();

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
    times, renderer: rendererString, width: W, height: H, mode: MODE, environment: !!env,
    materials: materialKinds(scene),
    draw_calls: renderer.info.render.calls, triangles: renderer.info.render.triangles,
  });
}

main().catch((e) => window.__peerFail(String(e && e.stack || e)));
