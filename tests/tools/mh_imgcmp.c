/* mh_imgcmp.c - compares two images within a tolerance, for golden-image tests.
 *
 *   mh_imgcmp EXPECTED ACTUAL [--diff OUT.png] [--threshold T] [--max-bad PCT] [--max-mean M]
 *             [--region X,Y,W,H[,MINLUMA]]... [--region-max-bad PCT] [--region-max-mean M]
 *             [--dim-regions F] [--shadow X,Y,W,H,FX,FY,FW,FH,RATIO]... [--lift-shadows]
 *             [--moving X,Y,W,H]...
 *
 * Images are PNG, or XWD (an X window dump from `xwd`, for the desktop test).
 * A pixel is "bad" when any channel differs by more than T (default 40 of 255).
 * The images match when at most PCT percent of pixels are bad (default 0.5)
 * and the mean absolute channel difference is at most M (default 2.0): loose
 * enough for rasteriser rounding, tight enough for a wrong texture, a
 * missing booth or a shifted camera.
 *
 * A landmark is a small part of a frame: drawn black it changed 0.37 % of
 * the entrance's pixels and passed. So a golden can name regions (the
 * landmarks, in pixels of the image) that are held much tighter: at most
 * --region-max-bad percent bad pixels (default 2) and a mean difference of
 * --region-max-mean (default 3.0) inside each. MINLUMA, when given, is a
 * floor on the region's mean Rec. 601 luma (0..255) in ACTUAL itself, so a
 * landmark drawn black fails even against a reference that was rewritten
 * while it was black. --dim-regions F scales ACTUAL's pixels inside the
 * regions by F first: what a landmark drawn black (0) or unlit looks like,
 * for checking that a region catches it (tests/golden_regions_test.sh).
 *
 * --shadow names a contact shadow: the box X,Y,W,H must be darker in ACTUAL
 * than the floor next to it (FX,FY,FW,FH): its mean luma at most RATIO
 * times the floor's, so a shadow left out fails (a shadow is the same in
 * an image and its reference, which a comparison alone would not see).
 * --lift-shadows first paints each shadow box with its floor's mean colour
 * (what the frame looks like without the shadow), for checking that the
 * check catches it.
 * --moving X,Y,W,H leaves a box out of the whole-frame comparison: what
 * moves on its own clock (a hall screen playing its video, whose frame
 * depends on decoding time); regions and shadows are still checked.
 * Exit 0 match, 1 differ, 2 error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_png.h"
#include "core/mh_fs.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int mask_shift(uint32_t m)
{
    int s = 0;
    while (m && !(m & 1)) {
        m >>= 1;
        s++;
    }
    return s;
}

/* XWD: a big-endian 100-byte header, the window name, a colour table, then pixel rows. */
static bool load_xwd(const uint8_t *d, size_t n, mh_image *out, char *why)
{
    if (n < 100 || be32(d + 4) != 7) {
        strcpy(why, "not an XWD file (version 7)");
        return false;
    }
    uint32_t hsize = be32(d), format = be32(d + 8), w = be32(d + 16), h = be32(d + 20);
    uint32_t byte_order = be32(d + 28), bpp = be32(d + 44), bpl = be32(d + 48);
    uint32_t rm = be32(d + 56), gm = be32(d + 60), bm = be32(d + 64), ncolors = be32(d + 76);
    size_t off = (size_t)hsize + (size_t)ncolors * 12;
    if (format != 2 || (bpp != 32 && bpp != 24) || w == 0 || h == 0 || w > 16384 || h > 16384 ||
        off + (size_t)bpl * h > n) {
        strcpy(why, "unsupported or truncated XWD (need a 24/32-bit ZPixmap)");
        return false;
    }
    out->width = (int)w;
    out->height = (int)h;
    out->rgba = malloc((size_t)w * h * 4);
    int rs = mask_shift(rm), gs = mask_shift(gm), bs = mask_shift(bm);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            const uint8_t *p = d + off + (size_t)y * bpl + (size_t)x * (bpp / 8);
            uint32_t v =
                bpp == 32
                    ? (byte_order ? be32(p) : (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24)
                    : (byte_order ? (uint32_t)p[0] << 16 | p[1] << 8 | p[2] : (uint32_t)p[2] << 16 | p[1] << 8 | p[0]);
            uint8_t *o = out->rgba + ((size_t)y * w + x) * 4;
            o[0] = (uint8_t)((v & rm) >> rs);
            o[1] = (uint8_t)((v & gm) >> gs);
            o[2] = (uint8_t)((v & bm) >> bs);
            o[3] = 255;
        }
    return true;
}

#define MAX_REGIONS 16

typedef struct region {
    int x, y, w, h;
    double min_luma; /* < 0: no floor */
} region;

