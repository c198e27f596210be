/* mh_env.c - image-based light from a cube map of radiance: spherical
 * harmonics for the diffuse part, a GGX-prefiltered mip chain for the
 * specular part, and the Radiance RGBE reader for tests/ref's
 * environments. See mh_env.h. */
#include "mh_env.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/mh_fs.h"
#include "../core/mh_parallel.h"

mh_vec3 mh_env_texel_dir(int face, int i, int j, int n)
{
    float sc = 2.0f * ((float)i + 0.5f) / (float)n - 1.0f, tc = 2.0f * ((float)j + 0.5f) / (float)n - 1.0f;
    switch (face) {
    case 0: return mh_v3(1, -tc, -sc);
    case 1: return mh_v3(-1, -tc, sc);
    case 2: return mh_v3(sc, 1, tc);
    case 3: return mh_v3(sc, -1, -tc);
    case 4: return mh_v3(sc, -tc, 1);
    default: return mh_v3(-sc, -tc, -1);
    }
}

/* The face dir points into and its (s, t) in 0..1 (OpenGL's selection). */
static int face_of(mh_vec3 d, float *s, float *t)
{
    float ax = fabsf(d.x), ay = fabsf(d.y), az = fabsf(d.z), sc, tc, ma;
    int f;
    if (ax >= ay && ax >= az) {
        f = d.x >= 0 ? 0 : 1;
        ma = ax;
        sc = d.x >= 0 ? -d.z : d.z;
        tc = -d.y;
    } else if (ay >= az) {
        f = d.y >= 0 ? 2 : 3;
        ma = ay;
        sc = d.x;
        tc = d.y >= 0 ? d.z : -d.z;
    } else {
        f = d.z >= 0 ? 4 : 5;
        ma = az;
        sc = d.z >= 0 ? d.x : -d.x;
        tc = -d.y;
    }
    ma = ma > 1e-20f ? ma : 1e-20f;
    *s = 0.5f * (sc / ma + 1.0f);
    *t = 0.5f * (tc / ma + 1.0f);
    return f;
}

/* Bilinear lookup in one face of n x n RGB texels (clamped at its edges). */
static mh_vec3 face_bilinear(const float *faces, int n, int f, float s, float t)
{
    float x = s * (float)n - 0.5f, y = t * (float)n - 0.5f;
    int x0 = (int)floorf(x), y0 = (int)floorf(y);
    float fx = x - (float)x0, fy = y - (float)y0;
    const float *face = faces + (size_t)f * (size_t)n * (size_t)n * 3;
    mh_vec3 out = mh_v3(0, 0, 0);
    for (int k = 0; k < 4; k++) {
        int xi = x0 + (k & 1), yi = y0 + (k >> 1);
        xi = xi < 0 ? 0 : xi >= n ? n - 1 : xi;
        yi = yi < 0 ? 0 : yi >= n ? n - 1 : yi;
        float w = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
        const float *p = face + ((size_t)yi * (size_t)n + (size_t)xi) * 3;
        out = mh_v3_add(out, mh_v3(p[0] * w, p[1] * w, p[2] * w));
    }
    return out;
}

static mh_vec3 cube_sample(const float *faces, int n, mh_vec3 dir)
{
    float s, t;
    int f = face_of(dir, &s, &t);
    return face_bilinear(faces, n, f, s, t);
}

mh_vec3 mh_env_sample(const mh_env *env, int level, mh_vec3 dir)
{
    level = level < 0 ? 0 : level >= env->levels ? env->levels - 1 : level;
    return cube_sample(env->faces[level], env->size >> level, dir);
}

/* ---- spherical harmonics ------------------------------------------------------ */

static void sh_basis(mh_vec3 d, float y[9])
{
    y[0] = 0.282095f;
    y[1] = 0.488603f * d.y;
    y[2] = 0.488603f * d.z;
    y[3] = 0.488603f * d.x;
    y[4] = 1.092548f * d.x * d.y;
    y[5] = 1.092548f * d.y * d.z;
    y[6] = 0.315392f * (3.0f * d.z * d.z - 1.0f);
    y[7] = 1.092548f * d.x * d.z;
    y[8] = 0.546274f * (d.x * d.x - d.y * d.y);
}

