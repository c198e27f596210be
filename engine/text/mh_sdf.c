/* mh_sdf.c - signed distance fields from coverage bitmaps (see mh_sdf.h). */
#include "mh_sdf.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#define FAR 1e20f

/* One line of squared distances in place: f[i] becomes min_j (f[j] + (i - j)^2)
 * (the lower envelope of the parabolas rooted at each j). v, z: scratch of
 * n and n + 1 items; g: a copy of f. */
static void edt_line(float *f, int n, int stride, int *v, float *z, float *g)
{
    for (int i = 0; i < n; i++)
        g[i] = f[(size_t)i * (size_t)stride];
    int k = 0;
    v[0] = 0;
    z[0] = -FAR;
    z[1] = FAR;
    for (int q = 1; q < n; q++) {
        float s;
        for (;;) { /* z[0] is -FAR: k never goes below 0 */
            int p = v[k];
            s = ((g[q] + (float)(q * q)) - (g[p] + (float)(p * p))) / (float)(2 * q - 2 * p);
            if (s > z[k])
                break;
            k--;
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = FAR;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
        while (z[k + 1] < (float)q)
            k++;
        float d = (float)(q - v[k]);
        f[(size_t)q * (size_t)stride] = d * d + g[v[k]];
    }
}

/* Squared distances, in place over a W x H grid (0 at the seeds, FAR elsewhere). */
static void edt(float *f, int W, int H, int *v, float *z, float *g)
{
    for (int x = 0; x < W; x++)
        edt_line(f + x, H, W, v, z, g);
    for (int y = 0; y < H; y++)
        edt_line(f + (size_t)y * (size_t)W, W, 1, v, z, g);
}

bool mh_sdf_from_coverage(const uint8_t *coverage, int w, int h, int pitch, int spread, uint8_t *out)
{
    int W = w + 2 * spread, H = h + 2 * spread, n = W > H ? W : H;
    size_t cells = (size_t)W * (size_t)H;
    float *outside = malloc(cells * sizeof(float)), *inside = malloc(cells * sizeof(float));
    float *z = malloc(((size_t)n + 1) * sizeof(float)), *g = malloc((size_t)n * sizeof(float));
    int *v = malloc((size_t)n * sizeof(int));
    uint8_t *a = calloc(cells, 1);
    bool ok = outside && inside && z && g && v && a;
    if (ok) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                a[(size_t)(y + spread) * (size_t)W + (size_t)(x + spread)] = coverage[(ptrdiff_t)y * pitch + x];
        /* outside: the distance to the nearest pixel at least half covered; inside: to the nearest one less */
        for (size_t i = 0; i < cells; i++) {
            outside[i] = a[i] >= 128 ? 0 : FAR;
            inside[i] = a[i] >= 128 ? FAR : 0;
        }
        edt(outside, W, H, v, z, g);
        edt(inside, W, H, v, z, g);
        float scale = 127.0f / (float)spread;
        for (size_t i = 0; i < cells; i++) {
            float d; /* pixels from the outline, positive outside */
            if (a[i] > 0 && a[i] < 255)
                d = 0.5f - (float)a[i] / 255.0f; /* on the outline: as far as its coverage says */
            else if (a[i] == 0)
                d = sqrtf(outside[i]) - 0.5f;
            else
                d = 0.5f - sqrtf(inside[i]);
            float value = 128.0f - d * scale;
            out[i] = (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value + 0.5f);
        }
    }
    free(outside);
    free(inside);
    free(z);
    free(g);
    free(v);
    free(a);
    return ok;
}