static bool parse_region(const char *s, region *r)
{
    double v[5] = {0, 0, 0, 0, -1};
    int n = sscanf(s, "%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3], &v[4]);
    *r = (region){(int)v[0], (int)v[1], (int)v[2], (int)v[3], v[4]};
    return (n == 4 || n == 5) && r->x >= 0 && r->y >= 0 && r->w > 0 && r->h > 0;
}

/* The region's comparison and its luma in b; false when it fails. */
static bool check_region(const mh_image *a, const mh_image *b, const region *r, int threshold, double max_bad,
                         double max_mean, int index)
{
    if (r->x + r->w > a->width || r->y + r->h > a->height) {
        printf("mh_imgcmp: region %d (%d,%d %dx%d) is outside the %dx%d image: DIFFERENT\n", index, r->x, r->y, r->w,
               r->h, a->width, a->height);
        return false;
    }
    size_t bad = 0, n = (size_t)r->w * (size_t)r->h;
    double sum = 0, luma = 0, luma_a = 0;
    for (int y = r->y; y < r->y + r->h; y++)
        for (int x = r->x; x < r->x + r->w; x++) {
            const uint8_t *p = a->rgba + ((size_t)y * (size_t)a->width + (size_t)x) * 4;
            const uint8_t *q = b->rgba + ((size_t)y * (size_t)b->width + (size_t)x) * 4;
            int m = 0;
            for (int k = 0; k < 3; k++) {
                int dd = abs((int)p[k] - (int)q[k]);
                sum += dd;
                m = dd > m ? dd : m;
            }
            bad += m > threshold;
            luma += 0.299 * q[0] + 0.587 * q[1] + 0.114 * q[2];
            luma_a += 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        }
    double bad_pct = 100.0 * (double)bad / (double)n, mean = sum / (double)(n * 3);
    luma /= (double)n;
    luma_a /= (double)n;
    bool lit = r->min_luma < 0 || luma >= r->min_luma;
    bool pass = bad_pct <= max_bad && mean <= max_mean && lit;
    printf("mh_imgcmp: region %d (%d,%d %dx%d): %.2f%% bad (limit %.2f%%), mean difference %.3f (limit %.2f), "
           "luma %.1f (expected %.1f",
           index, r->x, r->y, r->w, r->h, bad_pct, max_bad, mean, max_mean, luma, luma_a);
    if (r->min_luma >= 0)
        printf(", floor %.1f", r->min_luma);
    printf("): %s\n", pass ? "match" : !lit ? "TOO DARK" : "DIFFERENT");
    return pass;
}

/* A contact shadow and the floor beside it (mh_imgcmp --shadow). */
typedef struct shadow {
    region box, floor;
    double ratio;
} shadow;

static bool parse_shadow(const char *s, shadow *sh)
{
    double v[9] = {0};
    int n =
        sscanf(s, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]);
    *sh = (shadow){{(int)v[0], (int)v[1], (int)v[2], (int)v[3], -1},
                   {(int)v[4], (int)v[5], (int)v[6], (int)v[7], -1},
                   v[8]};
    return n == 9 && sh->box.x >= 0 && sh->box.y >= 0 && sh->box.w > 0 && sh->box.h > 0 && sh->floor.x >= 0 &&
           sh->floor.y >= 0 && sh->floor.w > 0 && sh->floor.h > 0 && sh->ratio > 0 && sh->ratio < 1;
}

static bool inside(const mh_image *img, const region *r)
{
    return r->x + r->w <= img->width && r->y + r->h <= img->height;
}

/* The region's mean colour (rgb) and luma. */
static double region_mean(const mh_image *img, const region *r, double rgb[3])
{
    rgb[0] = rgb[1] = rgb[2] = 0;
    for (int y = r->y; y < r->y + r->h; y++)
        for (int x = r->x; x < r->x + r->w; x++)
            for (int k = 0; k < 3; k++)
                rgb[k] += img->rgba[((size_t)y * (size_t)img->width + (size_t)x) * 4 + k];
    for (int k = 0; k < 3; k++)
        rgb[k] /= (double)r->w * (double)r->h;
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
}

static void lift_shadow(mh_image *img, const shadow *sh)
{
    double rgb[3];
    region_mean(img, &sh->floor, rgb);
    for (int y = sh->box.y; y < sh->box.y + sh->box.h; y++)
        for (int x = sh->box.x; x < sh->box.x + sh->box.w; x++)
            for (int k = 0; k < 3; k++)
                img->rgba[((size_t)y * (size_t)img->width + (size_t)x) * 4 + k] = (uint8_t)(rgb[k] + 0.5);
}

