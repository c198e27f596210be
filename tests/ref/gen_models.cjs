// gen_models.cjs - writes the generated test models of the reference
// comparison (glTF-Transform), one .glb per feature of the PBR issue (see
// README.md, "Test models"). Everything is computed here: geometry, the
// small PNG textures, animations. Same script, same bytes.
//
//   NODE_PATH=<npm dir>/node_modules node gen_models.cjs OUT_DIR
//
// mesh_meshopt.glb is made from mesh.glb afterwards by compare.sh with
// Debian's gltfpack (the same meshoptimizer version as libmeshoptimizer-dev).
'use strict';
const fs = require('fs');
const path = require('path');
const { Document, NodeIO } = require('@gltf-transform/core');
const {
    KHRDracoMeshCompression, KHRLightsPunctual, KHRMaterialsEmissiveStrength, KHRMaterialsUnlit,
    KHRTextureTransform, ALL_EXTENSIONS,
} = require('@gltf-transform/extensions');
const draco3d = require('draco3dgltf');
const { encodePng } = require('./png.cjs');

/* ---------- small maths ---------- */
const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a, s) => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a) => { const l = Math.hypot(a[0], a[1], a[2]) || 1; return scale(a, 1 / l); };
const quatAxis = (axis, deg) => {
    const h = deg * Math.PI / 360, s = Math.sin(h), n = norm(axis);
    return [n[0] * s, n[1] * s, n[2] * s, Math.cos(h)];
};

/* ---------- geometry ----------
 * grid(segU, segV, f): f(u, v) -> {p, n, t?} for u, v in [0, 1]; glTF
 * texture coordinates are (u, v) with v down the image. Triangles wind
 * counter-clockwise seen from the side the normals point to. Tangents, when
 * f gives t (the direction of +u), get w so that cross(n, t) * w points up
 * the image (toward -v), as MikkTSpace gives for glTF's coordinates. */
function grid(segU, segV, f) {
    const pos = [], nrm = [], uv = [], tan = [], idx = [];
    let hasT = false;
    for (let j = 0; j <= segV; j++)
        for (let i = 0; i <= segU; i++) {
            const u = i / segU, v = j / segV, s = f(u, v);
            pos.push(...s.p); nrm.push(...norm(s.n)); uv.push(u, v);
            if (s.t) {
                hasT = true;
                const e = 1e-4, dv = sub(f(u, Math.min(1, v + e)).p, f(u, Math.max(0, v - e)).p);
                const w = dot(cross(s.n, s.t), scale(dv, -1)) >= 0 ? 1 : -1;
                tan.push(...norm(s.t), w);
            }
        }
    const row = segU + 1;
    for (let j = 0; j < segV; j++)
        for (let i = 0; i < segU; i++) {
            const a = j * row + i, b = a + 1, c = a + row, d = c + 1;
            idx.push(a, c, b, b, c, d);
        }
    const g = { pos, nrm, uv, tan: hasT ? tan : null, idx };
    orient(g);
    return g;
}

// flips every triangle when the mesh's triangles face against its normals
function orient(g) {
    let votes = 0;
    for (let k = 0; k < g.idx.length; k += 3) {
        const P = (i) => g.pos.slice(3 * g.idx[k + i], 3 * g.idx[k + i] + 3);
        const fn = cross(sub(P(1), P(0)), sub(P(2), P(0)));
        const n = add(add(g.nrm.slice(3 * g.idx[k], 3 * g.idx[k] + 3), g.nrm.slice(3 * g.idx[k + 1], 3 * g.idx[k + 1] + 3)),
            g.nrm.slice(3 * g.idx[k + 2], 3 * g.idx[k + 2] + 3));
        votes += Math.sign(dot(fn, n));
    }
    if (votes < 0)
        for (let k = 0; k < g.idx.length; k += 3) [g.idx[k + 1], g.idx[k + 2]] = [g.idx[k + 2], g.idx[k + 1]];
}

// a UV sphere: u around (+u to the right seen from +Z), v from the top pole
const sphere = (r = 1, su = 48, sv = 24) => grid(su, sv, (u, v) => {
    const ph = 2 * Math.PI * u, th = Math.PI * v;
    const n = [-Math.cos(ph) * Math.sin(th), Math.cos(th), Math.sin(ph) * Math.sin(th)];
    return { p: scale(n, r), n, t: [Math.sin(ph), 0, Math.cos(ph)] };
});

