/* mh_photos.h - an exhibit's gallery photos read on a worker thread (a
 * camera's JPEG takes tens of milliseconds to decode and downscale, which a
 * frame cannot spare): the engine asks for an exhibit's photos when its
 * panel opens and takes each one, ready to upload, as it is done. */
#ifndef MH_PHOTOS_H
#define MH_PHOTOS_H

#include <stdbool.h>
#include <stdint.h>

#include "../asset/mh_png.h"
#include "../core/mh_error.h"

#define MH_PHOTOS_MAX 8

typedef struct mh_photos mh_photos;

mh_photos *mh_photos_create(void);
void mh_photos_destroy(mh_photos **p);
/* Starts reading these pictures (inside root, at most max_pixels decoded,
 * downscaled to max_side); a request still running is dropped. */
void mh_photos_request(mh_photos *p, uint32_t ticket, const char *const *paths, int count, const char *root,
                       uint64_t max_pixels, int max_side);
/* One finished picture, if any: which request and index, and the image
 * (the caller frees it with mh_image_free) or, when it could not be read,
 * ok false and err saying why. */
bool mh_photos_poll(mh_photos *p, uint32_t *ticket, int *index, mh_image *out, bool *ok, mh_error *err);

#endif
