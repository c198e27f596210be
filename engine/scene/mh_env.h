/* mh_env.h - image-based light, GL-free: a cube map of radiance (the
 * hall's own capture, Radiance .hdr faces, or a sky-and-ground hemisphere)
 * turned into what the renderer's shader reads:
 *   - diffuse: the irradiance as nine spherical-harmonic coefficients
 *     (Ramamoorthi and Hanrahan's cosine-lobe convolution), divided by pi,
 *     so a Lambert surface shows albedo * sum(sh[i] * basis_i(n));
 *   - specular: a mip chain prefiltered with the GGX lobe (glTF's
 *     Appendix B distribution, by importance sampling over a box-filtered
 *     pyramid of the source, Krivanek's filtered importance sampling),
 *     perceptual roughness r at level r * (levels - 1); the split sum's
 *     second factor is an analytic fit in the shader.
 *
 * Faces are in OpenGL's cube-map order and layout (+X -X +Y -Y +Z -Z; row
 * t = 0 first, as glTexImage2D takes them): texel (i, j) of an N x N face
 * looks along mh_env_texel_dir. Radiance is linear RGB floats. */
#ifndef MH_ENV_H
#define MH_ENV_H

#include <stdbool.h>

#include "../core/mh_error.h"
#include "../core/mh_math.h"

#define MH_ENV_MAX_LEVELS 8
#define MH_ENV_MAX_SIZE 256

typedef struct mh_env {
    int size;                        /* level 0's face size */
    int levels;                      /* face sizes size, size / 2, ... (at least 4 texels) */
    float *faces[MH_ENV_MAX_LEVELS]; /* level l: 6 faces of (size >> l)^2 RGB texels, malloc'ed */
    float sh[9][3];                  /* irradiance / pi on the basis 1, y, z, x, xy, yz, 3z^2 - 1, xz, x^2 - y^2 */
} mh_env;

typedef struct mh_env_desc {
    int size;        /* level 0's face size: 0 = the source's, at most MH_ENV_MAX_SIZE */
    int samples;     /* GGX samples per texel of the rough levels: 0 = 48 */
    float intensity; /* scales the radiance: 0 = 1 */
    int threads;     /* the threads its faces may be made on (mh_parallel_for): 0, 1 = the caller's alone */
} mh_env_desc;

/* The direction texel (i, j) of face `face` of an n x n face looks along (not normalized). */
mh_vec3 mh_env_texel_dir(int face, int i, int j, int n);
/* Radiance seen along dir in level `level` (bilinear within a face). */
mh_vec3 mh_env_sample(const mh_env *env, int level, mh_vec3 dir);

/* Builds env from six faces of src_size^2 RGB floats (+X -X +Y -Y +Z -Z). */
bool mh_env_build(mh_env *env, const float *src, int src_size, const mh_env_desc *desc, mh_error *err);
/* A room lit by `sky` from above and `ground` from below, blended by
 * height (the hall's hemisphere light, before the hall captures itself). */
bool mh_env_hemisphere(mh_env *env, mh_vec3 sky, mh_vec3 ground, mh_error *err);
/* Reads DIR/px.hdr nx.hdr py.hdr ny.hdr pz.hdr nz.hdr (Radiance RGBE,
 * flat, square, all one size; tests/ref/README.md) into six faces of RGB
 * floats (malloc'ed, *out_faces) of *out_size^2. */
bool mh_env_load_rgbe(const char *dir, float **out_faces, int *out_size, mh_error *err);
/* Writes six faces of size^2 RGB floats as DIR/px.hdr ... nz.hdr (flat
 * RGBE, the format mh_env_load_rgbe reads); creates DIR when missing. */
bool mh_env_save_rgbe(const char *dir, const float *faces, int size, mh_error *err);
/* The irradiance / pi the coefficients give for normal n (for tests). */
mh_vec3 mh_env_sh_eval(const mh_env *env, mh_vec3 n);
/* Multiplies the radiance (every level and the harmonics) by k. */
void mh_env_scale(mh_env *env, float k);
/* The mean irradiance / pi over all normals (the luminance of sh[0]). */
float mh_env_ambient(const mh_env *env);
void mh_env_free(mh_env *env);

#endif