// a w x h rectangle facing +Z, centred on the origin
const quad = (w = 2, h = 2, seg = 1) => grid(seg, seg, (u, v) => ({ p: [(u - 0.5) * w, (0.5 - v) * h, 0], n: [0, 0, 1], t: [1, 0, 0] }));

// merges meshes made by grid() (for boxes)
function merge(parts) {
    const g = { pos: [], nrm: [], uv: [], tan: [], idx: [] };
    for (const p of parts) {
        const base = g.pos.length / 3;
        g.pos.push(...p.pos); g.nrm.push(...p.nrm); g.uv.push(...p.uv); g.tan.push(...p.tan);
        g.idx.push(...p.idx.map((i) => i + base));
    }
    return g;
}

// a cube of side s: each face carries the whole texture, upright
function box(s = 1) {
    const h = s / 2;
    const face = (n, right, up) => grid(1, 1, (u, v) => ({
        p: add(add(scale(n, h), scale(right, (u - 0.5) * s)), scale(up, (0.5 - v) * s)), n, t: right,
    }));
    return merge([
        face([0, 0, 1], [1, 0, 0], [0, 1, 0]), face([0, 0, -1], [-1, 0, 0], [0, 1, 0]),
        face([1, 0, 0], [0, 0, -1], [0, 1, 0]), face([-1, 0, 0], [0, 0, 1], [0, 1, 0]),
        face([0, 1, 0], [1, 0, 0], [0, 0, -1]), face([0, -1, 0], [1, 0, 0], [0, 0, 1]),
    ]);
}

// an open cylinder along +Y from y = 0 to y = h
const cylinder = (r, h, su, sv) => grid(su, sv, (u, v) => {
    const ph = 2 * Math.PI * u, n = [Math.sin(ph), 0, Math.cos(ph)];
    return { p: [r * n[0], h * (1 - v), r * n[2]], n };
});

// a (p, q) torus knot tube (the compressed-mesh test)
function torusKnot(R = 1, r = 0.3, tubular = 256, radial = 16, p = 2, q = 3) {
    const curve = (t) => {
        const a = t * p * 2 * Math.PI, qa = q / p * a, cs = Math.cos(qa);
        return [R * (2 + cs) * 0.5 * Math.cos(a), R * (2 + cs) * 0.5 * Math.sin(a), R * Math.sin(qa) * 0.5];
    };
    return grid(tubular, radial, (u, v) => {
        const c = curve(u), e = 1e-4, T = norm(sub(curve(u + e), curve(u - e)));
        const N0 = add(curve(u + e), curve(u - e)), B = norm(cross(T, N0)), N = cross(B, T);
        const a = 2 * Math.PI * v, n = add(scale(N, Math.cos(a)), scale(B, Math.sin(a)));
        return { p: add(c, scale(n, r)), n };
    });
}

/* ---------- textures (PNG bytes) ---------- */
function image(w, h, fn, channels = 4) {
    const px = new Uint8Array(w * h * channels);
    for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
            const c = fn(x, y);
            for (let k = 0; k < channels; k++) px[(y * w + x) * channels + k] = Math.max(0, Math.min(255, Math.round(c[k] ?? 255)));
        }
    return encodePng(px, w, h, channels);
}

// quadrants red / green / blue / white under a fine checker and a dark
// corner mark at the top left: any flip, rotation or offset shows
const quadrantTex = () => image(64, 64, (x, y) => {
    const q = (x < 32 ? 0 : 1) + (y < 32 ? 0 : 2);
    const base = [[220, 40, 40], [40, 200, 60], [40, 80, 230], [235, 235, 235]][q];
    const k = ((x >> 3) + (y >> 3)) & 1 ? 1 : 0.7;
    const mark = x < 10 && y < 10 ? 0.15 : 1;
    return base.map((c) => c * k * mark);
}, 3);

// 4 x 4 raised domes in tangent space (+X right, +Y up the image)
const domeNormalTex = (n = 256) => image(n, n, (x, y) => {
    const cell = n / 4, cx = (Math.floor(x / cell) + 0.5) * cell, cy = (Math.floor(y / cell) + 0.5) * cell;
    const R = cell * 0.42, dx = (x + 0.5 - cx) / R, dy = -(y + 0.5 - cy) / R, rr = dx * dx + dy * dy;
    const v = rr < 1 ? [dx, dy, Math.sqrt(1 - rr)] : [0, 0, 1];
    return v.map((c) => (c * 0.5 + 0.5) * 255);
}, 3);