/* Projects the faces' radiance on the basis, convolves with the cosine lobe
 * (A0 = pi, A1 = 2 pi / 3, A2 = pi / 4) and folds the basis constants and
 * 1 / pi in, so the shader sums sh[i] * (1, y, z, x, xy, yz, 3z^2 - 1, xz, x^2 - y^2). */
static void project_sh(mh_env *env, const float *faces, int n)
{
    double acc[9][3] = {{0}};
    for (int f = 0; f < 6; f++)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                mh_vec3 d = mh_env_texel_dir(f, i, j, n);
                float len2 = mh_v3_dot(d, d);
                float dw = 4.0f / ((float)n * (float)n * len2 * sqrtf(len2)); /* texel solid angle */
                d = mh_v3_scale(d, 1.0f / sqrtf(len2));
                float y[9];
                sh_basis(d, y);
                const float *p = faces + (((size_t)f * (size_t)n + (size_t)j) * (size_t)n + (size_t)i) * 3;
                for (int k = 0; k < 9; k++)
                    for (int c = 0; c < 3; c++)
                        acc[k][c] += (double)(p[c] * y[k] * dw);
            }
    static const float band[9] = {1.0f, 2.0f / 3, 2.0f / 3, 2.0f / 3, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f};
    static const float basis_k[9] = {0.282095f, 0.488603f, 0.488603f, 0.488603f, 1.092548f,
                                     1.092548f, 0.315392f, 1.092548f, 0.546274f};
    for (int k = 0; k < 9; k++)
        for (int c = 0; c < 3; c++)
            env->sh[k][c] = (float)acc[k][c] * band[k] * basis_k[k]; /* A_l / pi = band */
}

mh_vec3 mh_env_sh_eval(const mh_env *env, mh_vec3 n)
{
    float b[9] = {1, n.y, n.z, n.x, n.x * n.y, n.y * n.z, 3 * n.z * n.z - 1, n.x * n.z, n.x * n.x - n.y * n.y};
    mh_vec3 e = mh_v3(0, 0, 0);
    for (int k = 0; k < 9; k++)
        e = mh_v3_add(e, mh_v3_scale(mh_v3(env->sh[k][0], env->sh[k][1], env->sh[k][2]), b[k]));
    return e;
}

/* ---- the GGX-prefiltered mip chain ----------------------------------------------- */

/* A box-filtered pyramid of the source: level k has n >> k texels a side. */
typedef struct pyramid {
    float *level[12];
    int count, size;
} pyramid;

static void pyramid_free(pyramid *p)
{
    for (int k = 1; k < p->count; k++)
        free(p->level[k]);
}

/* The solid angle of texel (i, j) of an n x n face (any face: it depends on the position only). */
static float texel_solid_angle(int i, int j, int n)
{
    float sc = 2.0f * ((float)i + 0.5f) / (float)n - 1.0f, tc = 2.0f * ((float)j + 0.5f) / (float)n - 1.0f;
    float len2 = 1.0f + sc * sc + tc * tc;
    return 4.0f / ((float)n * (float)n * len2 * sqrtf(len2));
}

/* Each level's texel is the mean of the four below weighted by their solid
 * angles, so a level holds the same light as the one below it (a plain
 * mean would lose half of a bright spot in a face's middle by the last
 * level: those texels are twice the corners' size). */
static bool pyramid_make(pyramid *p, const float *src, int n)
{
    *p = (pyramid){.size = n, .count = 1};
    p->level[0] = (float *)src;
    for (int m = n / 2; m >= 1 && p->count < 12; m /= 2) {
        const float *a = p->level[p->count - 1];
        float *b = malloc(sizeof(float) * 3 * 6 * (size_t)m * (size_t)m);
        if (!b)
            return false;
        int pm = m * 2;
        for (int f = 0; f < 6; f++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < m; i++) {
                    const float *fa = a + (size_t)f * (size_t)pm * (size_t)pm * 3;
                    float sum[3] = {0, 0, 0}, wsum = 0;
                    for (int k = 0; k < 4; k++) {
                        int x = 2 * i + (k & 1), y = 2 * j + (k >> 1);
                        float w = texel_solid_angle(x, y, pm);
                        const float *t = fa + ((size_t)y * (size_t)pm + (size_t)x) * 3;
                        for (int c = 0; c < 3; c++)
                            sum[c] += t[c] * w;
                        wsum += w;
                    }
                    float *o = b + (((size_t)f * (size_t)m + (size_t)j) * (size_t)m + (size_t)i) * 3;
                    for (int c = 0; c < 3; c++)
                        o[c] = sum[c] / wsum;
                }
        p->level[p->count++] = b;
    }
    return true;
}

