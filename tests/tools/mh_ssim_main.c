/* mh_ssim_main.c - the mh_ssim command: SSIM of two PNGs (mh_ssim.h).
 *
 *   mh_ssim A.png B.png [--window gauss11|box8] [--mask-bg R,G,B] [--bg-tolerance N]
 *                       [--map OUT.png] [--side-by-side OUT.png] [--min S]
 *
 * Prints one line, `ssim 0.934512 (41230 of 252004 windows, gauss11, masked)`.
 * --map writes the SSIM map (grey = SSIM clamped to 0..1, dark blue where no
 * window counted); --side-by-side writes A | B | map in one PNG for review.
 * Exit status: 0, or 1 when the mean is below --min; 2 on bad usage or an
 * unreadable image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_ssim.h"

#define GAP 4

typedef struct ssim_args {
    const char *a, *b, *map, *side;
    double min;
    mh_ssim_desc desc;
} ssim_args;

static int usage(const char *why)
{
    fprintf(stderr,
            "mh_ssim: %s\nusage: mh_ssim A.png B.png [--window gauss11|box8] [--mask-bg R,G,B] "
            "[--bg-tolerance N] [--map OUT.png] [--side-by-side OUT.png] [--min S]\n",
            why);
    return 2;
}

static bool parse_rgb(const char *s, uint8_t out[3])
{
    int r, g, b;
    char end;
    if (sscanf(s, "%d,%d,%d%c", &r, &g, &b, &end) != 3 || r < 0 || g < 0 || b < 0 || r > 255 || g > 255 || b > 255)
        return false;
    out[0] = (uint8_t)r, out[1] = (uint8_t)g, out[2] = (uint8_t)b;
    return true;
}

static int parse_args(int argc, char **argv, ssim_args *o)
{
    *o = (ssim_args){.min = -1.0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (a[0] == '-' && a[1] == '-' && !has_value)
            return usage("an option needs a value");
        if (!strcmp(a, "--window")) {
            const char *v = argv[++i];
            if (!strcmp(v, "gauss11"))
                o->desc.window = MH_SSIM_GAUSS11;
            else if (!strcmp(v, "box8"))
                o->desc.window = MH_SSIM_BOX8;
            else
                return usage("--window is gauss11 or box8");
        } else if (!strcmp(a, "--mask-bg")) {
            o->desc.mask = true;
            if (!parse_rgb(argv[++i], o->desc.bg))
                return usage("--mask-bg takes R,G,B (0..255 each)");
        } else if (!strcmp(a, "--bg-tolerance")) {
            o->desc.bg_tolerance = atoi(argv[++i]);
        } else if (!strcmp(a, "--map")) {
            o->map = argv[++i];
        } else if (!strcmp(a, "--side-by-side")) {
            o->side = argv[++i];
        } else if (!strcmp(a, "--min")) {
            o->min = atof(argv[++i]);
        } else if (a[0] == '-' && a[1] == '-') {
            return usage("unknown option");
        } else if (!o->a) {
            o->a = a;
        } else if (!o->b) {
            o->b = a;
        } else {
            return usage("more than two images");
        }
    }
    return o->a && o->b ? 0 : usage("two images are needed");
}

/* A | B | map, each w x h, on a grey ground */
static bool write_side_by_side(const char *path, const mh_image *a, const mh_image *b, const uint8_t *map)
{
    int w = a->width, h = a->height, W = 3 * w + 2 * GAP;
    uint8_t *px = malloc((size_t)W * h * 4);
    if (!px)
        return false;
    memset(px, 128, (size_t)W * h * 4);
    const uint8_t *src[3] = {a->rgba, b->rgba, map};
    for (int p = 0; p < 3; p++)
        for (int y = 0; y < h; y++)
            memcpy(px + ((size_t)y * W + (size_t)p * (w + GAP)) * 4, src[p] + (size_t)y * w * 4, (size_t)w * 4);
    mh_error err;
    bool ok = mh_png_write(path, px, W, h, &err);
    if (!ok) {
        char text[1024];
        fprintf(stderr, "mh_ssim: %s\n", mh_error_text(&err, text, sizeof text));
    }
    free(px);
    return ok;
}

static bool write_outputs(const ssim_args *o, const mh_image *a, const mh_image *b, const mh_ssim_result *r)
{
    uint8_t *map = mh_ssim_map_rgba(r);
    bool ok = map != NULL;
    mh_error err;
    if (ok && o->map && !mh_png_write(o->map, map, r->width, r->height, &err)) {
        char text[1024];
        fprintf(stderr, "mh_ssim: %s\n", mh_error_text(&err, text, sizeof text));
        ok = false;
    }
    if (ok && o->side)
        ok = write_side_by_side(o->side, a, b, map);
    free(map);
    return ok;
}

int main(int argc, char **argv)
{
    ssim_args o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    mh_image a = {0}, b = {0};
    mh_error err;
    if (!mh_png_load(o.a, &a, &err) || !mh_png_load(o.b, &b, &err)) {
        char text[1024];
        fprintf(stderr, "mh_ssim: %s\n", mh_error_text(&err, text, sizeof text));
        mh_image_free(&a);
        return 2;
    }
    mh_ssim_result r;
    char why[200];
    rc = 2;
    if (!mh_ssim_compute(&a, &b, &o.desc, &r, why, sizeof why)) {
        fprintf(stderr, "mh_ssim: %s vs %s: %s\n", o.a, o.b, why);
        goto out_images;
    }
    printf("ssim %.6f (%ld of %ld windows, %s%s)\n", r.mean, r.counted, r.windows,
           o.desc.window == MH_SSIM_BOX8 ? "box8" : "gauss11", o.desc.mask ? ", masked" : "");
    rc = write_outputs(&o, &a, &b, &r) ? (r.mean < o.min ? 1 : 0) : 2;
    mh_ssim_result_free(&r);
out_images:
    mh_image_free(&a);
    mh_image_free(&b);
    return rc;
}