// alpha falling from 1 in the middle to 0 at the edge (MASK discs)
const radialAlphaTex = () => image(64, 64, (x, y) => {
    const r = Math.hypot(x + 0.5 - 32, y + 0.5 - 32) / 32;
    return [60, 190, 200, 255 * Math.max(0, 1 - r)];
});

const stripesTex = () => image(64, 64, (x, y) => ((y >> 3) & 1 ? [255, 255, 255] : [40, 40, 40]), 3);

// occlusion (red channel) dark in a cross, for TEXCOORD_1
const occlusionTex = () => image(64, 64, (x, y) => {
    const dark = Math.abs(x - 32) < 6 || Math.abs(y - 16) < 5;
    const v = dark ? 40 : 255;
    return [v, v, v];
}, 3);

// metallic (blue) in the left half, roughness (green) rising downward
const metalRoughTex = () => image(64, 64, (x, y) => [0, 30 + y * 3.5, x < 32 ? 255 : 0], 3);

/* ---------- document helpers ---------- */
class Builder {
    constructor() {
        this.doc = new Document();
        this.buf = this.doc.createBuffer();
        this.scene = this.doc.createScene('scene');
        this.doc.getRoot().setDefaultScene(this.scene);
        this.doc.getRoot().getAsset().generator = 'metahall tests/ref/gen_models.cjs';
    }
    acc(arr, type, normalized = false) {
        return this.doc.createAccessor().setArray(arr).setType(type).setNormalized(normalized).setBuffer(this.buf);
    }
    // a primitive from grid() geometry; opts: {tangents: false, uv1: array, colors: {arr, type, normalized}}
    // (primitives made from the same geometry share its accessors)
    prim(g, mat, opts = {}) {
        this.shared ??= new WeakMap();
        if (!this.shared.has(g)) {
            const n = g.pos.length / 3;
            this.shared.set(g, {
                POSITION: this.acc(new Float32Array(g.pos), 'VEC3'),
                NORMAL: this.acc(new Float32Array(g.nrm), 'VEC3'),
                TEXCOORD_0: this.acc(new Float32Array(g.uv), 'VEC2'),
                indices: this.acc(n > 65535 ? new Uint32Array(g.idx) : new Uint16Array(g.idx), 'SCALAR'),
            });
        }
        const a = this.shared.get(g);
        const p = this.doc.createPrimitive().setAttribute('POSITION', a.POSITION).setAttribute('NORMAL', a.NORMAL)
            .setAttribute('TEXCOORD_0', a.TEXCOORD_0).setIndices(a.indices);
        if (opts.tangents && g.tan) p.setAttribute('TANGENT', a.TANGENT ??= this.acc(new Float32Array(g.tan), 'VEC4'));
        if (opts.uv1) p.setAttribute('TEXCOORD_1', this.acc(new Float32Array(opts.uv1), 'VEC2'));
        if (opts.colors) p.setAttribute('COLOR_0', this.acc(opts.colors.arr, opts.colors.type, !!opts.colors.normalized));
        if (mat) p.setMaterial(mat);
        return p;
    }
    mesh(name, prims) {
        const m = this.doc.createMesh(name);
        for (const p of prims) m.addPrimitive(p);
        return m;
    }
    // a node in the scene (or under parent) holding mesh, at t, with rotation r and scale s
    node(name, mesh, t = [0, 0, 0], r = null, s = null, parent = null) {
        const n = this.doc.createNode(name).setTranslation(t);
        if (mesh) n.setMesh(mesh);
        if (r) n.setRotation(r);
        if (s) n.setScale(s);
        (parent ?? this.scene).addChild(n);
        return n;
    }
    material(name, o = {}) {
        const m = this.doc.createMaterial(name)
            .setBaseColorFactor(o.color ?? [0.8, 0.8, 0.8, 1])
            .setMetallicFactor(o.metallic ?? 0)
            .setRoughnessFactor(o.roughness ?? 0.5);
        if (o.emissive) m.setEmissiveFactor(o.emissive);
        if (o.alphaMode) m.setAlphaMode(o.alphaMode);
        if (o.alphaCutoff !== undefined) m.setAlphaCutoff(o.alphaCutoff);
        if (o.doubleSided) m.setDoubleSided(true);
        return m;
    }
    texture(name, png) {
        return this.doc.createTexture(name).setImage(png).setMimeType('image/png');
    }
    transform(o) {
        this.tt ??= this.doc.createExtension(KHRTextureTransform);
        const t = this.tt.createTransform();
        if (o.offset) t.setOffset(o.offset);
        if (o.rotation) t.setRotation(o.rotation);
        if (o.scale) t.setScale(o.scale);
        return t;
    }
    // keyframe animation channel(s): chans = [{node, path, times, values, interp}]
    animation(name, chans) {
        const a = this.doc.createAnimation(name);
        for (const c of chans) {
            const type = { translation: 'VEC3', scale: 'VEC3', rotation: 'VEC4', weights: 'SCALAR' }[c.path];
            const s = this.doc.createAnimationSampler()
                .setInput(this.acc(new Float32Array(c.times), 'SCALAR'))
                .setOutput(this.acc(new Float32Array(c.values.flat()), type))
                .setInterpolation(c.interp ?? 'LINEAR');
            a.addSampler(s).addChannel(this.doc.createAnimationChannel().setTargetNode(c.node).setTargetPath(c.path).setSampler(s));
        }
        return a;
    }
}

