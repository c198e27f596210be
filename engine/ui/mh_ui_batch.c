/* mh_ui_batch.c - building the interface's triangles for one frame. */
#include "mh_ui_batch.h"

#include <stdlib.h>
#include <string.h>

bool mh_ui_batch_init(mh_ui_batch *b, mh_glyphs *glyphs, uint32_t vertex_cap, int cmd_cap)
{
    *b = (mh_ui_batch){0};
    b->vertices = malloc(sizeof *b->vertices * vertex_cap);
    b->cmds = malloc(sizeof *b->cmds * (size_t)cmd_cap);
    if (!b->vertices || !b->cmds) {
        mh_ui_batch_free(b);
        return false;
    }
    b->vertex_cap = vertex_cap;
    b->cmd_cap = cmd_cap;
    b->glyphs = glyphs;
    mh_glyphs_solid_uv(glyphs, &b->solid_u, &b->solid_v);
    return true;
}

void mh_ui_batch_free(mh_ui_batch *b)
{
    free(b->vertices);
    free(b->cmds);
    *b = (mh_ui_batch){0};
}

void mh_ui_begin(mh_ui_batch *b)
{
    b->vertex_count = 0;
    b->cmd_count = 0;
    b->overflow = 0;
    b->state = (mh_ui_cmd){.space = MH_UI_WORLD, .texture = 0, .sdf = true};
}

void mh_ui_set(mh_ui_batch *b, mh_ui_space space, int texture, bool depth_write)
{
    b->state.space = (uint8_t)space;
    b->state.texture = (uint8_t)texture;
    b->state.sdf = texture == 0;
    b->state.depth_write = depth_write;
    b->state.opaque = false;
}

void mh_ui_set_opaque(mh_ui_batch *b) { b->state.opaque = true; }

/* The command the next vertices belong to; NULL when out of room. */
static mh_ui_cmd *current_cmd(mh_ui_batch *b)
{
    mh_ui_cmd *c = b->cmd_count ? &b->cmds[b->cmd_count - 1] : NULL;
    const mh_ui_cmd *s = &b->state;
    if (c && c->space == s->space && c->texture == s->texture && c->depth_write == s->depth_write &&
        c->opaque == s->opaque)
        return c;
    if (b->cmd_count >= b->cmd_cap)
        return NULL;
    c = &b->cmds[b->cmd_count++];
    *c = *s;
    c->first = b->vertex_count;
    c->count = 0;
    return c;
}

static void put(mh_ui_vertex *v, mh_vec3 p, float u, float t, mh_rgba c)
{
    *v = (mh_ui_vertex){{p.x, p.y, p.z}, {u, t}, {c.r, c.g, c.b, c.a}};
}

void mh_ui_quad(mh_ui_batch *b, const mh_vec3 p[4], float u0, float v0, float u1, float v1, mh_rgba c)
{
    if (c.a == 0)
        return;
    if (b->state.opaque && c.a < 255) { /* only full alpha may skip blending */
        b->overflow++;
        return;
    }
    mh_ui_cmd *cmd = b->vertex_count + 6 <= b->vertex_cap ? current_cmd(b) : NULL;
    if (!cmd) {
        b->overflow++;
        return;
    }
    mh_ui_vertex *v = b->vertices + b->vertex_count;
    put(&v[0], p[0], u0, v0, c);
    put(&v[1], p[3], u0, v1, c);
    put(&v[2], p[2], u1, v1, c);
    put(&v[3], p[0], u0, v0, c);
    put(&v[4], p[2], u1, v1, c);
    put(&v[5], p[1], u1, v0, c);
    b->vertex_count += 6;
    cmd->count += 6;
}

void mh_ui_solid(mh_ui_batch *b, const mh_vec3 p[4], mh_rgba c)
{
    mh_ui_quad(b, p, b->solid_u, b->solid_v, b->solid_u, b->solid_v, c);
}

void mh_ui_gradient(mh_ui_batch *b, const mh_vec3 p[4], const mh_rgba c[4])
{
    if (!c[0].a && !c[1].a && !c[2].a && !c[3].a)
        return;
    if (b->state.opaque && (c[0].a < 255 || c[1].a < 255 || c[2].a < 255 || c[3].a < 255)) {
        b->overflow++;
        return;
    }
    mh_ui_cmd *cmd = b->vertex_count + 6 <= b->vertex_cap ? current_cmd(b) : NULL;
    if (!cmd) {
        b->overflow++;
        return;
    }
    float u = b->solid_u, t = b->solid_v;
    mh_ui_vertex *v = b->vertices + b->vertex_count;
    put(&v[0], p[0], u, t, c[0]);
    put(&v[1], p[3], u, t, c[3]);
    put(&v[2], p[2], u, t, c[2]);
    put(&v[3], p[0], u, t, c[0]);
    put(&v[4], p[2], u, t, c[2]);
    put(&v[5], p[1], u, t, c[1]);
    b->vertex_count += 6;
    cmd->count += 6;
}

