/* mh_glyphs.c - signed-distance-field glyphs (FreeType coverage, mh_sdf.c)
 * packed into one R8 atlas on shelves. */
#include "mh_glyphs.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"
#include "mh_font_file.h"
#include "mh_sdf.h"

#define SDF_SPREAD 6 /* pixels of distance on each side of an outline */
#define MAX_GLYPHS 4096
#define HASH_SIZE 8192 /* power of two, > 2 * MAX_GLYPHS */
#define PAD 1
#define SOLID 4 /* side of the reserved solid block */

typedef struct entry {
    uint32_t cp;
    int glyph; /* index + 1; 0 = empty slot */
} entry;

struct mh_glyphs {
    FT_Library lib;
    FT_Face face;
    int px, size;
    uint8_t *pixels;
    int shelf_x, shelf_y, shelf_h;
    int dirty_y0, dirty_y1;
    int resets;
    float ascender, line_height, cap_height;
    mh_glyph glyphs[MAX_GLYPHS];
    int count;
    entry table[HASH_SIZE];
};

static void reset_atlas(mh_glyphs *g)
{
    memset(g->pixels, 0, (size_t)g->size * (size_t)g->size);
    for (int y = 0; y < SOLID; y++)
        memset(g->pixels + (size_t)y * g->size, 255, SOLID);
    memset(g->table, 0, sizeof g->table);
    g->count = 0;
    g->shelf_x = SOLID + PAD;
    g->shelf_y = 0;
    g->shelf_h = SOLID;
    g->dirty_y0 = 0;
    g->dirty_y1 = g->size;
}

static bool open_face(mh_glyphs *g, const mh_glyphs_desc *d, mh_error *err)
{
    for (int i = 0; i < d->font_count; i++) {
        if (mh_fs_is_regular(d->font_paths[i]) && mh_font_file_open(g->lib, d->font_paths[i], 0, &g->face) == 0 &&
            FT_Set_Pixel_Sizes(g->face, 0, (FT_UInt)g->px) == 0) {
            mh_log_debug("text", "glyph atlas font %s", d->font_paths[i]);
            return true;
        }
        if (g->face)
            FT_Done_Face(g->face);
        g->face = NULL;
    }
    return mh_fail(err, d->font_count ? d->font_paths[0] : "", "",
                   "no usable font among the %d listed in hall.json; install fonts-wqy-microhei "
                   "(toolchains/setup.sh does) or list a CJK font file under \"fonts\"",
                   d->font_count);
}

/* The height of a capital letter over the baseline, em: from the outline of
 * "H" (no SDF padding), or 0.7 em when the font has none. */
static float cap_height(mh_glyphs *g)
{
    FT_UInt index = FT_Get_Char_Index(g->face, 'H');
    if (index && FT_Load_Glyph(g->face, index, FT_LOAD_NO_BITMAP) == 0)
        return (float)g->face->glyph->metrics.horiBearingY / 64.0f / (float)g->px;
    return 0.7f;
}

/* Zero means default: a 2048 x 2048 atlas, glyphs rasterised at 48 px. */
static mh_glyphs_desc glyphs_desc_defaults(const mh_glyphs_desc *d)
{
    mh_glyphs_desc r = *d;
    r.atlas_size = d->atlas_size > 0 ? d->atlas_size : 2048;
    r.pixel_size = d->pixel_size > 0 ? d->pixel_size : 48;
    return r;
}

mh_glyphs *mh_glyphs_create(const mh_glyphs_desc *user_desc, mh_error *err)
{
    mh_glyphs_desc resolved = glyphs_desc_defaults(user_desc);
    const mh_glyphs_desc *d = &resolved;
    mh_glyphs *g = calloc(1, sizeof *g);
    if (!g) {
        mh_fail(err, "", "", "out of memory for the glyph atlas");
        return NULL;
    }
    g->size = d->atlas_size;
    g->px = d->pixel_size;
    g->pixels = malloc((size_t)g->size * (size_t)g->size);
    if (!g->pixels || FT_Init_FreeType(&g->lib) != 0) {
        free(g->pixels);
        free(g);
        mh_fail(err, "", "", "cannot start FreeType for the glyph atlas");
        return NULL;
    }
    if (!open_face(g, d, err)) {
        mh_glyphs_destroy(&g);
        return NULL;
    }
    g->ascender = (float)(g->face->size->metrics.ascender >> 6) / (float)g->px;
    float descender = (float)(-g->face->size->metrics.descender >> 6) / (float)g->px;
    g->line_height = g->ascender + descender;
    g->cap_height = cap_height(g);
    reset_atlas(g);
    return g;
}

void mh_glyphs_destroy(mh_glyphs **pg)
{
    mh_glyphs *g = pg ? *pg : NULL;
    if (!g)
        return;
    if (g->face)
        FT_Done_Face(g->face);
    FT_Done_FreeType(g->lib);
    free(g->pixels);
    free(g);
    *pg = NULL;
}

/* Finds room for a w x h box; false when the atlas is full. */
static bool pack(mh_glyphs *g, int w, int h, int *x, int *y)
{
    if (w + PAD > g->size || h + PAD > g->size)
        return false;
    if (g->shelf_x + w + PAD > g->size) {
        g->shelf_y += g->shelf_h + PAD;
        g->shelf_x = 0;
        g->shelf_h = 0;
    }
    if (g->shelf_y + h + PAD > g->size)
        return false;
    *x = g->shelf_x;
    *y = g->shelf_y;
    g->shelf_x += w + PAD;
    if (h > g->shelf_h)
        g->shelf_h = h;
    return true;
}