/* The pyramid at a fractional level (linear between two levels). */
static mh_vec3 pyramid_sample(const pyramid *p, float lod, mh_vec3 dir)
{
    lod = lod < 0 ? 0 : lod > (float)(p->count - 1) ? (float)(p->count - 1) : lod;
    int l0 = (int)lod, l1 = l0 + 1 < p->count ? l0 + 1 : l0;
    float t = lod - (float)l0;
    mh_vec3 a = cube_sample(p->level[l0], p->size >> l0, dir);
    if (t <= 0 || l1 == l0)
        return a;
    return mh_v3_lerp(a, cube_sample(p->level[l1], p->size >> l1, dir), t);
}

static float radical_inverse(uint32_t b)
{
    b = (b << 16u) | (b >> 16u);
    b = ((b & 0x55555555u) << 1u) | ((b & 0xAAAAAAAAu) >> 1u);
    b = ((b & 0x33333333u) << 2u) | ((b & 0xCCCCCCCCu) >> 2u);
    b = ((b & 0x0F0F0F0Fu) << 4u) | ((b & 0xF0F0F0F0u) >> 4u);
    b = ((b & 0x00FF00FFu) << 8u) | ((b & 0xFF00FF00u) >> 8u);
    return (float)b * 2.3283064365386963e-10f;
}

/* GGX half vectors around +Z (Hammersley points) for roughness alpha,
 * with the source level each sample should read (its solid angle). */
typedef struct ggx_sample {
    mh_vec3 h;
    float lod;
} ggx_sample;

static int ggx_samples(ggx_sample *out, int count, float alpha, int src_size, int src_levels)
{
    float a2 = alpha * alpha, texel = 4.0f * MH_PI / (6.0f * (float)src_size * (float)src_size);
    int n = 0;
    for (int k = 0; k < count; k++) {
        float u = (float)k / (float)count, v = radical_inverse((uint32_t)k);
        float phi = 2.0f * MH_PI * u;
        float cos_t = sqrtf((1.0f - v) / (1.0f + (a2 - 1.0f) * v)), sin_t = sqrtf(1.0f - cos_t * cos_t);
        mh_vec3 h = mh_v3(sin_t * cosf(phi), sin_t * sinf(phi), cos_t);
        /* with N = V: pdf(L) = D(h) / 4 */
        float dd = cos_t * cos_t * (a2 - 1.0f) + 1.0f, D = a2 / (MH_PI * dd * dd);
        float omega_s = 1.0f / ((float)count * D * 0.25f + 1e-6f);
        float lod = 0.5f * log2f(omega_s / texel) + 1.0f;
        out[n++] = (ggx_sample){h, mh_clampf(lod, 0, (float)(src_levels - 1))};
    }
    return n;
}

/* One face of one prefiltered level: every texel integrates the GGX lobe
 * around its direction (N = V = R), weighted by N.L. */