static bool check_shadow(const mh_image *img, const shadow *sh, int index)
{
    if (!inside(img, &sh->box) || !inside(img, &sh->floor)) {
        printf("mh_imgcmp: shadow %d lies outside the %dx%d image: DIFFERENT\n", index, img->width, img->height);
        return false;
    }
    double rgb[3], dark = region_mean(img, &sh->box, rgb), floor = region_mean(img, &sh->floor, rgb);
    bool pass = dark <= sh->ratio * floor;
    printf("mh_imgcmp: shadow %d (%d,%d %dx%d): luma %.1f, the floor beside it %.1f: ratio %.2f (limit %.2f): %s\n",
           index, sh->box.x, sh->box.y, sh->box.w, sh->box.h, dark, floor, floor > 0 ? dark / floor : 1.0, sh->ratio,
           pass ? "match" : "NO SHADOW");
    return pass;
}

/* Scales the region's colour in img by f (a landmark drawn dark). */
static void dim_region(mh_image *img, const region *r, double f)
{
    for (int y = r->y; y < r->y + r->h && y < img->height; y++)
        for (int x = r->x; x < r->x + r->w && x < img->width; x++)
            for (int k = 0; k < 3; k++) {
                uint8_t *p = img->rgba + ((size_t)y * (size_t)img->width + (size_t)x) * 4 + k;
                *p = (uint8_t)(*p * f);
            }
}

static bool load_any(const char *path, mh_image *img)
{
    char *data;
    size_t n;
    mh_error err;
    if (!mh_fs_read_file(path, 512u << 20, &data, &n, &err)) {
        fprintf(stderr, "mh_imgcmp: %s: %s\n", path, err.message);
        return false;
    }
    bool ok;
    char why[600] = "";
    if (n >= 8 && memcmp(data, "\x89PNG", 4) == 0) {
        ok = mh_png_decode(data, n, path, img, &err);
        if (!ok)
            snprintf(why, sizeof why, "%s", err.message);
    } else {
        ok = load_xwd((const uint8_t *)data, n, img, why);
    }
    if (!ok)
        fprintf(stderr, "mh_imgcmp: %s: %s\n", path, why);
    free(data);
    return ok;
}

