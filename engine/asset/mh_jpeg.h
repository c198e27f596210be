/* mh_jpeg.h - JPEG images (as designers' tools often export textures) into
 * RGBA8, through libjpeg-turbo. Same limits and error style as mh_png.h. */
#ifndef MH_JPEG_H
#define MH_JPEG_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/mh_error.h"
#include "mh_png.h"

bool mh_jpeg_decode(const void *data, size_t size, const char *name, mh_image *out, mh_error *err);
/* The same within a pixel budget, checked from the header before decoding. */
bool mh_jpeg_decode_max(const void *data, size_t size, const char *name, uint64_t max_pixels, mh_image *out,
                        mh_error *err);
/* Width and height from the JPEG's frame header, without decoding. */
bool mh_jpeg_size(const void *data, size_t size, int *out_w, int *out_h);

#endif