/* ---------- the models ---------- */
const MODELS = {};

// 5 x 5 spheres: metallic 0..1 left to right, roughness 0..1 top to bottom
MODELS.spheres_grid = (b) => {
    const g = sphere(1, 48, 24);
    for (let row = 0; row < 5; row++)
        for (let col = 0; col < 5; col++) {
            const m = b.material(`metal ${col / 4} rough ${row / 4}`, { color: [0.95, 0.64, 0.54, 1], metallic: col / 4, roughness: row / 4 });
            b.node(`sphere m${col} r${row}`, b.mesh(`sphere m${col} r${row}`, [b.prim(g, m)]), [(col - 2) * 2.5, (2 - row) * 2.5, 0]);
        }
};

// the same domes normal map on a sphere and a quad, with TANGENT in the file or without
function normalMap(b, tangents) {
    const tex = b.texture('domes', domeNormalTex());
    const m = b.material('domes', { color: [0.75, 0.75, 0.78, 1], metallic: 0.0, roughness: 0.35 });
    m.setNormalTexture(tex).setNormalScale(1);
    const m2 = b.material('domes metal', { color: [0.9, 0.75, 0.5, 1], metallic: 1.0, roughness: 0.3 });
    m2.setNormalTexture(tex).setNormalScale(1);
    b.node('sphere', b.mesh('sphere', [b.prim(sphere(1, 64, 32), m, { tangents })]), [-1.2, 0, 0]);
    b.node('quad', b.mesh('quad', [b.prim(quad(2, 2), m2, { tangents })]), [1.3, 0, 0], quatAxis([0, 1, 0], -25));
}
MODELS.normal_tangents = (b) => normalMap(b, true);
MODELS.normal_generated = (b) => normalMap(b, false);

// OPAQUE ignoring alpha; MASK with two cutoffs; BLEND overlapping quads;
// doubleSided: a quad seen from its back, with and without doubleSided
MODELS.alpha_modes = (b) => {
    const q = quad(1.6, 1.6);
    const tex = b.texture('radial alpha', radialAlphaTex());
    const opaque = b.material('opaque alpha 0.2', { color: [0.9, 0.5, 0.2, 0.2] });
    opaque.setBaseColorTexture(tex);
    const mask50 = b.material('mask 0.5', { alphaMode: 'MASK', alphaCutoff: 0.5 });
    mask50.setBaseColorTexture(tex);
    const mask25 = b.material('mask 0.25', { alphaMode: 'MASK', alphaCutoff: 0.25 });
    mask25.setBaseColorTexture(tex);
    b.node('opaque', b.mesh('opaque', [b.prim(q, opaque)]), [-2, 1, 0]);
    b.node('mask 0.5', b.mesh('mask 0.5', [b.prim(q, mask50)]), [0, 1, 0]);
    b.node('mask 0.25', b.mesh('mask 0.25', [b.prim(q, mask25)]), [2, 1, 0]);
    const blend = [[0.9, 0.1, 0.1, 0.5], [0.1, 0.8, 0.1, 0.5], [0.1, 0.2, 0.9, 0.6]];
    blend.forEach((c, i) => {
        const m = b.material(`blend ${i}`, { color: c, alphaMode: 'BLEND', roughness: 0.6 });
        b.node(`blend ${i}`, b.mesh(`blend ${i}`, [b.prim(quad(1.2, 1.2), m)]), [-1.5 + i * 0.5, -1 - i * 0.25, -0.6 * i]);
    });
    const back = quatAxis([0, 1, 0], 180);
    const two = b.material('double sided', { color: [0.9, 0.85, 0.3, 1], doubleSided: true });
    const one = b.material('single sided', { color: [0.9, 0.3, 0.8, 1] });
    b.node('back double sided', b.mesh('back double sided', [b.prim(quad(1.2, 1.2), two)]), [1.0, -1.2, 0], back);
    b.node('back single sided (culled)', b.mesh('back single sided', [b.prim(quad(1.2, 1.2), one)]), [2.5, -1.2, 0], back);
};

