/* mh_jpeg.c - libjpeg-turbo decoding from memory with a longjmp error exit,
 * so a corrupt or truncated JPEG is an error message, never an exit(). */
#include "mh_jpeg.h"

#include <stdio.h> /* jpeglib.h needs FILE */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct jpeg_fail {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} jpeg_fail;

static void on_error(j_common_ptr cinfo)
{
    jpeg_fail *f = (jpeg_fail *)cinfo->err;
    f->mgr.format_message(cinfo, f->message);
    longjmp(f->jump, 1);
}

static void on_message(j_common_ptr cinfo) { (void)cinfo; /* warnings: keep quiet */ }

bool mh_jpeg_size(const void *data, size_t size, int *out_w, int *out_h)
{
    /* markers from SOI on: the first start-of-frame (C0-CF but C4, C8, CC) holds the size */
    const uint8_t *d = data;
    if (size < 4 || d[0] != 0xFF || d[1] != 0xD8)
        return false;
    size_t pos = 2;
    while (pos + 4 <= size) {
        if (d[pos] != 0xFF)
            return false;
        uint8_t m = d[pos + 1];
        if (m == 0xFF) {
            pos++;
            continue;
        }
        size_t len = (size_t)d[pos + 2] << 8 | d[pos + 3];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (pos + 9 > size || len < 7)
                return false;
            int h = d[pos + 5] << 8 | d[pos + 6], w = d[pos + 7] << 8 | d[pos + 8];
            if (w == 0 || h == 0)
                return false;
            *out_w = w;
            *out_h = h;
            return true;
        }
        if (m == 0xD9 || m == 0xDA || len < 2)
            return false; /* end of image or scan data before any frame */
        pos += 2 + len;
    }
    return false;
}

bool mh_jpeg_decode(const void *data, size_t size, const char *name, mh_image *out, mh_error *err)
{
    return mh_jpeg_decode_max(data, size, name, (uint64_t)MH_PNG_MAX_DIM * MH_PNG_MAX_DIM, out, err);
}

bool mh_jpeg_decode_max(const void *data, size_t size, const char *name, uint64_t max_pixels, mh_image *out,
                        mh_error *err)
{
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    jpeg_fail fail;
    uint8_t *volatile pixels = NULL;
    cinfo.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = on_error;
    fail.mgr.output_message = on_message;
    if (setjmp(fail.jump)) {
        free(pixels);
        jpeg_destroy_decompress(&cinfo);
        return mh_fail(err, name, "", "corrupt JPEG: %s", fail.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (const unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.image_width > MH_PNG_MAX_DIM || cinfo.image_height > MH_PNG_MAX_DIM) {
        snprintf(fail.message, sizeof fail.message, "%ux%u is larger than %d on a side", cinfo.image_width,
                 cinfo.image_height, MH_PNG_MAX_DIM);
        longjmp(fail.jump, 1);
    }
    if ((uint64_t)cinfo.image_width * cinfo.image_height > max_pixels) {
        jpeg_destroy_decompress(&cinfo);
        return mh_fail(err, name, "",
                       "the image is %ux%u (%.1f megapixels), more than the budget of %.1f megapixels "
                       "(budgets.image_pixels); it is not decoded",
                       cinfo.image_width, cinfo.image_height, (double)cinfo.image_width * cinfo.image_height / 1e6,
                       (double)max_pixels / 1e6);
    }
    cinfo.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&cinfo);
    size_t row = (size_t)cinfo.output_width * 4;
    pixels = malloc(row * cinfo.output_height);
    if (!pixels) {
        snprintf(fail.message, sizeof fail.message, "image too large for memory");
        longjmp(fail.jump, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW r = pixels + row * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &r, 1);
    }
    jpeg_finish_decompress(&cinfo);
    out->width = (int)cinfo.output_width;
    out->height = (int)cinfo.output_height;
    out->rgba = pixels;
    jpeg_destroy_decompress(&cinfo);
    return true;
}
