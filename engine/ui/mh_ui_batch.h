/* mh_ui_batch.h - what the visitor interface draws this frame, as a list of
 * coloured, textured triangles the renderer sends in a few draw calls.
 *
 * Two spaces: WORLD geometry (info panels, charts, highlights) is drawn with
 * the camera after the hall, depth-tested; SCREEN geometry (buttons, minimap,
 * captions, reticle, fades) is drawn last in pixels, origin top-left. Colours
 * are sRGB bytes with alpha. Texture 0 is the glyph atlas (text is SDF; solid
 * shapes use its reserved solid block); textures 1.. are panel images.
 *
 * Storage is allocated once (mh_ui_batch_init) and reused every frame:
 * building a frame never allocates. Quads past the capacity are dropped and
 * counted in `overflow`. */
#ifndef MH_UI_BATCH_H
#define MH_UI_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_math.h"
#include "../render/mh_renderer.h"
#include "../text/mh_glyphs.h"
#include "../text/mh_layout.h"

/* The batch is built in the renderer's plain overlay types (mh_render_ui). */
typedef enum mh_ui_space { MH_UI_WORLD = MH_RENDER_UI_WORLD, MH_UI_SCREEN = MH_RENDER_UI_SCREEN } mh_ui_space;
typedef mh_render_ui_vertex mh_ui_vertex;
typedef mh_render_ui_cmd mh_ui_cmd;

typedef struct mh_ui_batch {
    mh_ui_vertex *vertices;
    uint32_t vertex_count, vertex_cap;
    mh_ui_cmd *cmds;
    int cmd_count, cmd_cap;
    uint32_t overflow;
    mh_ui_cmd state; /* the state new quads are drawn with */
    mh_glyphs *glyphs;
    float solid_u, solid_v;
} mh_ui_batch;

typedef struct mh_rgba {
    uint8_t r, g, b, a;
} mh_rgba;

/* What the renderer draws this frame: the batch's triangles and commands,
 * and the glyph atlas with the rows changed since mh_glyphs_mark_clean. */
mh_render_ui mh_ui_batch_render_desc(const mh_ui_batch *b);

bool mh_ui_batch_init(mh_ui_batch *b, mh_glyphs *glyphs, uint32_t vertex_cap, int cmd_cap);
void mh_ui_batch_free(mh_ui_batch *b);
void mh_ui_begin(mh_ui_batch *b);
/* Switches the state of the following quads (starts a new command when it changes). */
void mh_ui_set(mh_ui_batch *b, mh_ui_space space, int texture, bool depth_write);
/* The following solid quads (until the next mh_ui_set) are opaque flat
 * colours at full alpha: drawn without texture or blending, and in WORLD
 * space into depth before the hall, which is then not shaded behind them
 * (an open panel's card). A quad with alpha below 255 is refused (counted
 * in overflow): it would not look the same. */
void mh_ui_set_opaque(mh_ui_batch *b);

/* A quad from four corners (top-left, top-right, bottom-right, bottom-left)
 * with an atlas/image rectangle. */
void mh_ui_quad(mh_ui_batch *b, const mh_vec3 p[4], float u0, float v0, float u1, float v1, mh_rgba c);
/* A solid quad (atlas solid block). */
void mh_ui_solid(mh_ui_batch *b, const mh_vec3 p[4], mh_rgba c);
/* A solid quad whose corners have their own colours, blended across it (a vignette's edge). */
void mh_ui_gradient(mh_ui_batch *b, const mh_vec3 p[4], const mh_rgba c[4]);
/* Screen space helpers: pixels, origin top-left. */
void mh_ui_rect(mh_ui_batch *b, float x, float y, float w, float h, mh_rgba c);
void mh_ui_frame(mh_ui_batch *b, float x, float y, float w, float h, float line, mh_rgba c);

/* A text block placed by a frame: origin is the top-left of the first line's
 * box, right and down are the axes of one em (already scaled to the text
 * size); line_gap is the distance between baselines in ems. align: 0 left,
 * 1 centre, 2 right within box_width ems. */
typedef struct mh_ui_text_frame {
    mh_vec3 origin, right, down;
    float line_gap;
    float box_width;
    int align;
} mh_ui_text_frame;
void mh_ui_text(mh_ui_batch *b, const mh_layout *lay, const mh_ui_text_frame *f, mh_rgba c);

/* A box with flat-shaded faces (a chart bar): base centre, three half-extent
 * axes (x right, y up, z out of the panel); the back face is skipped. */
void mh_ui_box(mh_ui_batch *b, mh_vec3 base, mh_vec3 ax, mh_vec3 ay, mh_vec3 az, mh_rgba c);

/* Linear RGB -> sRGB bytes. */
mh_rgba mh_rgba_from_linear(mh_vec3 c, float alpha);

static inline mh_rgba mh_rgba_alpha(mh_rgba c, float a)
{
    c.a = (uint8_t)(mh_clampf(a, 0.0f, 1.0f) * (float)c.a + 0.5f);
    return c;
}

#endif