// emissive factor, emissive texture, KHR_materials_emissive_strength
MODELS.emissive = (b) => {
    const es = b.doc.createExtension(KHRMaterialsEmissiveStrength);
    const s = sphere(0.8, 48, 24);
    const plain = b.material('emissive', { color: [0.05, 0.05, 0.05, 1], emissive: [1, 0.5, 0.1] });
    const strong = b.material('emissive strength 4', { color: [0.05, 0.05, 0.05, 1], emissive: [1, 0.25, 0.05] });
    strong.setExtension('KHR_materials_emissive_strength', es.createEmissiveStrength().setEmissiveStrength(4));
    const same = b.material('emissive no strength', { color: [0.05, 0.05, 0.05, 1], emissive: [1, 0.25, 0.05] });
    const textured = b.material('emissive texture', { color: [0.3, 0.3, 0.3, 1], emissive: [0.1, 0.3, 0.5] });
    textured.setEmissiveTexture(b.texture('stripes', stripesTex()));
    const texStrong = b.material('emissive texture strength 2', { color: [0.3, 0.3, 0.3, 1], emissive: [0.1, 0.3, 0.5] });
    texStrong.setEmissiveTexture(b.texture('stripes', stripesTex()));
    texStrong.setExtension('KHR_materials_emissive_strength', es.createEmissiveStrength().setEmissiveStrength(2));
    b.node('emissive', b.mesh('emissive', [b.prim(s, plain)]), [-2, 1, 0]);
    b.node('emissive strength 4', b.mesh('emissive strength 4', [b.prim(s, strong)]), [0, 1, 0]);
    b.node('emissive no strength', b.mesh('emissive no strength', [b.prim(s, same)]), [2, 1, 0]);
    b.node('emissive texture', b.mesh('emissive texture', [b.prim(s, textured)]), [-1, -1, 0]);
    b.node('emissive texture strength 2', b.mesh('emissive texture strength 2', [b.prim(s, texStrong)]), [1, -1, 0]);
};

// KHR_texture_transform on base colour, emissive, normal, metallic-roughness
// and occlusion; occlusion reads TEXCOORD_1 (the quad's uv turned 90 degrees)
MODELS.texture_transform = (b) => {
    const q = quad(1.8, 1.8);
    const uv1 = [];
    for (let k = 0; k < q.uv.length; k += 2) uv1.push(q.uv[k + 1], 1 - q.uv[k]);
    const quadTex = b.texture('quadrants', quadrantTex());
    const place = (name, m, x, y, o = {}) => b.node(name, b.mesh(name, [b.prim(q, m, o)]), [x, y, 0]);

    const plain = b.material('base colour, no transform', { roughness: 0.7, color: [1, 1, 1, 1] });
    plain.setBaseColorTexture(quadTex);
    place('base colour, no transform', plain, -2, 1);

    const moved = b.material('base colour transformed', { roughness: 0.7, color: [1, 1, 1, 1] });
    moved.setBaseColorTexture(quadTex);
    moved.getBaseColorTextureInfo().setExtension('KHR_texture_transform', b.transform({ offset: [0.25, 0.1], rotation: 0.4, scale: [1.5, 1.5] }));
    place('base colour transformed', moved, 0, 1);

    const em = b.material('emissive transformed', { color: [0, 0, 0, 1], emissive: [1, 1, 1] });
    em.setEmissiveTexture(quadTex);
    em.getEmissiveTextureInfo().setExtension('KHR_texture_transform', b.transform({ scale: [2, 1] }));
    place('emissive transformed', em, 2, 1);

    const nm = b.material('normal transformed', { color: [0.8, 0.8, 0.8, 1], roughness: 0.3 });
    nm.setNormalTexture(b.texture('domes', domeNormalTex(128)));
    nm.getNormalTextureInfo().setExtension('KHR_texture_transform', b.transform({ scale: [0.5, 0.5], offset: [0.125, 0.125] }));
    place('normal transformed', nm, -2, -1, { tangents: true });

    const mr = b.material('metallic-roughness transformed', { color: [0.9, 0.8, 0.6, 1], metallic: 1, roughness: 1 });
    mr.setMetallicRoughnessTexture(b.texture('metal rough', metalRoughTex()));
    mr.getMetallicRoughnessTextureInfo().setExtension('KHR_texture_transform', b.transform({ rotation: Math.PI / 2 }));
    place('metallic-roughness transformed', mr, 0, -1);

    const occ = b.material('occlusion on TEXCOORD_1', { color: [0.9, 0.9, 0.9, 1], roughness: 0.8 });
    occ.setOcclusionTexture(b.texture('occlusion', occlusionTex())).setOcclusionStrength(1);
    occ.getOcclusionTextureInfo().setTexCoord(1).setExtension('KHR_texture_transform', b.transform({ offset: [0, 0.2] }));
    place('occlusion on TEXCOORD_1', occ, 2, -1, { uv1 });
};