int main(int argc, char **argv)
{
    const char *expected = NULL, *actual = NULL, *diff = NULL;
    int threshold = 40;
    double max_bad = 0.5, max_mean = 2.0, region_bad = 2.0, region_mean = 3.0, dim = -1;
    region regions[MAX_REGIONS];
    int region_count = 0, shadow_count = 0;
    shadow shadows[MAX_REGIONS];
    region moving[MAX_REGIONS];
    int moving_count = 0;
    bool lift = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--diff") && i + 1 < argc)
            diff = argv[++i];
        else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
            threshold = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-bad") && i + 1 < argc)
            max_bad = atof(argv[++i]);
        else if (!strcmp(argv[i], "--max-mean") && i + 1 < argc)
            max_mean = atof(argv[++i]);
        else if (!strcmp(argv[i], "--region-max-bad") && i + 1 < argc)
            region_bad = atof(argv[++i]);
        else if (!strcmp(argv[i], "--region-max-mean") && i + 1 < argc)
            region_mean = atof(argv[++i]);
        else if (!strcmp(argv[i], "--dim-regions") && i + 1 < argc)
            dim = atof(argv[++i]);
        else if (!strcmp(argv[i], "--lift-shadows"))
            lift = true;
        else if (!strcmp(argv[i], "--shadow") && i + 1 < argc) {
            if (shadow_count == MAX_REGIONS || !parse_shadow(argv[++i], &shadows[shadow_count])) {
                fprintf(stderr, "mh_imgcmp: bad --shadow %s (X,Y,W,H,FX,FY,FW,FH,RATIO with 0 < RATIO < 1)\n", argv[i]);
                return 2;
            }
            shadow_count++;
        } else if (!strcmp(argv[i], "--moving") && i + 1 < argc) {
            if (moving_count == MAX_REGIONS || !parse_region(argv[++i], &moving[moving_count])) {
                fprintf(stderr, "mh_imgcmp: bad --moving %s (X,Y,W,H, at most %d)\n", argv[i], MAX_REGIONS);
                return 2;
            }
            moving_count++;
        } else if (!strcmp(argv[i], "--region") && i + 1 < argc) {
            if (region_count == MAX_REGIONS || !parse_region(argv[++i], &regions[region_count])) {
                fprintf(stderr, "mh_imgcmp: bad --region %s (X,Y,W,H[,MINLUMA], at most %d)\n", argv[i], MAX_REGIONS);
                return 2;
            }
            region_count++;
        } else if (!expected)
            expected = argv[i];
        else if (!actual)
            actual = argv[i];
        else {
            fprintf(stderr,
                    "usage: mh_imgcmp EXPECTED ACTUAL [--diff OUT.png] [--threshold T] [--max-bad PCT] [--max-mean M] "
                    "[--region X,Y,W,H[,MINLUMA]]... [--region-max-bad PCT] [--region-max-mean M] [--dim-regions F] "
                    "[--shadow X,Y,W,H,FX,FY,FW,FH,RATIO]... [--lift-shadows] [--moving X,Y,W,H]...\n");
            return 2;
        }
    }
    if (!expected || !actual) {
        fprintf(stderr,
                "usage: mh_imgcmp EXPECTED ACTUAL [--diff OUT.png] [--threshold T] [--max-bad PCT] [--max-mean M] "
                "[--region X,Y,W,H[,MINLUMA]]... [--region-max-bad PCT] [--region-max-mean M] [--dim-regions F] "
                "[--shadow X,Y,W,H,FX,FY,FW,FH,RATIO]... [--lift-shadows] [--moving X,Y,W,H]...\n");
        return 2;
    }
    mh_image a, b;
    if (!load_any(expected, &a) || !load_any(actual, &b))
        return 2;
    if (a.width != b.width || a.height != b.height) {
        printf("mh_imgcmp: size differs: %s is %dx%d, %s is %dx%d\n", expected, a.width, a.height, actual, b.width,
               b.height);
        return 1;
    }
    for (int i = 0; dim >= 0 && i < region_count; i++)
        dim_region(&b, &regions[i], dim);
    for (int i = 0; lift && i < shadow_count; i++)
        if (inside(&b, &shadows[i].box) && inside(&b, &shadows[i].floor))
            lift_shadow(&b, &shadows[i]);
    size_t npx = (size_t)a.width * a.height, bad = 0, counted = 0;
    double sum = 0;
    uint8_t *d = malloc(npx * 4);
    for (size_t i = 0; i < npx; i++) {
        const uint8_t *p = a.rgba + i * 4, *q = b.rgba + i * 4;
        int px = (int)(i % (size_t)a.width), py = (int)(i / (size_t)a.width);
        bool skip = false;
        for (int k = 0; k < moving_count; k++)
            skip = skip || (px >= moving[k].x && px < moving[k].x + moving[k].w && py >= moving[k].y &&
                            py < moving[k].y + moving[k].h);
        if (skip) { /* left out: blue in the diff */
            memcpy(d + i * 4, (uint8_t[4]){0, 0, 96, 255}, 4);
            continue;
        }
        counted++;
        int m = 0;
        for (int k = 0; k < 3; k++) {
            int dd = abs((int)p[k] - (int)q[k]);
            sum += dd;
            m = dd > m ? dd : m;
        }
        uint8_t grey = (uint8_t)((p[0] + p[1] + p[2]) / 12);
        uint8_t *o = d + i * 4;
        bool is_bad = m > threshold;
        bad += is_bad;
        o[0] = is_bad ? 255 : (uint8_t)(grey + (m * 3 > 190 ? 190 : m * 3));
        o[1] = is_bad ? 0 : grey;
        o[2] = is_bad ? 0 : grey;
        o[3] = 255;
    }
    counted = counted ? counted : 1;
    double bad_pct = 100.0 * (double)bad / (double)counted, mean = sum / (double)(counted * 3);
    bool pass = bad_pct <= max_bad && mean <= max_mean;
    for (int i = 0; i < region_count; i++) {
        bool ok = check_region(&a, &b, &regions[i], threshold, region_bad, region_mean, i + 1);
        pass = pass && ok;
        for (int y = 0; !ok && y < regions[i].h && regions[i].x + regions[i].w <= a.width &&
                        regions[i].y + regions[i].h <= a.height;
             y++) /* a failed region: framed in the diff */
            for (int x = 0; x < regions[i].w; x++)
                if (y == 0 || x == 0 || y == regions[i].h - 1 || x == regions[i].w - 1)
                    memcpy(d + ((size_t)(regions[i].y + y) * (size_t)a.width + (size_t)(regions[i].x + x)) * 4,
                           (uint8_t[4]){255, 255, 0, 255}, 4);
    }
    for (int i = 0; i < shadow_count; i++)
        pass = check_shadow(&b, &shadows[i], i + 1) && pass;
    printf("mh_imgcmp: %s vs %s: %.3f%% pixels differ by more than %d (limit %.2f%%), mean difference %.3f "
           "(limit %.2f)%s: %s\n",
           expected, actual, bad_pct, threshold, max_bad, mean, max_mean, region_count ? " and its regions" : "",
           pass ? "match" : "DIFFERENT");
    if (!pass && diff) {
        mh_error err;
        if (mh_png_write(diff, d, a.width, a.height, &err))
            printf("mh_imgcmp: wrote the difference to %s (red: pixels over the threshold)\n", diff);
    }
    free(d);
    mh_image_free(&a);
    mh_image_free(&b);
    return pass ? 0 : 1;
}
