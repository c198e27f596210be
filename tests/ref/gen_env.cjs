// gen_env.cjs - writes the default environment for the reference comparison:
// an exhibition hall interior seen from its middle, as a cube map of six
// Radiance RGBE (.hdr) faces in OpenGL's cube-map layout (see README.md,
// "Environment"). Linear radiance, +Y up.
//
//   node gen_env.cjs OUT_DIR [--size N]
//
// The hall is a box room 20 m wide (x), 8 m high (y, the viewer 2 m above the
// floor) and 24 m long (z): a dark ceiling with rows of bright light panels,
// grey walls over a darker wood band, a tiled floor, and a few coloured
// things on the walls so a mirror shows which way it faces: a blue screen on
// +X, a green panel on -X, an orange poster on -Z and a bright glass entrance
// on +Z.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOM = { x: 10, yDown: 2, yUp: 6, z: 12 };
const FACES = ['px', 'nx', 'py', 'ny', 'pz', 'nz'];

// OpenGL cube-map face direction for face f at (sc, tc) in [-1, 1]
// (OpenGL ES 3.0 spec, table 3.21: s = (sc/|ma| + 1)/2, t = (tc/|ma| + 1)/2,
// and the image's first row is t = 0).
function faceDir(f, sc, tc) {
    switch (f) {
    case 0: return [1, -tc, -sc];
    case 1: return [-1, -tc, sc];
    case 2: return [sc, 1, tc];
    case 3: return [sc, -1, -tc];
    case 4: return [sc, -tc, 1];
    default: return [-sc, -tc, -1];
    }
}

const inRect = (u, v, u0, u1, v0, v1) => u >= u0 && u <= u1 && v >= v0 && v <= v1;

function ceiling(x, z) {
    for (const cx of [-6, 0, 6])
        for (const cz of [-8, -4, 0, 4, 8])
            if (inRect(x, z, cx - 1.5, cx + 1.5, cz - 0.6, cz + 0.6)) return [5.0, 4.8, 4.4];
    return [0.10, 0.10, 0.11];
}

function floor(x, z) {
    const fx = x - Math.floor(x), fz = z - Math.floor(z);
    const seam = fx < 0.03 || fz < 0.03;
    return seam ? [0.03, 0.03, 0.03] : [0.16, 0.15, 0.14];
}

// wall(u, y, side): u runs along the wall, y is height above the viewer
function wall(u, y, side) {
    if (y < -1.0) return [0.10, 0.06, 0.035];                        // wood band
    if (side === 'px' && inRect(u, y, -4, 4, -0.2, 3.0)) return [0.25, 0.55, 1.6];   // blue screen
    if (side === 'nx' && inRect(u, y, -3, 3, -0.5, 2.0)) return [0.12, 0.45, 0.15];  // green panel
    if (side === 'nz' && inRect(u, y, -3, 3, 0.0, 3.5)) return [1.5, 0.6, 0.18];     // orange poster
    if (side === 'pz' && inRect(u, y, -5, 5, -2.0, 2.5)) return [2.6, 2.8, 3.0];     // glass entrance
    return [0.32, 0.32, 0.34];
}

function radiance(d) {
    const [dx, dy, dz] = d;
    let t = Infinity, hit = null;
    const test = (tt, what) => { if (tt > 0 && tt < t) { t = tt; hit = what; } };
    if (dx) test((dx > 0 ? ROOM.x : -ROOM.x) / dx, dx > 0 ? 'px' : 'nx');
    if (dy) test((dy > 0 ? ROOM.yUp : -ROOM.yDown) / dy, dy > 0 ? 'py' : 'ny');
    if (dz) test((dz > 0 ? ROOM.z : -ROOM.z) / dz, dz > 0 ? 'pz' : 'nz');
    const x = dx * t, y = dy * t, z = dz * t;
    if (hit === 'py') return ceiling(x, z);
    if (hit === 'ny') return floor(x, z);
    return wall(hit === 'px' || hit === 'nx' ? z : x, y, hit);
}

// Radiance RGBE: a shared exponent byte, mantissas truncated (as Radiance's
// own writer does). Decode: (m + 0.5) * 2^(e - 136), 0 when e = 0.
function rgbe(r, g, b, out, o) {
    const v = Math.max(r, g, b);
    if (v < 1e-32) { out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0; return; }
    let e = Math.floor(Math.log2(v)) + 1;
    if (v / 2 ** e >= 1) e++;
    if (v / 2 ** e < 0.5) e--;
    const s = 256 / 2 ** e;
    out[o] = Math.min(255, Math.floor(r * s));
    out[o + 1] = Math.min(255, Math.floor(g * s));
    out[o + 2] = Math.min(255, Math.floor(b * s));
    out[o + 3] = e + 128;
}

function writeFace(file, f, n) {
    const px = Buffer.alloc(n * n * 4);
    for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) {
            const d = faceDir(f, 2 * (i + 0.5) / n - 1, 2 * (j + 0.5) / n - 1);
            const c = radiance(d);
            rgbe(c[0], c[1], c[2], px, (j * n + i) * 4);
        }
    // flat (not run-length encoded) pixels: a reader that also takes RLE must
    // not mistake the first pixel for an RLE scanline marker (2, 2, <128)
    if (px[0] === 2 && px[1] === 2 && px[2] < 128) throw new Error(`${file}: first pixel looks like an RLE marker`);
    const head = Buffer.from(`#?RADIANCE\n# metahall reference environment, face ${FACES[f]}\nFORMAT=32-bit_rle_rgbe\n\n-Y ${n} +X ${n}\n`, 'latin1');
    fs.writeFileSync(file, Buffer.concat([head, px]));
}

function main() {
    const args = process.argv.slice(2);
    let out = null, n = 128;
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '--size') n = Number(args[++i]);
        else if (!out && !args[i].startsWith('--')) out = args[i];
        else throw new Error(`gen_env: unknown argument "${args[i]}"`);
    }
    if (!out || !Number.isInteger(n) || n < 4 || n > 2048) {
        console.error('usage: node gen_env.cjs OUT_DIR [--size N]');
        process.exit(2);
    }
    fs.mkdirSync(out, { recursive: true });
    FACES.forEach((name, f) => writeFace(path.join(out, `${name}.hdr`), f, n));
}

main();
