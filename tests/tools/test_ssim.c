/* test_ssim.c - the SSIM of tests/tools/mh_ssim.c on synthetic images:
 * identical images score exactly 1, shifts and blurs score lower (more of
 * either, lower still), two closed-form cases give their known values, the
 * mask counts only the foreground, and bad sizes are refused. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../mh_test.h"
#include "mh_ssim.h"

typedef uint8_t (*pixel_fn)(int x, int y);

static mh_image grey_image(int w, int h, pixel_fn f)
{
    mh_image im = {w, h, malloc((size_t)w * h * 4)};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = im.rgba + ((size_t)y * w + x) * 4;
            p[0] = p[1] = p[2] = f(x, y);
            p[3] = 255;
        }
    return im;
}

/* smooth waves plus fixed pseudo-random grain */
static uint8_t textured(int x, int y)
{
    uint32_t hsh = (uint32_t)x * 73856093u ^ (uint32_t)y * 19349663u;
    hsh = (hsh ^ (hsh >> 13)) * 1274126177u;
    double v = 128 + 60 * sin(x * 0.31) * cos(y * 0.23) + (double)(hsh >> 24) / 255.0 * 40 - 20;
    return (uint8_t)lrint(v < 0 ? 0 : v > 255 ? 255 : v);
}

static int shift_by;
static uint8_t shifted(int x, int y) { return textured(x + shift_by, y); }
static int blur_radius;
static uint8_t blurred(int x, int y)
{
    int s = 0, n = 0;
    for (int j = -blur_radius; j <= blur_radius; j++)
        for (int i = -blur_radius; i <= blur_radius; i++, n++)
            s += textured(x + i, y + j);
    return (uint8_t)(s / n);
}
static uint8_t brighter(int x, int y) { return (uint8_t)(textured(x, y) * 0.8 + 40); }
static uint8_t grey100(int x, int y)
{
    (void)x, (void)y;
    return 100;
}
static uint8_t grey120(int x, int y)
{
    (void)x, (void)y;
    return 120;
}
static uint8_t checker(int x, int y) { return (x + y) & 1 ? 255 : 0; }
static uint8_t checker_inv(int x, int y) { return (x + y) & 1 ? 0 : 255; }

static double ssim(pixel_fn fa, pixel_fn fb, mh_ssim_window win)
{
    mh_image a = grey_image(96, 80, fa), b = grey_image(96, 80, fb);
    mh_ssim_result r;
    char why[200];
    double s = NAN;
    if (mh_ssim_compute(&a, &b, &(mh_ssim_desc){.window = win}, &r, why, sizeof why)) {
        s = r.mean;
        mh_ssim_result_free(&r);
    }
    mh_image_free(&a);
    mh_image_free(&b);
    return s;
}

static void test_identical(void)
{
    mh_image a = grey_image(96, 80, textured), b = grey_image(96, 80, textured);
    mh_ssim_result r;
    char why[200];
    CHECK(mh_ssim_compute(&a, &b, NULL, &r, why, sizeof why));
    CHECK(r.mean == 1.0);
    CHECK(r.windows == (96 - 10) * (80 - 10));
    CHECK(r.counted == r.windows);
    CHECK(isnan(r.map[0]) && isnan(r.map[4 * 96 + 4])); /* no 11x11 window is centred there */
    CHECK(r.map[5 * 96 + 5] == 1.0f);
    uint8_t *px = mh_ssim_map_rgba(&r);
    CHECK(px && px[(5 * 96 + 5) * 4] == 255 && px[0] == 20 && px[2] == 90);
    free(px);
    mh_ssim_result_free(&r);
    mh_image_free(&a);
    mh_image_free(&b);
    CHECK(ssim(textured, textured, MH_SSIM_BOX8) == 1.0);
}

