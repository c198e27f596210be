// render.js - the reference renderer inside headless Chromium: three.js
// (MeshStandardMaterial through GLTFLoader, Draco and meshopt decoders from
// the same npm package) draws one scene spec at a time and hands the pixels
// back to render_ref.cjs. Conventions (camera "auto", environment, light,
// time) are the ones README.md documents for metahall.
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { DRACOLoader } from 'three/addons/loaders/DRACOLoader.js';
import { HDRCubeTextureLoader } from 'three/addons/loaders/HDRCubeTextureLoader.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';

const canvas = document.getElementById('c');
const renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: false, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.toneMapping = THREE.NoToneMapping;
renderer.outputColorSpace = THREE.SRGBColorSpace;
const pmrem = new THREE.PMREMGenerator(renderer);
const draco = new DRACOLoader().setDecoderPath('/three/examples/jsm/libs/draco/gltf/');
const loader = new GLTFLoader().setDRACOLoader(draco).setMeshoptDecoder(MeshoptDecoder);
const envCache = new Map();

const AUTO_DIR = new THREE.Vector3(0.5, 0.4, 1).normalize();
const AUTO_FOV = 45;

// three.js looks a loaded cube map up mirrored in x (its flipEnvMap, for
// skyboxes): world direction (x, y, z) reads the GL face texel of (-x, y, z).
// Swapping the +X and -X faces and mirroring every face left to right undoes
// that, so direction d reads the texel OpenGL's cube-map rules give for d,
// as metahall's glTexImage2D(GL_TEXTURE_CUBE_MAP_*) upload does.
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

function prefilter(cube) {
    const rt = pmrem.fromCubemap(toGlConvention(cube));
    cube.dispose();
    return rt.texture;
}

async function loadEnvironment(url) {
    if (!envCache.has(url)) {
        const faces = ['px', 'nx', 'py', 'ny', 'pz', 'nz'].map((f) => `${url}/${f}.hdr`);
        const cube = await new HDRCubeTextureLoader().setDataType(THREE.FloatType).loadAsync(faces);
        envCache.set(url, prefilter(cube));
    }
    return envCache.get(url);
}

// POSITION min/max of every primitive in the default scene, through its
// node's world matrix in the rest pose (identity for skinned meshes)
function restBounds(gltf) {
    const json = gltf.parser.json, box = new THREE.Box3(), corner = new THREE.Vector3();
    gltf.scene.updateMatrixWorld(true);
    gltf.scene.traverse((o) => {
        if (!o.isMesh) return;
        const a = gltf.parser.associations.get(o);
        if (!a || a.meshes === undefined || a.primitives === undefined) return;
        const acc = json.accessors[json.meshes[a.meshes].primitives[a.primitives].attributes.POSITION];
        if (!acc?.min || !acc?.max) throw new Error(`mesh ${a.meshes} primitive ${a.primitives}: POSITION has no min/max`);
        for (let i = 0; i < 8; i++) {
            corner.set(i & 1 ? acc.max[0] : acc.min[0], i & 2 ? acc.max[1] : acc.min[1], i & 4 ? acc.max[2] : acc.min[2]);
            if (!o.isSkinnedMesh) corner.applyMatrix4(o.matrixWorld);
            box.expandByPoint(corner);
        }
    });
    if (box.isEmpty()) throw new Error('the default scene has no mesh');
    return box;
}

function autoCamera(box, w, h) {
    const c = box.getCenter(new THREE.Vector3());
    let r = box.max.distanceTo(box.min) / 2;
    if (!(r > 0)) r = 1;
    const halfY = THREE.MathUtils.degToRad(AUTO_FOV) / 2;
    const half = Math.min(halfY, Math.atan(Math.tan(halfY) * w / h));
    const d = r / Math.sin(half);
    return { eye: c.clone().addScaledVector(AUTO_DIR, d).toArray(), target: c.toArray(), fov: AUTO_FOV, near: d / 100, far: d + 2 * r };
}

function dispose(root) {
    root.traverse((o) => {
        o.geometry?.dispose();
        for (const m of [o.material].flat().filter(Boolean)) {
            for (const v of Object.values(m)) if (v?.isTexture) v.dispose();
            m.dispose();
        }
    });
}

function readPixels(w, h) {
    const gl = renderer.getContext();
    const px = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)           // bottom-up rows -> top-down RGB
        for (let x = 0; x < w; x++) {
            const s = ((h - 1 - y) * w + x) * 4, d = (y * w + x) * 3;
            rgb[d] = px[s]; rgb[d + 1] = px[s + 1]; rgb[d + 2] = px[s + 2];
        }
    let bin = '';
    for (let i = 0; i < rgb.length; i += 0x8000) bin += String.fromCharCode.apply(null, rgb.subarray(i, i + 0x8000));
    return btoa(bin);
}

function draw(scene, cam, w, h, background) {
    const camera = new THREE.PerspectiveCamera(cam.fov, w / h, cam.near, cam.far);
    camera.position.fromArray(cam.eye);
    camera.up.set(0, 1, 0);
    camera.lookAt(new THREE.Vector3().fromArray(cam.target));
    camera.updateMatrixWorld(true);
    renderer.setSize(w, h, false);
    renderer.setClearColor(new THREE.Color().setRGB(background[0] / 255, background[1] / 255, background[2] / 255, THREE.SRGBColorSpace), 1);
    renderer.render(scene, camera);
}

