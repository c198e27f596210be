/* mh_lightbake_booth.c - the light bake's booths: each booth template's
 * back wall (mh_bake_booth_wall) is baked once, in the booth's own frame:
 * one booth of it alone on an open floor, the same occlusion and glow as a
 * hall wall's (mh_lb_gather) at each vertex of its front face's grid, the
 * glow of its fixed-colour parts and of its accent parts kept apart (the
 * runtime tints the latter by each booth's accent), written into
 * light.json's "booths". */
#include <float.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mh_lightbake_internal.h"

/* its own glowing strips stand a few centimetres off its ends and over it,
 * so at the walls' strength their spill washes the whole wall in the
 * accent colour; at this it is a soft tint near them */
#define BOOTH_DIFFUSE_K 0.6f
#define BOOTH_FLOOR_M 12.0f /* the open floor round the lone booth */

/* Template t's parts in its own frame, each with what it gives off (fixed,
 * or per unit of accent), and the floor round it. */
static bool booth_tris(mh_lb_bvh *b, const mh_booth_template *t)
{
    bool ok = true;
    for (int k = 0; ok && k < t->part_count; k++) {
        const mh_booth_part *p = &t->parts[k];
        mh_mesh_data m = {0};
        mh_mesh_add_shape(&m, &p->shape, mh_m4_identity());
        float power = mh_lb_glow_power(p->shape.emissive), acc = 0;
        mh_vec3 c = p->shape.color;
        if (p->role == MH_PART_NEUTRAL)
            c = mh_v3_scale(t->neutral, p->shade);
        else if (p->role == MH_PART_ACCENT)
            c = mh_v3(0, 0, 0), acc = power * p->shade;
        float emit[3] = {power * c.x, power * c.y, power * c.z};
        for (uint32_t i = 0; ok && !m.failed && i + 2 < m.index_count; i += 3) {
            float q[3][3];
            for (int v = 0; v < 3; v++)
                memcpy(q[v], m.vertices[m.indices[i + (uint32_t)v]].pos, sizeof q[v]);
            ok = mh_lb_add_tri(b, q, emit);
            b->tris[b->tri_count - 1].accent = acc;
        }
        ok = ok && !m.failed;
        mh_mesh_free(&m);
    }
    const float f = BOOTH_FLOOR_M, none[3] = {0, 0, 0};
    const float a[3][3] = {{-f, 0, -f}, {f, 0, f}, {f, 0, -f}}, c2[3][3] = {{-f, 0, -f}, {-f, 0, f}, {f, 0, f}};
    return ok && mh_lb_add_tri(b, a, none) && mh_lb_add_tri(b, c2, none);
}

/* Vertex (i, j) of the back wall's front face: as a hall wall's
 * (bake_wall_vertex), the ray origins kept on the face; the glow of the
 * fixed-colour parts in fixed.rgb, of the accent parts in accent.rgb[0]. */
static void bake_booth_vertex(const mh_lb_bvh *b, const mh_booth_template *t, const mh_lb_booth *o, const float *rows,
                              int i, int j, mh_lb_texel *fixed, mh_lb_texel *accent)
{
    const mh_shape_desc *s = &t->parts[o->part].shape;
    mh_vec3 p, n, pv;
    mh_bake_booth_point(t, o->part, o->cols, rows, i, j, &p, &n);
    float hw = s->size.x * 0.5f - 0.01f;
    mh_lb_patch pt = {.p = p,
                      .u = mh_v3(1, 0, 0),
                      .n = n,
                      .t2 = mh_v3_cross(n, mh_v3(1, 0, 0)),
                      .col = s->size.x / (float)(o->cols - 1),
                      .lo = {s->pos.x - hw, s->pos.y + 0.02f, -FLT_MAX},
                      .hi = {s->pos.x + hw, FLT_MAX, FLT_MAX}};
    if (j > 0)
        mh_bake_booth_point(t, o->part, o->cols, rows, i, j - 1, &pv, &n), pt.below = (p.y - pv.y) * 0.5f;
    if (j + 1 < o->rows)
        mh_bake_booth_point(t, o->part, o->cols, rows, i, j + 1, &pv, &n), pt.above = (pv.y - p.y) * 0.5f;
    pt.n = n;
    mh_lb_gathered g = mh_lb_gather(b, &pt, i, j, 977u);
    *fixed = *accent = (mh_lb_texel){{0, 0, 0}, -1}; /* hidden: filled from its neighbours */
    if (g.valid < MH_LB_GRID_RAYS / 8)
        return;
    for (int ch = 0; ch < 3; ch++)
        fixed->rgb[ch] = BOOTH_DIFFUSE_K * g.glow[ch] / (float)g.valid;
    accent->rgb[0] = BOOTH_DIFFUSE_K * g.accent / (float)g.valid;
    fixed->ao = accent->ao = 1 - MH_LB_GRID_AO_STRENGTH * g.occl / (float)g.valid;
}

