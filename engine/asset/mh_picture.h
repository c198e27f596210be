/* mh_picture.h - an exhibit's pictures (its gallery photos): a PNG or JPEG
 * file inside the exhibit's folder, decoded to RGBA8 within a pixel budget
 * and downscaled so its longer side fits a size (a kiosk shows photos at a
 * few hundred pixels; a camera's 24 megapixels would only cost memory).
 *
 * Used by the scene (the first photo on the booth's back wall), the media
 * room (the panel's gallery) and validate. */
#ifndef MH_PICTURE_H
#define MH_PICTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_error.h"
#include "mh_png.h"

#define MH_PICTURE_SIZE 1024 /* default longer side */

typedef struct mh_picture_desc {
    const char *path;
    const char *root;    /* the folder the file must stay inside (NULL: none) */
    uint64_t max_pixels; /* decoded at full size at most this many pixels (0: 4096 x 4096) */
    int max_side;        /* downscaled to this longer side (0: MH_PICTURE_SIZE) */
} mh_picture_desc;

/* Reads and decodes the picture (format from its first bytes, not its
 * name), then downscales it with a box filter keeping the aspect. On failure
 * err names the file and says why. */
bool mh_picture_load(const mh_picture_desc *desc, mh_image *out, mh_error *err);
/* Downscales img in place (a new buffer) until its longer side is at most
 * max_side; false when out of memory (img unchanged). */
bool mh_picture_fit(mh_image *img, int max_side);

#endif
