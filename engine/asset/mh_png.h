/* mh_png.h - PNG files <-> RGBA8 pixels, through libpng.
 *
 * Any PNG colour type and bit depth is expanded to 8-bit RGBA. Images larger
 * than MH_PNG_MAX_DIM on a side are refused before any pixel memory is taken,
 * and a truncated or corrupt file is an error, never a crash. */
#ifndef MH_PNG_H
#define MH_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/mh_error.h"

#define MH_PNG_MAX_DIM 8192

typedef struct mh_image {
    int width, height;
    uint8_t *rgba; /* width * height * 4 bytes, rows top to bottom; free() */
} mh_image;

bool mh_png_decode(const void *data, size_t size, const char *name, mh_image *out, mh_error *err);
/* The same, refusing (from the header, before any pixel memory is taken) an
 * image of more than max_pixels pixels: a budget (mh_budget.image_pixels). */
bool mh_png_decode_max(const void *data, size_t size, const char *name, uint64_t max_pixels, mh_image *out,
                       mh_error *err);
/* Width and height from a PNG's header, without decoding; false when the
 * data does not start like a PNG. */
bool mh_png_size(const void *data, size_t size, int *out_w, int *out_h);
bool mh_png_load(const char *path, mh_image *out, mh_error *err);
/* Reads a PNG file opened safely (mh_fs_open: inside root when not NULL)
 * within a pixel budget. */
bool mh_png_load_in(const char *path, const char *root, uint64_t max_pixels, mh_image *out, mh_error *err);
/* Writes RGBA8 rows (top to bottom) as a PNG. */
bool mh_png_write(const char *path, const uint8_t *rgba, int width, int height, mh_error *err);
/* The same into memory: *out is malloc'ed (free() it), *size its length. */
bool mh_png_encode(const uint8_t *rgba, int width, int height, uint8_t **out, size_t *size, mh_error *err);
void mh_image_free(mh_image *img);

#endif