/* Template t's back wall into o (o->part -1: it has none). */
static bool bake_booth(const mh_booth_template *t, mh_lb_booth *o)
{
    *o = (mh_lb_booth){.part = mh_bake_booth_wall(t)};
    if (o->part < 0)
        return true;
    float rows[MH_BAKE_WALL_ROWS_MAX];
    o->cols = mh_bake_booth_grid(t, o->part, rows, &o->rows);
    mh_lb_bvh b = {0};
    size_t n = (size_t)o->cols * (size_t)o->rows;
    o->fixed = malloc(sizeof *o->fixed * n);
    o->accent = malloc(sizeof *o->accent * n);
    bool ok = o->fixed && o->accent && booth_tris(&b, t) && mh_lb_build(&b);
    for (int j = 0; ok && j < o->rows; j++)
        for (int i = 0; i < o->cols; i++)
            bake_booth_vertex(&b, t, o, rows, i, j, &o->fixed[j * o->cols + i], &o->accent[j * o->cols + i]);
    if (ok) {
        mh_lb_fill_hidden(o->fixed, o->cols, o->rows);
        mh_lb_fill_hidden(o->accent, o->cols, o->rows);
        mh_lb_smooth_rows(o->fixed, o->cols, o->rows);
        mh_lb_smooth_rows(o->accent, o->cols, o->rows);
    }
    mh_lb_free(&b);
    return ok;
}

/* Every template's back wall (a failed one: part -1, left plain). */
void mh_lb_bake_booths(const mh_hall_desc *h, mh_lb_booth out[MH_MAX_BOOTH_TEMPLATES])
{
    for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++)
        out[t] = (mh_lb_booth){.part = -1};
    for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++)
        if (!bake_booth(&h->templates[t], &out[t]))
            out[t].part = -1;
}

void mh_lb_free_booths(mh_lb_booth o[MH_MAX_BOOTH_TEMPLATES])
{
    for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++) {
        free(o[t].fixed);
        free(o[t].accent);
    }
}

void mh_lb_booths_json(FILE *f, const mh_hall_desc *h, const mh_lb_booth *o)
{
    bool first = true;
    for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++) {
        if (o[t].part < 0)
            continue;
        int n = o[t].cols * o[t].rows;
        fprintf(f,
                "%s\n    {\"template\": \"%s\", \"key\": \"%016" PRIx64 "\", \"part\": %d, \"cols\": %d, \"rows\": %d",
                first ? ",\n  \"booths\": [" : ",", h->templates[t].name, mh_bake_booth_key(&h->templates[t]),
                o[t].part, o[t].cols, o[t].rows);
        fprintf(f, ",\n     \"ao\": [");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%.3f", i ? ", " : "", (double)mh_clampf(o[t].fixed[i].ao, 0, 1));
        fprintf(f, "],\n     \"fixed\": [");
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                fprintf(f, "%s%.4f", i || c ? ", " : "", (double)o[t].fixed[i].rgb[c]);
        fprintf(f, "],\n     \"accent\": [");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%.4f", i ? ", " : "", (double)o[t].accent[i].rgb[0]);
        fprintf(f, "]}");
        first = false;
    }
    if (!first)
        fprintf(f, "\n  ]");
}
