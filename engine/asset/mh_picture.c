/* mh_picture.c - exhibit photos: PNG or JPEG in a folder, downscaled. */
#include "mh_picture.h"

#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "mh_jpeg.h"

#define MAX_FILE_BYTES (64u * 1024u * 1024u)

static mh_picture_desc picture_desc_defaults(const mh_picture_desc *d)
{
    mh_picture_desc r = *d;
    r.max_pixels = d->max_pixels ? d->max_pixels : 4096u * 4096u;
    r.max_side = d->max_side > 0 ? d->max_side : MH_PICTURE_SIZE;
    return r;
}

bool mh_picture_fit(mh_image *img, int max_side)
{
    int w = img->width, h = img->height;
    if (w <= max_side && h <= max_side)
        return true;
    float k = (float)max_side / (float)(w > h ? w : h);
    int ow = (int)((float)w * k + 0.5f), oh = (int)((float)h * k + 0.5f);
    ow = ow < 1 ? 1 : ow;
    oh = oh < 1 ? 1 : oh;
    uint8_t *o = malloc((size_t)ow * (size_t)oh * 4);
    if (!o)
        return false;
    /* each output pixel averages the source pixels its footprint covers */
    for (int y = 0; y < oh; y++) {
        int y0 = (int)((long)y * h / oh), y1 = (int)((long)(y + 1) * h / oh);
        y1 = y1 > y0 ? y1 : y0 + 1;
        for (int x = 0; x < ow; x++) {
            int x0 = (int)((long)x * w / ow), x1 = (int)((long)(x + 1) * w / ow);
            x1 = x1 > x0 ? x1 : x0 + 1;
            uint32_t sum[4] = {0};
            for (int sy = y0; sy < y1; sy++)
                for (int sx = x0; sx < x1; sx++)
                    for (int c = 0; c < 4; c++)
                        sum[c] += img->rgba[((size_t)sy * w + sx) * 4 + c];
            uint32_t n = (uint32_t)((y1 - y0) * (x1 - x0));
            for (int c = 0; c < 4; c++)
                o[((size_t)y * ow + x) * 4 + c] = (uint8_t)((sum[c] + n / 2) / n);
        }
    }
    free(img->rgba);
    *img = (mh_image){ow, oh, o};
    return true;
}

bool mh_picture_load(const mh_picture_desc *desc, mh_image *out, mh_error *err)
{
    mh_picture_desc d = picture_desc_defaults(desc);
    char *data = NULL;
    size_t size = 0;
    memset(out, 0, sizeof *out);
    if (!mh_fs_read(d.path, d.root, MAX_FILE_BYTES, &data, &size, err))
        return false;
    const uint8_t *b = (const uint8_t *)data;
    bool ok;
    if (size >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
        ok = mh_png_decode_max(data, size, d.path, d.max_pixels, out, err);
    else if (size >= 3 && !memcmp(b, "\xFF\xD8\xFF", 3))
        ok = mh_jpeg_decode_max(data, size, d.path, d.max_pixels, out, err);
    else
        ok = mh_fail(err, d.path, "", "not a PNG or JPEG image");
    free(data);
    if (ok && !mh_picture_fit(out, d.max_side)) {
        mh_image_free(out);
        ok = mh_fail(err, d.path, "", "out of memory downscaling the image");
    }
    return ok;
}