// job: {model, env, size: [w, h], camera, light, envIntensity, time, background}
// (URLs and resolved values from render_ref.cjs). Returns {rgb (base64), camera, bounds}.
window.renderJob = async (job) => {
    const [w, h] = job.size;
    const gltf = await loader.loadAsync(job.model);
    const scene = new THREE.Scene();
    scene.add(gltf.scene);
    const box = restBounds(gltf);
    if (gltf.animations.length) {
        const mixer = new THREE.AnimationMixer(gltf.scene);
        mixer.clipAction(gltf.animations[0]).play();
        mixer.setTime(job.time);
    }
    gltf.scene.traverse((o) => { o.frustumCulled = false; });
    gltf.scene.updateMatrixWorld(true);
    const cam = job.camera === 'auto' ? autoCamera(box, w, h) : job.camera;
    if (job.light.intensity > 0) {
        const sun = new THREE.DirectionalLight(new THREE.Color().setRGB(...job.light.color, THREE.LinearSRGBColorSpace), job.light.intensity);
        sun.position.fromArray(job.light.direction).normalize().multiplyScalar(-1);   // target stays at the origin
        scene.add(sun);
    }
    if (job.env) {
        scene.environment = await loadEnvironment(job.env);
        scene.environmentIntensity = job.envIntensity;
    }
    draw(scene, cam, w, h, job.background);
    const rgb = readPixels(w, h);
    dispose(gltf.scene);
    return { rgb, camera: cam, bounds: { min: box.min.toArray(), max: box.max.toArray() } };
};

// The environment's orientation through the whole material path: a cube
// map whose texels are coloured by the signs of their direction (red x > 0,
// green y > 0, blue z > 0, by OpenGL's face layout), a mirror sphere, and
// cameras in 24 directions off the axes (inside each face, both halves): the
// middle of the sphere reflects the direction toward the camera, so it must
// show that direction's colour. Returns a list of failures (empty when right).
const GL_FACE_DIR = [
    (s, t) => [1, -t, -s], (s, t) => [-1, -t, s], (s, t) => [s, 1, t],
    (s, t) => [s, -1, -t], (s, t) => [s, -t, 1], (s, t) => [-s, -t, -1]];

window.checkOrientation = async () => {
    const n = 16, cube = new THREE.CubeTexture();
    cube.images = GL_FACE_DIR.map((dir) => {
        const data = new Float32Array(n * n * 4);
        for (let j = 0; j < n; j++)
            for (let i = 0; i < n; i++) {
                const d = dir(2 * (i + 0.5) / n - 1, 2 * (j + 0.5) / n - 1);
                data.set([d[0] > 0 ? 1 : 0, d[1] > 0 ? 1 : 0, d[2] > 0 ? 1 : 0, 1], (j * n + i) * 4);
            }
        return new THREE.DataTexture(data, n, n, THREE.RGBAFormat, THREE.FloatType);
    });
    cube.type = THREE.FloatType;
    cube.format = THREE.RGBAFormat;
    cube.colorSpace = THREE.LinearSRGBColorSpace;
    cube.minFilter = cube.magFilter = THREE.NearestFilter;
    cube.generateMipmaps = false;
    const env = prefilter(cube);
    const scene = new THREE.Scene();
    scene.environment = env;
    const ball = new THREE.Mesh(new THREE.SphereGeometry(1, 64, 32), new THREE.MeshStandardMaterial({ color: 0xffffff, metalness: 1, roughness: 0 }));
    scene.add(ball);
    const fails = [];
    for (const [a, b, c] of [[1, 0.55, 0.3], [0.3, 1, 0.55], [0.55, 0.3, 1]])
        for (let k = 0; k < 8; k++) {
            const d = new THREE.Vector3(k & 1 ? -a : a, k & 2 ? -b : b, k & 4 ? -c : c).normalize();
            const camera = new THREE.PerspectiveCamera(10, 1, 0.1, 20);
            camera.position.copy(d).multiplyScalar(6);
            camera.lookAt(0, 0, 0);
            renderer.setSize(16, 16, false);
            renderer.setClearColor(0x808080, 1);
            renderer.render(scene, camera);
            const gl = renderer.getContext(), px = new Uint8Array(4);
            gl.readPixels(8, 8, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
            const want = [d.x > 0, d.y > 0, d.z > 0];
            if (!want.every((on, ch) => (on ? px[ch] > 150 : px[ch] < 60)))
                fails.push(`mirror reflecting ${d.toArray().map((v) => v.toFixed(2))}: expected ${want.map(Number)}, got ${[...px.slice(0, 3)]}`);
        }
    ball.geometry.dispose();
    ball.material.dispose();
    env.dispose();
    return fails;
};

window.rendererInfo = () => {
    const gl = renderer.getContext(), ext = gl.getExtension('WEBGL_debug_renderer_info');
    return { renderer: ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER), three: THREE.REVISION };
};

window.__ready = true;
