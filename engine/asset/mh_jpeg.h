/* mh_jpeg.h - JPEG images (as designers' tools often export textures) into
 * RGBA8, through libjpeg-turbo. Same limits and error style as mh_png.h. */
#ifndef MH_JPEG_H
#define MH_JPEG_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/mh_error.h"
#include "mh_png.h"

bool mh_jpeg_decode(const void *data, size_t size, const char *name, mh_image *out, mh_error *err);

#endif