// COLOR_0 as float RGBA on a sphere and as normalised unsigned byte RGB on a quad
MODELS.vertex_colors = (b) => {
    const s = sphere(1, 48, 24);
    const c4 = [];
    for (let k = 0; k < s.pos.length; k += 3) c4.push(0.5 + 0.5 * s.pos[k], 0.5 + 0.5 * s.pos[k + 1], 0.5 + 0.5 * s.pos[k + 2], 1);
    const m = b.material('vertex colours', { color: [1, 1, 1, 1], roughness: 0.5 });
    b.node('float rgba', b.mesh('float rgba', [b.prim(s, m, { colors: { arr: new Float32Array(c4), type: 'VEC4' } })]), [-1.2, 0, 0]);
    const q = quad(2, 2);
    const corners = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]];
    const tinted = b.material('vertex colours tinted', { color: [0.8, 0.8, 1.0, 1], roughness: 0.6 });
    b.node('ubyte rgb', b.mesh('ubyte rgb', [b.prim(q, tinted, { colors: { arr: new Uint8Array(corners.flat()), type: 'VEC3', normalized: true } })]), [1.3, 0, 0]);
};

// KHR_materials_unlit beside the same materials lit
MODELS.unlit = (b) => {
    const ext = b.doc.createExtension(KHRMaterialsUnlit);
    const s = sphere(0.8, 48, 24);
    const tex = b.texture('quadrants', quadrantTex());
    const pair = (name, o, tex, x) => {
        const lit = b.material(`${name} lit`, o), unlit = b.material(`${name} unlit`, o);
        if (tex) { lit.setBaseColorTexture(tex); unlit.setBaseColorTexture(tex); }
        unlit.setExtension('KHR_materials_unlit', ext.createUnlit());
        b.node(`${name} lit`, b.mesh(`${name} lit`, [b.prim(s, lit)]), [x, 1, 0]);
        b.node(`${name} unlit`, b.mesh(`${name} unlit`, [b.prim(s, unlit)]), [x, -1, 0]);
    };
    pair('colour', { color: [0.2, 0.5, 0.9, 1] }, null, -2);
    pair('texture', { color: [1, 1, 1, 1] }, tex, 0);
    pair('metal', { color: [0.9, 0.7, 0.3, 1], metallic: 1, roughness: 0.3 }, null, 2);
};

// KHR_lights_punctual: a warm point light and a cool spot light over a floor
MODELS.lights_punctual = (b) => {
    const lights = b.doc.createExtension(KHRLightsPunctual);
    const floor = grid(1, 1, (u, v) => ({ p: [(u - 0.5) * 8, 0, (v - 0.5) * 8], n: [0, 1, 0] }));
    b.node('floor', b.mesh('floor', [b.prim(floor, b.material('floor', { color: [0.7, 0.7, 0.7, 1], roughness: 0.7 }))]));
    b.node('white ball', b.mesh('white ball', [b.prim(sphere(0.6), b.material('white', { color: [0.9, 0.9, 0.9, 1], roughness: 0.5 }))]), [-1.2, 0.6, 0]);
    b.node('metal ball', b.mesh('metal ball', [b.prim(sphere(0.6), b.material('metal', { color: [0.95, 0.95, 0.95, 1], metallic: 1, roughness: 0.25 }))]), [1.2, 0.6, 0.3]);
    b.node('box', b.mesh('box', [b.prim(box(0.8), b.material('box', { color: [0.8, 0.3, 0.2, 1], roughness: 0.6 }))]), [0, 0.4, -1.5], quatAxis([0, 1, 0], 30));
    const point = lights.createLight('point').setType('point').setColor([1.0, 0.75, 0.45]).setIntensity(12).setRange(8);
    b.node('point light', null, [-2, 1.8, 1.2]).setExtension('KHR_lights_punctual', point);
    const spot = lights.createLight('spot').setType('spot').setColor([0.5, 0.7, 1.0]).setIntensity(60)
        .setInnerConeAngle(0.25).setOuterConeAngle(0.5);
    b.node('spot light', null, [1.4, 3.5, 0.2], quatAxis([1, 0, 0], -90)).setExtension('KHR_lights_punctual', spot);
};

