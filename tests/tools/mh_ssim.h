/* mh_ssim.h - the structural similarity index (SSIM) of two RGBA8 images,
 * for the reference comparison (tests/ref) and its unit test.
 *
 * The standard formulation (Wang, Bovik, Sheikh, Simoncelli 2004): on the
 * luma of the 8-bit sRGB values, Y = 0.299 R + 0.587 G + 0.114 B (Rec. 601,
 * as MATLAB's rgb2gray), L = 255, C1 = (0.01 L)^2, C2 = (0.03 L)^2, local
 * means, variances and covariance over either an 11x11 Gaussian window
 * (sigma 1.5, weights normalised) or an 8x8 box window (population
 * variance), each window wholly inside the image (no padding). The map holds
 * one value per window, stored at the window's centre pixel (for 8x8, the
 * pixel right of and below the middle); the score is the mean over the
 * windows that count.
 *
 * Mask: with a background colour, a window counts only when its centre pixel
 * is foreground in either image (a channel differs from the background by
 * more than the tolerance), so a small model on a large empty background is
 * not flattered by the empty parts. */
#ifndef MH_SSIM_H
#define MH_SSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asset/mh_png.h"

typedef enum mh_ssim_window {
    MH_SSIM_GAUSS11 = 0, /* default */
    MH_SSIM_BOX8,
} mh_ssim_window;

/* zero means default: Gaussian 11x11, no mask */
typedef struct mh_ssim_desc {
    mh_ssim_window window;
    bool mask;        /* compare only where either image is not background */
    uint8_t bg[3];    /* the background colour (sRGB bytes) when mask is set */
    int bg_tolerance; /* per channel; 0 means 2 */
} mh_ssim_desc;

typedef struct mh_ssim_result {
    double mean;  /* mean SSIM over the windows counted; 1 when none count */
    long counted; /* windows counted */
    long windows; /* windows that fit in the image */
    int width, height;
    float *map; /* width * height, NAN where no counted window is centred; free() */
} mh_ssim_result;

mh_ssim_desc mh_ssim_defaults(const mh_ssim_desc *d);
/* false (and a sentence in why) when the sizes differ or the image is smaller than the window */
bool mh_ssim_compute(const mh_image *a, const mh_image *b, const mh_ssim_desc *desc, mh_ssim_result *out, char *why,
                     size_t why_size);
void mh_ssim_result_free(mh_ssim_result *r);
/* The map as RGBA8: grey = clamp(SSIM, 0, 1) * 255, dark blue where nothing counted; free() */
uint8_t *mh_ssim_map_rgba(const mh_ssim_result *r);

#endif