static void test_worse_is_lower(void)
{
    double s1, s3, b1, b2;
    shift_by = 1;
    s1 = ssim(textured, shifted, MH_SSIM_GAUSS11);
    shift_by = 3;
    s3 = ssim(textured, shifted, MH_SSIM_GAUSS11);
    blur_radius = 1;
    b1 = ssim(textured, blurred, MH_SSIM_GAUSS11);
    blur_radius = 2;
    b2 = ssim(textured, blurred, MH_SSIM_GAUSS11);
    printf("shift 1: %.4f, shift 3: %.4f, blur 3x3: %.4f, blur 5x5: %.4f\n", s1, s3, b1, b2);
    CHECK(s1 < 0.95 && s3 < s1 && s3 > -1.0);
    CHECK(b1 < 0.95 && b2 < b1);
    double br = ssim(textured, brighter, MH_SSIM_GAUSS11);
    CHECK(br < 1.0 && br > 0.9); /* the same structure, a little lighter */
    shift_by = 1;
    CHECK(ssim(textured, shifted, MH_SSIM_BOX8) < 0.95);
}

/* constant 100 against constant 120: only the luminance term,
 * (2*100*120 + C1) / (100^2 + 120^2 + C1); a 1-pixel checker against its
 * inverse in 8x8 boxes: equal means, equal variances 127.5^2, covariance
 * -127.5^2, so (-2*127.5^2 + C2) / (2*127.5^2 + C2) */
static void test_known_values(void)
{
    CHECK_NEAR(ssim(grey100, grey120, MH_SSIM_GAUSS11), 0.9836109249983688, 1e-9);
    CHECK_NEAR(ssim(grey100, grey120, MH_SSIM_BOX8), 0.9836109249983688, 1e-9);
    CHECK_NEAR(ssim(checker, checker_inv, MH_SSIM_BOX8), -0.9964064683569576, 1e-9);
    CHECK(ssim(checker, checker_inv, MH_SSIM_GAUSS11) < -0.9);
}

static uint8_t square(int x, int y) { return x >= 24 && x < 40 && y >= 24 && y < 40 ? textured(x, y) : 30; }
static uint8_t square_noisy(int x, int y)
{
    return x >= 24 && x < 40 && y >= 24 && y < 40 ? (uint8_t)(255 - textured(x * 3, y * 5)) : 30;
}

static void test_mask(void)
{
    mh_image a = grey_image(64, 64, square), b = grey_image(64, 64, square_noisy), c = grey_image(64, 64, square);
    mh_ssim_desc masked = {.mask = true, .bg = {30, 30, 30}};
    mh_ssim_result all, fg, same;
    char why[200];
    CHECK(mh_ssim_compute(&a, &b, NULL, &all, why, sizeof why));
    CHECK(mh_ssim_compute(&a, &b, &masked, &fg, why, sizeof why));
    CHECK(mh_ssim_compute(&a, &c, &masked, &same, why, sizeof why));
    printf("mask: unmasked %.4f, masked %.4f (%ld windows)\n", all.mean, fg.mean, fg.counted);
    CHECK(fg.counted == 16 * 16);
    CHECK(fg.mean < all.mean - 0.3);
    CHECK(same.mean == 1.0 && same.counted == 16 * 16);
    CHECK(isnan(fg.map[10 * 64 + 10]) && !isnan(fg.map[30 * 64 + 30]));
    mh_ssim_result_free(&all);
    mh_ssim_result_free(&fg);
    mh_ssim_result_free(&same);
    mh_image_free(&a);
    mh_image_free(&b);
    mh_image_free(&c);
}

static void test_refused(void)
{
    mh_image a = grey_image(40, 40, textured), b = grey_image(40, 41, textured), s = grey_image(10, 10, textured);
    mh_ssim_result r;
    char why[200] = "";
    CHECK(!mh_ssim_compute(&a, &b, NULL, &r, why, sizeof why));
    CHECK_STR_CONTAINS(why, "sizes differ: 40x40 and 40x41");
    CHECK(!mh_ssim_compute(&s, &s, NULL, &r, why, sizeof why));
    CHECK_STR_CONTAINS(why, "smaller than the 11x11 window");
    CHECK(mh_ssim_compute(&s, &s, &(mh_ssim_desc){.window = MH_SSIM_BOX8}, &r, why, sizeof why));
    CHECK(r.windows == 9);
    mh_ssim_result_free(&r);
    mh_image_free(&a);
    mh_image_free(&b);
    mh_image_free(&s);
}

int main(void)
{
    test_identical();
    test_worse_is_lower();
    test_known_values();
    test_mask();
    test_refused();
    return mh_test_done("test_ssim");
}