static void prefilter_face(float *out, int f, int m, const pyramid *p, const ggx_sample *smp, int count)
{
    for (int j = 0; j < m; j++)
        for (int i = 0; i < m; i++) {
            mh_vec3 n = mh_v3_norm(mh_env_texel_dir(f, i, j, m));
            mh_vec3 up = fabsf(n.z) < 0.999f ? mh_v3(0, 0, 1) : mh_v3(1, 0, 0);
            mh_vec3 tx = mh_v3_norm(mh_v3_cross(up, n)), ty = mh_v3_cross(n, tx);
            mh_vec3 sum = mh_v3(0, 0, 0);
            float wsum = 0;
            for (int k = 0; k < count; k++) {
                mh_vec3 h = mh_v3_add(mh_v3_add(mh_v3_scale(tx, smp[k].h.x), mh_v3_scale(ty, smp[k].h.y)),
                                      mh_v3_scale(n, smp[k].h.z));
                float vh = mh_v3_dot(n, h);
                mh_vec3 l = mh_v3_sub(mh_v3_scale(h, 2.0f * vh), n);
                float nl = mh_v3_dot(n, l);
                if (nl <= 0)
                    continue;
                sum = mh_v3_add(sum, mh_v3_scale(pyramid_sample(p, smp[k].lod, l), nl));
                wsum += nl;
            }
            float *o = out + (((size_t)f * (size_t)m + (size_t)j) * (size_t)m + (size_t)i) * 3;
            sum = wsum > 0 ? mh_v3_scale(sum, 1.0f / wsum) : pyramid_sample(p, 0, n);
            o[0] = sum.x;
            o[1] = sum.y;
            o[2] = sum.z;
        }
}

/* One face of level 0 at `size` from the source (a copy, or a resampling). */
static void resample_face(float *out, int f, int size, const pyramid *p)
{
    int lvl = 0;
    while (lvl + 1 < p->count && (p->size >> (lvl + 1)) >= size)
        lvl++;
    for (int j = 0; j < size; j++)
        for (int i = 0; i < size; i++) {
            mh_vec3 c = cube_sample(p->level[lvl], p->size >> lvl, mh_env_texel_dir(f, i, j, size));
            float *o = out + (((size_t)f * (size_t)size + (size_t)j) * (size_t)size + (size_t)i) * 3;
            o[0] = c.x;
            o[1] = c.y;
            o[2] = c.z;
        }
}

/* The levels' faces as jobs for mh_parallel_for, the roughest level's
 * last (it is the cheapest: its faces are the smallest): job 6 * l + f is
 * face f of level l, each written to its own texels. */
typedef struct env_work {
    mh_env *env;
    const pyramid *p;
    const ggx_sample *smp[MH_ENV_MAX_LEVELS];
    int smp_count[MH_ENV_MAX_LEVELS];
} env_work;

static void env_job(void *user, int job)
{
    env_work *w = user;
    int l = job / 6 + 1, f = job % 6; /* the sharpest rough level first */
    if (l < w->env->levels)
        prefilter_face(w->env->faces[l], f, w->env->size >> l, w->p, w->smp[l], w->smp_count[l]);
    else
        resample_face(w->env->faces[0], f, w->env->size, w->p);
}

void mh_env_scale(mh_env *env, float k)
{
    for (int l = 0; l < env->levels; l++) {
        size_t n = (size_t)(env->size >> l) * (size_t)(env->size >> l) * 18;
        for (size_t i = 0; i < n; i++)
            env->faces[l][i] *= k;
    }
    for (int i = 0; i < 9; i++)
        for (int c = 0; c < 3; c++)
            env->sh[i][c] *= k;
}

float mh_env_ambient(const mh_env *env)
{
    return 0.2126f * env->sh[0][0] + 0.7152f * env->sh[0][1] + 0.0722f * env->sh[0][2];
}

void mh_env_free(mh_env *env)
{
    for (int l = 0; l < MH_ENV_MAX_LEVELS; l++)
        free(env->faces[l]);
    memset(env, 0, sizeof *env);
}