// node TRS animation: LINEAR translation, LINEAR quaternion rotation (a
// 170 degree key step, where slerp and nlerp differ), STEP scale, CUBICSPLINE
// translation and CUBICSPLINE rotation
MODELS.animated = (b) => {
    const m = b.material('quadrants', { color: [1, 1, 1, 1], roughness: 0.6 });
    m.setBaseColorTexture(b.texture('quadrants', quadrantTex()));
    const cube = b.mesh('cube', [b.prim(box(0.9), m)]);
    const n = ['linear translation', 'linear rotation', 'step scale', 'cubic translation', 'cubic rotation']
        .map((name, i) => b.node(name, cube, [(i - 2) * 1.6, 0, 0]));
    const rot = (deg) => quatAxis([0.3, 1, 0.2], deg);
    b.animation('all channels', [
        { node: n[0], path: 'translation', times: [0, 1, 2], values: [[-3.2, -1, 0], [-3.2, 1, 0], [-3.2, -0.5, 0]] },
        { node: n[1], path: 'rotation', times: [0, 1, 2], values: [rot(0), rot(170), rot(340)] },
        { node: n[2], path: 'scale', times: [0, 0.5, 1.5], values: [[1, 1, 1], [1.5, 0.6, 1], [0.6, 1.4, 0.6]], interp: 'STEP' },
        { node: n[3], path: 'translation', times: [0, 1, 2], interp: 'CUBICSPLINE', values: [
            [0, 0, 0], [1.6, -1, 0], [0, 3, 0],
            [0, -2, 0], [1.6, 1, 0], [0, -2, 0],
            [0, 0, 0], [1.6, -1, 0], [0, 0, 0]] },
        { node: n[4], path: 'rotation', times: [0, 2], interp: 'CUBICSPLINE', values: [
            [0, 0, 0, 0], quatAxis([1, 0, 0], 0), [0, 0, 1.2, 0],
            [0, 0, 1.2, 0], quatAxis([0, 0, 1], 150), [0, 0, 0, 0]] },
    ]);
};

// a cylinder bending on three joints (GPU skinning), its joints animated
MODELS.skinned = (b) => {
    // bind pose = the file's positions: y from -1.5 to 1.5, joints at y = -1.5, -0.5, 0.5
    const g = cylinder(0.3, 3, 32, 30);
    for (let k = 1; k < g.pos.length; k += 3) g.pos[k] -= 1.5;
    const joints = [], weights = [];
    for (let k = 0; k < g.pos.length; k += 3) {
        const y = g.pos[k + 1] + 1.5;
        // (y from the bottom) joint 0 below 1, joint 1 to 2, joint 2 above; blended 0.5 m around each boundary
        const w1 = Math.min(1, Math.max(0, (y - 0.75) / 0.5)), w2 = Math.min(1, Math.max(0, (y - 1.75) / 0.5));
        // the joints with weight first; unused slots are joint 0 with weight 0
        const used = [[0, 1 - w1], [1, w1 - w2], [2, w2]].filter(([, w]) => w > 0);
        while (used.length < 4) used.push([0, 0]);
        joints.push(...used.map(([j]) => j));
        weights.push(...used.map(([, w]) => w));
    }
    const m = b.material('stripes', { color: [1, 1, 1, 1], roughness: 0.5 });
    m.setBaseColorTexture(b.texture('stripes', stripesTex()));
    const prim = b.prim(g, m);
    prim.setAttribute('JOINTS_0', b.acc(new Uint8Array(joints), 'VEC4'));
    prim.setAttribute('WEIGHTS_0', b.acc(new Float32Array(weights), 'VEC4'));
    const j0 = b.node('joint 0', null, [0, -1.5, 0]);
    const j1 = b.node('joint 1', null, [0, 1, 0], null, null, j0);
    const j2 = b.node('joint 2', null, [0, 1, 0], null, null, j1);
    const ibm = [];
    for (let k = 0; k < 3; k++) ibm.push(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1.5 - k, 0, 1);
    const skin = b.doc.createSkin('bend').addJoint(j0).addJoint(j1).addJoint(j2).setSkeleton(j0)
        .setInverseBindMatrices(b.acc(new Float32Array(ibm), 'MAT4'));
    b.node('cylinder', b.mesh('cylinder', [prim])).setSkin(skin);
    const bend = (deg) => quatAxis([0, 0, 1], deg);
    b.animation('bend', [
        { node: j0, path: 'rotation', times: [0, 1, 2], values: [bend(0), bend(-15), bend(0)] },
        { node: j1, path: 'rotation', times: [0, 1, 2], values: [bend(0), bend(40), bend(0)] },
        { node: j2, path: 'rotation', times: [0, 1, 2], values: [bend(0), bend(45), bend(-20)] },
    ]);
};

