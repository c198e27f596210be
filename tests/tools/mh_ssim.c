/* mh_ssim.c - SSIM of two images (see mh_ssim.h for the formulation): the
 * five local moments through a separable window, then one SSIM value per
 * window position. */
#include "mh_ssim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MH_SSIM_L 255.0
#define MH_SSIM_C1 ((0.01 * MH_SSIM_L) * (0.01 * MH_SSIM_L))
#define MH_SSIM_C2 ((0.03 * MH_SSIM_L) * (0.03 * MH_SSIM_L))

enum { PLANE_A, PLANE_B, PLANE_AA, PLANE_BB, PLANE_AB, PLANES };

typedef struct ssim_kernel {
    int taps;
    double w[11];
} ssim_kernel;

mh_ssim_desc mh_ssim_defaults(const mh_ssim_desc *d)
{
    mh_ssim_desc o = d ? *d : (mh_ssim_desc){0};
    if (o.bg_tolerance <= 0)
        o.bg_tolerance = 2;
    return o;
}

static ssim_kernel ssim_kernel_for(mh_ssim_window w)
{
    ssim_kernel k = {0};
    if (w == MH_SSIM_BOX8) {
        k.taps = 8;
        for (int i = 0; i < 8; i++)
            k.w[i] = 1.0 / 8.0;
        return k;
    }
    k.taps = 11;
    double sum = 0;
    for (int i = 0; i < 11; i++) {
        double x = i - 5;
        k.w[i] = exp(-x * x / (2 * 1.5 * 1.5));
        sum += k.w[i];
    }
    for (int i = 0; i < 11; i++)
        k.w[i] /= sum;
    return k;
}

static double luma(const uint8_t *p) { return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]; }

static bool is_foreground(const uint8_t *p, const mh_ssim_desc *d)
{
    for (int k = 0; k < 3; k++)
        if (abs((int)p[k] - (int)d->bg[k]) > d->bg_tolerance)
            return true;
    return false;
}

/* planes[PLANES][w*h]: a, b, a*a, b*b, a*b */
static void fill_planes(const mh_image *a, const mh_image *b, double *planes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double x = luma(a->rgba + i * 4), y = luma(b->rgba + i * 4);
        planes[PLANE_A * n + i] = x;
        planes[PLANE_B * n + i] = y;
        planes[PLANE_AA * n + i] = x * x;
        planes[PLANE_BB * n + i] = y * y;
        planes[PLANE_AB * n + i] = x * y;
    }
}

/* in: w x h plane; out: (w - taps + 1) x (h - taps + 1) window sums, through a row pass into tmp */
static void filter_plane(const double *in, int w, int h, const ssim_kernel *k, double *tmp, double *out)
{
    int ow = w - k->taps + 1, oh = h - k->taps + 1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < ow; x++) {
            double s = 0;
            for (int i = 0; i < k->taps; i++)
                s += k->w[i] * in[(size_t)y * w + x + i];
            tmp[(size_t)y * ow + x] = s;
        }
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            double s = 0;
            for (int j = 0; j < k->taps; j++)
                s += k->w[j] * tmp[(size_t)(y + j) * ow + x];
            out[(size_t)y * ow + x] = s;
        }
}

static double ssim_of(double ma, double mb, double eaa, double ebb, double eab)
{
    double va = eaa - ma * ma, vb = ebb - mb * mb, cov = eab - ma * mb;
    return ((2 * ma * mb + MH_SSIM_C1) * (2 * cov + MH_SSIM_C2)) /
           ((ma * ma + mb * mb + MH_SSIM_C1) * (va + vb + MH_SSIM_C2));
}

/* one SSIM value per window, at its centre pixel of the map */
static void score_windows(const mh_image *a, const mh_image *b, const mh_ssim_desc *d, const ssim_kernel *k,
                          const double *m, mh_ssim_result *r)
{
    int w = a->width, ow = w - k->taps + 1, oh = a->height - k->taps + 1, c = k->taps / 2;
    size_t on = (size_t)ow * oh;
    double sum = 0;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            size_t o = (size_t)y * ow + x, px = (size_t)(y + c) * w + (x + c);
            if (d->mask && !is_foreground(a->rgba + px * 4, d) && !is_foreground(b->rgba + px * 4, d))
                continue;
            double s = ssim_of(m[PLANE_A * on + o], m[PLANE_B * on + o], m[PLANE_AA * on + o], m[PLANE_BB * on + o],
                               m[PLANE_AB * on + o]);
            r->map[px] = (float)s;
            sum += s;
            r->counted++;
        }
    r->windows = (long)on;
    r->mean = r->counted ? sum / (double)r->counted : 1.0;
}

bool mh_ssim_compute(const mh_image *a, const mh_image *b, const mh_ssim_desc *desc, mh_ssim_result *out, char *why,
                     size_t why_size)
{
    mh_ssim_desc d = mh_ssim_defaults(desc);
    ssim_kernel k = ssim_kernel_for(d.window);
    *out = (mh_ssim_result){0};
    if (a->width != b->width || a->height != b->height) {
        snprintf(why, why_size, "the sizes differ: %dx%d and %dx%d", a->width, a->height, b->width, b->height);
        return false;
    }
    if (a->width < k.taps || a->height < k.taps) {
        snprintf(why, why_size, "%dx%d is smaller than the %dx%d window", a->width, a->height, k.taps, k.taps);
        return false;
    }
    int w = a->width, h = a->height, ow = w - k.taps + 1, oh = h - k.taps + 1;
    size_t n = (size_t)w * h, on = (size_t)ow * oh;
    double *planes = malloc(PLANES * n * sizeof *planes);
    double *tmp = malloc((size_t)ow * h * sizeof *tmp);
    double *moments = malloc(PLANES * on * sizeof *moments);
    out->map = malloc(n * sizeof *out->map);
    if (!planes || !tmp || !moments || !out->map) {
        snprintf(why, why_size, "out of memory for %dx%d images", w, h);
        free(out->map);
        out->map = NULL;
        goto out_free;
    }
    out->width = w;
    out->height = h;
    for (size_t i = 0; i < n; i++)
        out->map[i] = NAN;
    fill_planes(a, b, planes, n);
    for (int p = 0; p < PLANES; p++)
        filter_plane(planes + p * n, w, h, &k, tmp, moments + p * on);
    score_windows(a, b, &d, &k, moments, out);
out_free:
    free(moments);
    free(tmp);
    free(planes);
    return out->map != NULL;
}

void mh_ssim_result_free(mh_ssim_result *r)
{
    free(r->map);
    r->map = NULL;
}

uint8_t *mh_ssim_map_rgba(const mh_ssim_result *r)
{
    size_t n = (size_t)r->width * r->height;
    uint8_t *px = malloc(n * 4);
    if (!px)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint8_t *o = px + i * 4;
        float s = r->map[i];
        if (isnan(s)) {
            o[0] = 20, o[1] = 30, o[2] = 90;
        } else {
            uint8_t g = (uint8_t)lrint(255.0 * (s < 0 ? 0 : s > 1 ? 1 : s));
            o[0] = o[1] = o[2] = g;
        }
        o[3] = 255;
    }
    return px;
}
