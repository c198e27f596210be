/* mh_png.c - libpng decoding from memory and encoding to a file. */
#include "mh_png.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"

typedef struct png_reader {
    const uint8_t *data;
    size_t size, pos;
} png_reader;

typedef struct png_ctx {
    mh_error *err;
    const char *name;
    char libpng_msg[200];
} png_ctx;

static void on_error(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    snprintf(ctx->libpng_msg, sizeof ctx->libpng_msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* e.g. "iCCP: known incorrect sRGB profile": harmless */
}

static void read_fn(png_structp png, png_bytep out, png_size_t n)
{
    png_reader *r = png_get_io_ptr(png);
    if (n > r->size - r->pos)
        png_error(png, "file is truncated");
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

/* Every chunk must fit in the file. libpng trusts a chunk's length field and
 * allocates it before reading (a 158-byte file claiming a 1.9 GB tEXt chunk
 * took 1.9 GB), so lengths are checked here first, against the bytes we have. */
static bool check_chunks(const uint8_t *d, size_t size, const char *name, mh_error *err)
{
    size_t pos = 8;
    while (size - pos >= 8) {
        uint32_t len = (uint32_t)d[pos] << 24 | (uint32_t)d[pos + 1] << 16 | (uint32_t)d[pos + 2] << 8 | d[pos + 3];
        char type[5] = {0};
        for (int i = 0; i < 4; i++)
            type[i] = ((d[pos + 4 + i] | 0x20) >= 'a' && (d[pos + 4 + i] | 0x20) <= 'z') ? (char)d[pos + 4 + i] : '?';
        if ((uint64_t)len + 12 > size - pos) {
            char where[48];
            snprintf(where, sizeof where, "byte %zu", pos);
            return mh_fail(err, name, where, "corrupt PNG: chunk %s claims %u bytes but the file has %zu left", type,
                           len, size - pos - 8);
        }
        if (!memcmp(d + pos + 4, "IEND", 4))
            return true;
        pos += (size_t)len + 12;
    }
    return true; /* libpng reports a missing IEND or a cut-off header itself */
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool mh_png_size(const void *data, size_t size, int *out_w, int *out_h)
{
    const uint8_t *d = data;
    if (size < 24 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
        return false;
    uint32_t w = be32(d + 16), h = be32(d + 20);
    if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu)
        return false;
    *out_w = (int)w;
    *out_h = (int)h;
    return true;
}

bool mh_png_decode(const void *data, size_t size, const char *name, mh_image *out, mh_error *err)
{
    return mh_png_decode_max(data, size, name, (uint64_t)MH_PNG_MAX_DIM * MH_PNG_MAX_DIM, out, err);
}

bool mh_png_decode_max(const void *data, size_t size, const char *name, uint64_t max_pixels, mh_image *out,
                       mh_error *err)
{
    memset(out, 0, sizeof *out);
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0)
        return mh_fail(err, name, "", "not a PNG file (bad signature)");
    int hw = 0, hh = 0;
    if (mh_png_size(data, size, &hw, &hh) && (uint64_t)hw * (uint64_t)hh > max_pixels)
        return mh_fail(err, name, "",
                       "the image is %dx%d (%.1f megapixels), more than the budget of %.1f megapixels "
                       "(budgets.image_pixels); it is not decoded",
                       hw, hh, (double)hw * hh / 1e6, (double)max_pixels / 1e6);
    if (!check_chunks(data, size, name, err))
        return false;
    png_ctx ctx = {err, name, ""};
    png_reader rd = {data, size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!png)
        return mh_fail(err, name, "", "out of memory");
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return mh_fail(err, name, "", "corrupt PNG: %s", ctx.libpng_msg[0] ? ctx.libpng_msg : "out of memory");
    }
    png_set_read_fn(png, &rd, read_fn);
    png_set_user_limits(png, MH_PNG_MAX_DIM, MH_PNG_MAX_DIM);
    png_set_chunk_malloc_max(png, 8u << 20);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    if (depth == 16)
        png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    pixels = malloc((size_t)w * h * 4);
    rows = malloc(sizeof(png_bytep) * h);
    if (!pixels || !rows)
        png_error(png, "image too large for memory");
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = pixels + (size_t)y * w * 4;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    out->width = (int)w;
    out->height = (int)h;
    out->rgba = pixels;
    return true;
}

bool mh_png_load(const char *path, mh_image *out, mh_error *err)
{
    return mh_png_load_in(path, NULL, (uint64_t)MH_PNG_MAX_DIM * MH_PNG_MAX_DIM, out, err);
}

bool mh_png_load_in(const char *path, const char *root, uint64_t max_pixels, mh_image *out, mh_error *err)
{
    char *data;
    size_t size;
    memset(out, 0, sizeof *out);
    if (!mh_fs_read(path, root, 64u << 20, &data, &size, err))
        return false;
    bool ok = mh_png_decode_max(data, size, path, max_pixels, out, err);
    free(data);
    return ok;
}

/* Encodes into an open stream; `name` is for messages. */
static bool write_stream(FILE *f, const char *name, const uint8_t *rgba, int width, int height, mh_error *err)
{
    png_ctx ctx = {err, name, ""};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return mh_fail(err, name, "", "cannot encode PNG: %s", ctx.libpng_msg);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    png_write_info(png, info);
    for (int y = 0; y < height; y++)
        png_write_row(png, (png_const_bytep)(rgba + (size_t)y * width * 4));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return true;
}

bool mh_png_write(const char *path, const uint8_t *rgba, int width, int height, mh_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return mh_fail(err, path, "", "cannot write file: %s", strerror(errno));
    bool ok = write_stream(f, path, rgba, width, height, err);
    if (fclose(f) != 0 && ok)
        return mh_fail(err, path, "", "cannot write file: %s", strerror(errno));
    return ok;
}

bool mh_png_encode(const uint8_t *rgba, int width, int height, uint8_t **out, size_t *size, mh_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return mh_fail(err, "", "", "out of memory encoding a PNG");
    bool ok = write_stream(f, "(memory)", rgba, width, height, err);
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        free(buf);
        return false;
    }
    *out = (uint8_t *)buf;
    *size = len;
    return true;
}

void mh_image_free(mh_image *img)
{
    free(img->rgba);
    img->rgba = NULL;
    img->width = img->height = 0;
}