// morph targets on a plane grid: a bump (a sparse accessor) and a wave
// (POSITION and NORMAL), weights animated
MODELS.morph = (b) => {
    const N = 32, size = 3;
    const surf = (u, v, w0, w1) => {
        const x = (u - 0.5) * size, y = (0.5 - v) * size;
        const rr = (x * x + y * y) / 0.64;   // the bump is 0 beyond r = 0.8 (its target is stored sparse)
        const h = w0 * 0.8 * (rr < 1 ? (1 - rr) * (1 - rr) : 0) + w1 * 0.25 * Math.sin(3 * x);
        return [x, y, h];
    };
    const shape = (w0, w1) => grid(N, N, (u, v) => {
        const e = 1e-3, p = surf(u, v, w0, w1);
        const du = sub(surf(u + e, v, w0, w1), surf(u - e, v, w0, w1)), dv = sub(surf(u, v - e, w0, w1), surf(u, v + e, w0, w1));
        return { p, n: cross(du, dv) };
    });
    const base = shape(0, 0), t0 = shape(1, 0), t1 = shape(0, 1);
    const delta = (a, bb) => new Float32Array(a.map((v, i) => v - bb[i]));
    const m = b.material('morph', { color: [0.3, 0.6, 0.9, 1], roughness: 0.4, doubleSided: true });
    const prim = b.prim(base, m);
    for (const [name, t, sparse] of [['bump', t0, true], ['wave', t1, false]]) {
        const target = b.doc.createPrimitiveTarget(name)
            .setAttribute('POSITION', b.acc(delta(t.pos, base.pos), 'VEC3').setSparse(sparse))
            .setAttribute('NORMAL', b.acc(delta(t.nrm, base.nrm), 'VEC3').setSparse(sparse));
        prim.addTarget(target);
    }
    const mesh = b.mesh('morph', [prim]).setWeights([0, 0]).setExtras({ targetNames: ['bump', 'wave'] });
    const node = b.node('morph', mesh, [0, 0, 0], quatAxis([1, 0, 0], -50));
    b.animation('weights', [{ node, path: 'weights', times: [0, 1, 2], values: [[0, 0], [1, 0], [0.5, 1]] }]);
};

// the mesh that the compressed versions carry (textured torus knot)
MODELS.mesh = (b) => {
    const m = b.material('knot', { color: [1, 1, 1, 1], metallic: 0.3, roughness: 0.4 });
    m.setBaseColorTexture(b.texture('quadrants', quadrantTex()));
    b.node('knot', b.mesh('knot', [b.prim(torusKnot(1, 0.28, 256, 16), m)]));
};

async function main() {
    const out = process.argv[2];
    if (!out) {
        console.error('usage: NODE_PATH=... node gen_models.cjs OUT_DIR');
        process.exit(2);
    }
    fs.mkdirSync(out, { recursive: true });
    const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
        'draco3d.encoder': await draco3d.createEncoderModule(),
        'draco3d.decoder': await draco3d.createDecoderModule(),
    });
    for (const [name, make] of Object.entries(MODELS)) {
        const b = new Builder();
        make(b);
        await io.write(path.join(out, `${name}.glb`), b.doc);
    }
    // the Draco version of mesh.glb (edgebreaker, default quantisation)
    const doc = await io.read(path.join(out, 'mesh.glb'));
    doc.createExtension(KHRDracoMeshCompression).setRequired(true)
        .setEncoderOptions({ method: KHRDracoMeshCompression.EncoderMethod.EDGEBREAKER, encodeSpeed: 5, decodeSpeed: 5 });
    await io.write(path.join(out, 'mesh_draco.glb'), doc);
}

main().catch((e) => { console.error(`gen_models: ${e.stack ?? e}`); process.exit(1); });