void mh_ui_rect(mh_ui_batch *b, float x, float y, float w, float h, mh_rgba c)
{
    mh_vec3 p[4] = {{x, y, 0}, {x + w, y, 0}, {x + w, y + h, 0}, {x, y + h, 0}};
    mh_ui_solid(b, p, c);
}

void mh_ui_frame(mh_ui_batch *b, float x, float y, float w, float h, float line, mh_rgba c)
{
    mh_ui_rect(b, x, y, w, line, c);
    mh_ui_rect(b, x, y + h - line, w, line, c);
    mh_ui_rect(b, x, y + line, line, h - 2 * line, c);
    mh_ui_rect(b, x + w - line, y + line, line, h - 2 * line, c);
}

static mh_vec3 at(const mh_ui_text_frame *f, float x, float y)
{
    return mh_v3_add(f->origin, mh_v3_add(mh_v3_scale(f->right, x), mh_v3_scale(f->down, y)));
}

void mh_ui_text(mh_ui_batch *b, const mh_layout *lay, const mh_ui_text_frame *f, mh_rgba c)
{
    float asc = mh_glyphs_ascender(b->glyphs);
    for (int l = 0; l < lay->line_count; l++) {
        const mh_layout_line *line = &lay->lines[l];
        float x0 = f->align == 1   ? (f->box_width - line->width) * 0.5f
                   : f->align == 2 ? f->box_width - line->width
                                   : 0.0f;
        float base = asc + (float)l * f->line_gap;
        for (int i = line->first; i < line->first + line->count; i++) {
            const mh_layout_glyph *lg = &lay->glyphs[i];
            const mh_glyph *g = mh_glyphs_get(b->glyphs, lg->cp);
            if (g->u1 <= g->u0)
                continue;
            float x = x0 + lg->x;
            mh_vec3 p[4] = {at(f, x + g->x0, base + g->y0), at(f, x + g->x1, base + g->y0),
                            at(f, x + g->x1, base + g->y1), at(f, x + g->x0, base + g->y1)};
            mh_ui_quad(b, p, g->u0, g->v0, g->u1, g->v1, c);
        }
    }
}

static mh_rgba shade(mh_rgba c, float k)
{
    return (mh_rgba){(uint8_t)(c.r * k), (uint8_t)(c.g * k), (uint8_t)(c.b * k), c.a};
}

void mh_ui_box(mh_ui_batch *b, mh_vec3 base, mh_vec3 ax, mh_vec3 ay, mh_vec3 az, mh_rgba c)
{
    /* corners: x +-1, y 0..2 (base at the bottom), z +-1 */
    mh_vec3 k[8];
    for (int i = 0; i < 8; i++) {
        float sx = (i & 1) ? 1.0f : -1.0f, sy = (i & 2) ? 2.0f : 0.0f, sz = (i & 4) ? 1.0f : -1.0f;
        k[i] = mh_v3_add(base, mh_v3_add(mh_v3_scale(ax, sx), mh_v3_add(mh_v3_scale(ay, sy), mh_v3_scale(az, sz))));
    }
    /* front (+z), top, left, right; light from the upper left */
    mh_vec3 front[4] = {k[6], k[7], k[5], k[4]}, top[4] = {k[2], k[3], k[7], k[6]};
    mh_vec3 left[4] = {k[2], k[6], k[4], k[0]}, right[4] = {k[7], k[3], k[1], k[5]};
    mh_ui_solid(b, front, shade(c, 0.86f));
    mh_ui_solid(b, top, shade(c, 1.0f));
    mh_ui_solid(b, left, shade(c, 0.78f));
    mh_ui_solid(b, right, shade(c, 0.62f));
}

mh_render_ui mh_ui_batch_render_desc(const mh_ui_batch *b)
{
    mh_render_ui ui = {.vertices = b->vertices,
                       .vertex_count = b->vertex_count,
                       .vertex_capacity = b->vertex_cap,
                       .cmds = b->cmds,
                       .cmd_count = b->cmd_count};
    ui.atlas = mh_glyphs_pixels(b->glyphs, &ui.atlas_size, &ui.atlas_dirty_y0, &ui.atlas_dirty_y1);
    return ui;
}

mh_rgba mh_rgba_from_linear(mh_vec3 c, float alpha)
{
    return (mh_rgba){(uint8_t)(mh_linear_to_srgb(mh_clampf(c.x, 0, 1)) * 255.0f + 0.5f),
                     (uint8_t)(mh_linear_to_srgb(mh_clampf(c.y, 0, 1)) * 255.0f + 0.5f),
                     (uint8_t)(mh_linear_to_srgb(mh_clampf(c.z, 0, 1)) * 255.0f + 0.5f),
                     (uint8_t)(mh_clampf(alpha, 0, 1) * 255.0f + 0.5f)};
}