bool mh_env_build(mh_env *env, const float *src, int src_size, const mh_env_desc *desc, mh_error *err)
{
    memset(env, 0, sizeof *env);
    int size = desc && desc->size ? desc->size : src_size;
    size = size > MH_ENV_MAX_SIZE ? MH_ENV_MAX_SIZE : size < 4 ? 4 : size;
    int samples = desc && desc->samples ? desc->samples : 48;
    float k = desc && desc->intensity > 0 ? desc->intensity : 1.0f;
    if (src_size < 1 || (src_size & (src_size - 1)) || (size & (size - 1)))
        return mh_fail(err, "", "", "an environment's faces must be a power of two a side (got %d)", src_size);
    float *scaled = NULL;
    if (k != 1.0f) {
        size_t nf = (size_t)src_size * (size_t)src_size * 18;
        if (!(scaled = malloc(sizeof(float) * nf)))
            return mh_fail(err, "", "", "out of memory");
        for (size_t i = 0; i < nf; i++)
            scaled[i] = src[i] * k;
        src = scaled;
    }
    pyramid p;
    ggx_sample *smp = malloc(sizeof *smp * (size_t)samples * MH_ENV_MAX_LEVELS);
    bool ok = smp && pyramid_make(&p, src, src_size);
    env->size = size;
    for (int m = size; ok && m >= 4 && env->levels < MH_ENV_MAX_LEVELS; m /= 2)
        ok = (env->faces[env->levels++] = malloc(sizeof(float) * 18 * (size_t)m * (size_t)m)) != NULL;
    if (ok) {
        env_work w = {.env = env, .p = &p};
        for (int l = 1; l < env->levels; l++) {
            float r = (float)l / (float)(env->levels - 1);
            w.smp[l] = smp + (size_t)samples * (size_t)l;
            w.smp_count[l] = ggx_samples(smp + (size_t)samples * (size_t)l, samples, r * r, p.size, p.count);
        }
        project_sh(env, src, src_size);
        mh_parallel_for(6 * env->levels, desc ? desc->threads : 1, env_job, &w);
    }
    if (smp)
        pyramid_free(&p);
    free(smp);
    free(scaled);
    if (!ok) {
        mh_env_free(env);
        return mh_fail(err, "", "", "out of memory building the environment light");
    }
    return true;
}

bool mh_env_hemisphere(mh_env *env, mh_vec3 sky, mh_vec3 ground, mh_error *err)
{
    enum { N = 16 };
    float *faces = malloc(sizeof(float) * 18 * N * N);
    if (!faces)
        return mh_fail(err, "", "", "out of memory");
    for (int f = 0; f < 6; f++)
        for (int j = 0; j < N; j++)
            for (int i = 0; i < N; i++) {
                mh_vec3 d = mh_v3_norm(mh_env_texel_dir(f, i, j, N));
                mh_vec3 c = mh_v3_lerp(ground, sky, d.y * 0.5f + 0.5f);
                float *o = faces + (((size_t)f * N + (size_t)j) * N + (size_t)i) * 3;
                o[0] = c.x;
                o[1] = c.y;
                o[2] = c.z;
            }
    bool ok = mh_env_build(env, faces, N, &(mh_env_desc){.samples = 16}, err);
    free(faces);
    return ok;
}

/* ---- Radiance RGBE faces ------------------------------------------------------------ */

/* One face: the header (format and "-Y N +X N"), then N*N flat RGBE pixels. */
static bool read_rgbe(const char *path, float **out, int *out_n, mh_error *err)
{
    char *data;
    size_t size;
    if (!mh_fs_read_file(path, 64u << 20, &data, &size, err))
        return false;
    bool ok = false;
    size_t pos = 0;
    int n = 0, m = 0;
    if (size < 11 || (strncmp(data, "#?RADIANCE", 10) && strncmp(data, "#?RGBE", 6))) {
        mh_fail(err, path, "", "not a Radiance .hdr file (no #?RADIANCE line)");
        goto out;
    }
    bool format = false;
    while (pos < size) { /* header lines up to an empty one */
        size_t end = pos;
        while (end < size && data[end] != '\n')
            end++;
        if (end == pos) {
            pos = end + 1;
            break;
        }
        if (end - pos >= 22 && !strncmp(data + pos, "FORMAT=32-bit_rle_rgbe", 22))
            format = true;
        pos = end + 1;
    }
    char line[64] = "";
    size_t len = 0;
    while (pos + len < size && data[pos + len] != '\n' && len < sizeof line - 1)
        len++;
    memcpy(line, data + pos, len);
    pos += len + 1;
    if (!format || sscanf(line, "-Y %d +X %d", &n, &m) != 2 || n != m || n < 1 || n > 4096) {
        mh_fail(err, path, "", "expected FORMAT=32-bit_rle_rgbe and a square \"-Y N +X N\" face");
        goto out;
    }
    if (pos > size || size - pos < (size_t)n * (size_t)n * 4 ||
        (n >= 8 && n < 32768 && (uint8_t)data[pos] == 2 && (uint8_t)data[pos + 1] == 2)) {
        mh_fail(err, path, "", "the pixels must be %d x %d flat RGBE (not run-length encoded)", n, n);
        goto out;
    }
    float *f = malloc(sizeof(float) * 3 * (size_t)n * (size_t)n);
    if (!f) {
        mh_fail(err, path, "", "out of memory");
        goto out;
    }
    const uint8_t *px = (const uint8_t *)data + pos;
    for (size_t i = 0; i < (size_t)n * (size_t)n; i++) {
        int e = px[i * 4 + 3];
        float k = e ? ldexpf(1.0f, e - 136) : 0;
        for (int c = 0; c < 3; c++)
            f[i * 3 + (size_t)c] = e ? ((float)px[i * 4 + (size_t)c] + 0.5f) * k : 0;
    }
    *out = f;
    *out_n = n;
    ok = true;
out:
    free(data);
    return ok;
}