static void mark_dirty(mh_glyphs *g, int y0, int y1)
{
    if (g->dirty_y0 >= g->dirty_y1) {
        g->dirty_y0 = y0;
        g->dirty_y1 = y1;
        return;
    }
    if (y0 < g->dirty_y0)
        g->dirty_y0 = y0;
    if (y1 > g->dirty_y1)
        g->dirty_y1 = y1;
}

/* Rasterises cp into the atlas; returns false when it does not fit. The
 * field is made from FreeType's anti-aliased coverage (mh_sdf_from_coverage,
 * as the signs' are): FreeType's own distance-field renderer took about 3 ms
 * a glyph, 270 ms of CPU for the interface's first glyphs at start. */
static bool rasterise(mh_glyphs *g, uint32_t cp, mh_glyph *out)
{
    *out = (mh_glyph){0};
    if (FT_Load_Char(g->face, cp, FT_LOAD_DEFAULT | FT_LOAD_NO_BITMAP) != 0)
        return true; /* an empty glyph: nothing to draw, no advance */
    FT_GlyphSlot s = g->face->glyph;
    float em = (float)g->px;
    out->advance = (float)(s->advance.x >> 6) / em;
    if (s->outline.n_points == 0 || FT_Render_Glyph(s, FT_RENDER_MODE_NORMAL) != 0)
        return true; /* a space, or a glyph FreeType cannot render */
    const FT_Bitmap *bm = &s->bitmap;
    if (bm->width == 0 || bm->rows == 0 || bm->pixel_mode != FT_PIXEL_MODE_GRAY)
        return true;
    int w = (int)bm->width + 2 * SDF_SPREAD, h = (int)bm->rows + 2 * SDF_SPREAD, x, y;
    if (!pack(g, w, h, &x, &y))
        return false; /* no field made for an atlas that starts over */
    uint8_t *field = malloc((size_t)w * (size_t)h);
    if (!field || !mh_sdf_from_coverage(bm->buffer, (int)bm->width, (int)bm->rows, bm->pitch, SDF_SPREAD, field)) {
        free(field);
        return true; /* out of memory for its field: drawn as a space */
    }
    for (int r = 0; r < h; r++)
        memcpy(g->pixels + (size_t)(y + r) * g->size + x, field + (size_t)r * (size_t)w, (size_t)w);
    free(field);
    mark_dirty(g, y, y + h);
    float inv = 1.0f / (float)g->size;
    out->u0 = (float)x * inv;
    out->v0 = (float)y * inv;
    out->u1 = (float)(x + w) * inv;
    out->v1 = (float)(y + h) * inv;
    out->x0 = (float)(s->bitmap_left - SDF_SPREAD) / em; /* the field's margin round the coverage */
    out->y0 = -(float)(s->bitmap_top + SDF_SPREAD) / em;
    out->x1 = out->x0 + (float)w / em;
    out->y1 = out->y0 + (float)h / em;
    return true;
}

static entry *slot_for(mh_glyphs *g, uint32_t cp)
{
    uint32_t i = (cp * 2654435761u) & (HASH_SIZE - 1);
    while (g->table[i].glyph && g->table[i].cp != cp)
        i = (i + 1) & (HASH_SIZE - 1);
    return &g->table[i];
}

const mh_glyph *mh_glyphs_get(mh_glyphs *g, uint32_t cp)
{
    entry *e = slot_for(g, cp);
    if (e->glyph)
        return &g->glyphs[e->glyph - 1];
    mh_glyph gl;
    if (g->count >= MAX_GLYPHS || !rasterise(g, cp, &gl)) {
        mh_log_debug("text", "glyph atlas full after %d glyphs: starting over", g->count);
        g->resets++;
        reset_atlas(g);
        if (!rasterise(g, cp, &gl))
            gl = (mh_glyph){0};
        e = slot_for(g, cp);
    }
    g->glyphs[g->count] = gl;
    e->cp = cp;
    e->glyph = ++g->count;
    return &g->glyphs[g->count - 1];
}

float mh_glyphs_advance(void *user, uint32_t cp) { return mh_glyphs_get(user, cp)->advance; }
float mh_glyphs_ascender(const mh_glyphs *g) { return g->ascender; }
float mh_glyphs_cap_height(const mh_glyphs *g) { return g->cap_height; }

float mh_glyphs_line_height(const mh_glyphs *g) { return g->line_height; }
int mh_glyphs_resets(const mh_glyphs *g) { return g->resets; }
int mh_glyphs_count(const mh_glyphs *g) { return g->count; }

void mh_glyphs_solid_uv(const mh_glyphs *g, float *u, float *v) { *u = *v = (SOLID * 0.5f) / (float)g->size; }

const uint8_t *mh_glyphs_pixels(const mh_glyphs *g, int *size, int *y0, int *y1)
{
    *size = g->size;
    *y0 = g->dirty_y0;
    *y1 = g->dirty_y1;
    return g->pixels;
}

void mh_glyphs_mark_clean(mh_glyphs *g) { g->dirty_y0 = g->dirty_y1 = 0; }
