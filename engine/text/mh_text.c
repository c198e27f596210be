/* mh_text.c - FreeType glyph rasterising for baked sign textures. */
#include "mh_text.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"
#include "mh_font_file.h"
#include "mh_sdf.h"

#define SIGN_GLYPH_PX 48  /* signs' glyphs are rasterised as distance fields at this size */
#define SIGN_SDF_SPREAD 6 /* pixels of distance on each side of an outline */

struct mh_font {
    FT_Library lib;
    FT_Face face;
    int px; /* the face's pixel size now (0: not set yet) */
    char path[512];
};

mh_font *mh_font_open(const char *const *paths, int count, mh_error *err)
{
    mh_font *f = calloc(1, sizeof *f);
    if (!f || FT_Init_FreeType(&f->lib) != 0) {
        free(f);
        mh_fail(err, "", "", "cannot start FreeType");
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        /* a FIFO or device named as a font must not block the open */
        if (mh_fs_is_regular(paths[i]) && mh_font_file_open(f->lib, paths[i], 0, &f->face) == 0) {
            snprintf(f->path, sizeof f->path, "%s", paths[i]);
            return f;
        }
        mh_log_debug("text", "font %s did not open", paths[i]);
    }
    FT_Done_FreeType(f->lib);
    free(f);
    mh_fail(err, count ? paths[0] : "", "",
            "no usable font among the %d listed in hall.json; install fonts-wqy-microhei "
            "(toolchains/setup.sh does) or list a CJK font file under \"fonts\"",
            count);
    return NULL;
}

void mh_font_close(mh_font **font)
{
    if (!font || !*font)
        return;
    FT_Done_Face((*font)->face);
    FT_Done_FreeType((*font)->lib);
    free(*font);
    *font = NULL;
}

const char *mh_font_path(const mh_font *font) { return font->path; }

/* Sets the face's pixel size only when it changes: each FT_Set_Pixel_Sizes
 * makes FreeType run a TrueType font's size program (its hinting bytecode)
 * again at the next glyph. */
static void set_size(mh_font *f, int px)
{
    if (f->px == px)
        return;
    FT_Set_Pixel_Sizes(f->face, 0, (FT_UInt)px);
    f->px = px;
}

static bool load_glyph(mh_font *f, uint32_t cp, int px, FT_Int32 flags)
{
    set_size(f, px);
    return FT_Load_Char(f->face, cp, flags) == 0;
}

int mh_font_missing(const mh_font *f, const char *utf8)
{
    int missing = 0;
    const char *s = utf8;
    while (*s) {
        uint32_t cp = mh_utf8_next(&s);
        if (cp > ' ' && FT_Get_Char_Index(f->face, cp) == 0)
            missing++;
    }
    return missing;
}

int mh_font_measure(mh_font *f, const char *utf8, int px)
{
    long width = 0;
    const char *s = utf8;
    while (*s) {
        uint32_t cp = mh_utf8_next(&s);
        if (load_glyph(f, cp, px, FT_LOAD_DEFAULT))
            width += f->face->glyph->advance.x >> 6;
    }
    return (int)width;
}

static void blend_bitmap(mh_image *img, const FT_Bitmap *bm, int x0, int y0, const uint8_t color[3])
{
    for (int y = 0; y < (int)bm->rows; y++) {
        int iy = y0 + y;
        if (iy < 0 || iy >= img->height)
            continue;
        for (int x = 0; x < (int)bm->width; x++) {
            int ix = x0 + x;
            if (ix < 0 || ix >= img->width)
                continue;
            unsigned a = bm->buffer[y * bm->pitch + x];
            uint8_t *d = img->rgba + ((size_t)iy * img->width + ix) * 4;
            for (int k = 0; k < 3; k++)
                d[k] = (uint8_t)((color[k] * a + d[k] * (255 - a) + 127) / 255);
        }
    }
}

void mh_font_draw_line(mh_font *f, mh_image *img, const char *utf8, int px, int cx, int top_y, int max_w,
                       const uint8_t color[3])
{
    int w = mh_font_measure(f, utf8, px);
    if (w > max_w && w > 0) {
        px = px * max_w / w; /* shrink to fit the box */
        if (px < 4)
            px = 4;
        w = mh_font_measure(f, utf8, px);
    }
    set_size(f, px);
    int ascender = (int)(f->face->size->metrics.ascender >> 6);
    int descender = (int)(-f->face->size->metrics.descender >> 6);
    /* centre the em box (ascender + descender) vertically in a px-high line */
    int baseline = top_y + ascender - ((ascender + descender) - px) / 2;
    int pen = cx - w / 2;
    const char *s = utf8;
    while (*s) {
        uint32_t cp = mh_utf8_next(&s);
        if (!load_glyph(f, cp, px, FT_LOAD_RENDER))
            continue;
        FT_GlyphSlot g = f->face->glyph;
        blend_bitmap(img, &g->bitmap, pen + g->bitmap_left, baseline - g->bitmap_top, color);
        pen += (int)(g->advance.x >> 6);
    }
}

static void draw_sign_line(void *font, mh_image *img, const char *utf8, int px, int cx, int top_y, int max_w,
                           const uint8_t color[3])
{
    mh_font_draw_line(font, img, utf8, px, cx, top_y, max_w, color);
}

/* cp's outline (unhinted: it is drawn at every size) rendered with
 * anti-aliasing at SIGN_GLYPH_PX, handed over as coverage for the scene to
 * make its distance field (mh_sdf.c: FreeType's own SDF renderers cost
 * 1.3-3 ms a glyph) on a thread of its own. */
static bool sign_glyph(void *font, uint32_t cp, mh_sign_glyph *out)
{
    mh_font *f = font;
    *out = (mh_sign_glyph){0};
    if (!load_glyph(f, cp, SIGN_GLYPH_PX, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP))
        return false;
    FT_GlyphSlot g = f->face->glyph;
    out->advance = (float)g->advance.x / 64.0f;
    if (g->outline.n_points == 0 || FT_Render_Glyph(g, FT_RENDER_MODE_NORMAL) != 0)
        return true; /* a space, or an outline FreeType cannot draw */
    const FT_Bitmap *bm = &g->bitmap;
    int s = SIGN_SDF_SPREAD;
    if (bm->width == 0 || bm->rows == 0 || bm->pixel_mode != FT_PIXEL_MODE_GRAY)
        return true;
    *out = (mh_sign_glyph){.coverage = bm->buffer,
                           .coverage_w = (int)bm->width,
                           .coverage_h = (int)bm->rows,
                           .coverage_pitch = bm->pitch,
                           .spread = s,
                           .width = (int)bm->width + 2 * s,
                           .height = (int)bm->rows + 2 * s,
                           .left = g->bitmap_left - s,
                           .top = g->bitmap_top + s,
                           .advance = out->advance};
    return true;
}

mh_sign_text mh_font_sign_sdf(mh_font *font)
{
    if (!font)
        return (mh_sign_text){0};
    set_size(font, SIGN_GLYPH_PX);
    const FT_Size_Metrics *m = &font->face->size->metrics;
    return (mh_sign_text){.draw_line = draw_sign_line,
                          .glyph = sign_glyph,
                          .field = mh_sdf_from_coverage,
                          .font = font,
                          .glyph_px = SIGN_GLYPH_PX,
                          .ascender = (float)m->ascender / 64.0f,
                          .descender = (float)-m->descender / 64.0f};
}

mh_sign_text mh_font_sign_text(mh_font *font)
{
    return font ? (mh_sign_text){.draw_line = draw_sign_line, .font = font} : (mh_sign_text){0};
}