/* One float triple as RGBE (Radiance's shared exponent). */
static void to_rgbe(const float *c, uint8_t out[4])
{
    float m = fmaxf(c[0], fmaxf(c[1], c[2]));
    if (!(m > 1e-32f)) {
        memset(out, 0, 4);
        return;
    }
    int e;
    float k = frexpf(m, &e) * 256.0f / m;
    for (int i = 0; i < 3; i++)
        out[i] = (uint8_t)fminf(255.0f, fmaxf(0.0f, c[i] * k));
    out[3] = (uint8_t)(e + 128);
}

bool mh_env_save_rgbe(const char *dir, const float *faces, int size, mh_error *err)
{
    static const char *const names[6] = {"px.hdr", "nx.hdr", "py.hdr", "ny.hdr", "pz.hdr", "nz.hdr"};
    mkdir(dir, 0755);
    for (int f = 0; f < 6; f++) {
        char path[1200];
        if (!mh_fs_join(dir, names[f], path, sizeof path))
            return mh_fail(err, dir, "", "the folder's name is too long");
        FILE *o = fopen(path, "wb");
        if (!o)
            return mh_fail(err, path, "", "cannot write the file");
        fprintf(o,
                "#?RADIANCE\n# metahall: the hall's image-based light, face %.2s\nFORMAT=32-bit_rle_rgbe\n\n"
                "-Y %d +X %d\n",
                names[f], size, size);
        bool ok = true;
        for (size_t i = 0; i < (size_t)size * (size_t)size && ok; i++) {
            uint8_t px[4];
            to_rgbe(faces + ((size_t)f * (size_t)size * (size_t)size + i) * 3, px);
            ok = fwrite(px, 1, 4, o) == 4;
        }
        if (fclose(o) != 0 || !ok)
            return mh_fail(err, path, "", "cannot write the file");
    }
    return true;
}

bool mh_env_load_rgbe(const char *dir, float **out_faces, int *out_size, mh_error *err)
{
    static const char *const names[6] = {"px.hdr", "nx.hdr", "py.hdr", "ny.hdr", "pz.hdr", "nz.hdr"};
    float *all = NULL;
    int size = 0;
    for (int f = 0; f < 6; f++) {
        char path[1200];
        float *face;
        int n;
        if (!mh_fs_join(dir, names[f], path, sizeof path) || !read_rgbe(path, &face, &n, err)) {
            free(all);
            return false;
        }
        if (f == 0) {
            size = n;
            all = malloc(sizeof(float) * 18 * (size_t)n * (size_t)n);
        }
        if (!all || n != size) {
            free(face);
            free(all);
            return mh_fail(err, path, "", all ? "every face must be the same size (%d)" : "out of memory", size);
        }
        memcpy(all + (size_t)f * (size_t)n * (size_t)n * 3, face, sizeof(float) * 3 * (size_t)n * (size_t)n);
        free(face);
    }
    *out_faces = all;
    *out_size = size;
    return true;
}
