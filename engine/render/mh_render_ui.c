/* mh_render_ui.c - the interface overlay: plain triangles in WORLD space
 * (with each view's camera, depth-tested against the hall) and SCREEN space
 * (pixels, origin top-left), textured with the SDF glyph atlas or an image. */
#include <string.h>

#include "mh_renderer_internal.h"

#include "../core/mh_log.h"
#include "mh_shaders.h"

static void update_atlas(mh_renderer *r, const mh_render_ui *ui)
{
    int size = ui->atlas_size, y0 = ui->atlas_dirty_y0, y1 = ui->atlas_dirty_y1;
    const uint8_t *px = ui->atlas;
    glBindTexture(GL_TEXTURE_2D, r->atlas);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (r->atlas_size != size) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, size, size, 0, GL_RED, GL_UNSIGNED_BYTE, px);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        r->atlas_size = size;
    } else if (y0 < y1) {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, y0, size, y1 - y0, GL_RED, GL_UNSIGNED_BYTE, px + (size_t)y0 * size);
    }
}

/* The program for opaque flat colours: ui.frag without its texture
 * (linked once: at the warm-up's end, or at the interface's first draw). */
void mh_render_ui_link(mh_renderer *r)
{
    if (r->ui_solid_program)
        return;
    mh_error err;
    r->ui_solid_program = mh_render_link(mh_shader_ui_vert, mh_shader_ui_frag, "#define MH_UI_SOLID 1\n", "ui", &err);
    if (!r->ui_solid_program) {
        char text[512];
        mh_log_error("gl", "%s", mh_error_text(&err, text, sizeof text));
        return;
    }
    r->u_ui_solid_mvp = glGetUniformLocation(r->ui_solid_program, "u_mvp");
}

static void setup_ui(mh_renderer *r, const mh_render_ui *ui)
{
    if (!r->ui_vao) {
        glGenVertexArrays(1, &r->ui_vao);
        glGenBuffers(1, &r->ui_vbo);
        glGenTextures(1, &r->atlas);
        mh_render_ui_link(r);
    }
    glBindVertexArray(r->ui_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->ui_vbo);
    if (r->ui_vbo_cap < ui->vertex_capacity) {
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof(mh_render_ui_vertex) * ui->vertex_capacity), NULL,
                     GL_DYNAMIC_DRAW);
        r->ui_vbo_cap = ui->vertex_capacity;
        GLsizei stride = sizeof(mh_render_ui_vertex);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_render_ui_vertex, pos));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_render_ui_vertex, uv));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)offsetof(mh_render_ui_vertex, color));
    }
    /* once a frame: the occluders' pass (before the hall) may have sent these
     * already, and a second copy would wait for the hall's draws */
    if (r->ui_uploaded && ui->vertices == r->ui_occluders.vertices && ui->vertex_count == r->ui_occluders.vertex_count)
        return;
    /* the storage was sized once: a frame only copies into it, no allocation */
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)(sizeof(mh_render_ui_vertex) * ui->vertex_count), ui->vertices);
}

static bool has_occluders(const mh_render_ui *ui)
{
    for (int i = 0; i < ui->cmd_count; i++)
        if (ui->cmds[i].opaque && ui->cmds[i].space == MH_RENDER_UI_WORLD && ui->cmds[i].count)
            return true;
    return false;
}

void mh_renderer_ui_occluders(mh_renderer *r, const mh_render_ui *ui)
{
    r->ui_occluders = has_occluders(ui) ? *ui : (mh_render_ui){0};
}

void mh_render_ui_occlude(mh_renderer *r, const mh_render_view *v)
{
    const mh_render_ui *ui = &r->ui_occluders;
    if (!ui->vertex_count || (r->ui_vao && !r->ui_solid_program))
        return;
    setup_ui(r, ui);
    r->ui_uploaded = true;
    if (!r->ui_solid_program)
        return;
    /* the same program, vertices and matrix as the interface's pass, so
     * the card's depth there is equal and passes LEQUAL */
    glUseProgram(r->ui_solid_program);
    mh_mat4 mvp = mh_m4_mul(v->proj, v->view);
    glUniformMatrix4fv(r->u_ui_solid_mvp, 1, GL_FALSE, mvp.m);
    glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
    glDisable(GL_CULL_FACE);
    for (int i = 0; i < ui->cmd_count; i++) {
        const mh_render_ui_cmd *c = &ui->cmds[i];
        if (c->opaque && c->space == MH_RENDER_UI_WORLD && c->count)
            glDrawArrays(GL_TRIANGLES, (GLint)c->first, (GLsizei)c->count);
    }
    glEnable(GL_CULL_FACE);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    glBindVertexArray(0);
    glUseProgram(0);
}

/* The interface's programs for one pass: the blended, textured one (one
 * matrix per view) and, with one view, the opaque flat one (0 in one-pass
 * stereo: the card is then drawn blended, as it looks the same). */
typedef struct ui_programs {
    GLuint program, solid;
    GLint u_mvp, u_sdf;
} ui_programs;

static void use_program(mh_renderer *r, const ui_programs *p, bool opaque, const float *m, int n)
{
    if (opaque) {
        glUseProgram(p->solid);
        glUniformMatrix4fv(r->u_ui_solid_mvp, 1, GL_FALSE, m);
        glDisable(GL_BLEND);
    } else {
        glUseProgram(p->program);
        glUniformMatrix4fv(p->u_mvp, n, GL_FALSE, m);
        glEnable(GL_BLEND);
    }
}

/* mvp: one matrix per view of the pass (2 with both eyes in one pass). */
static void draw_ui_space(mh_renderer *r, const mh_render_ui *ui, mh_render_ui_space space, const mh_mat4 *mvp, int n,
                          const ui_programs *p)
{
    float m[16 * MH_RENDER_VIEWS];
    for (int i = 0; i < n; i++)
        memcpy(m + 16 * i, mvp[i].m, sizeof mvp[i].m);
    int current = -1; /* the program in use: 1 opaque, 0 blended */
    for (int i = 0; i < ui->cmd_count; i++) {
        const mh_render_ui_cmd *c = &ui->cmds[i];
        if (c->space != space || !c->count)
            continue;
        bool opaque = c->opaque && p->solid;
        if ((int)opaque != current) {
            use_program(r, p, opaque, m, n);
            current = opaque;
        }
        glDepthMask(c->depth_write ? GL_TRUE : GL_FALSE);
        if (opaque) {
            glDrawArrays(GL_TRIANGLES, (GLint)c->first, (GLsizei)c->count);
            continue;
        }
        GLuint tex = c->texture == 0 ? r->atlas : c->texture <= MH_RENDER_UI_IMAGES ? r->images[c->texture] : 0;
        if (!tex)
            continue;
        glBindTexture(GL_TEXTURE_2D, tex);
        glUniform1i(p->u_sdf, c->texture == 0);
        glDrawArrays(GL_TRIANGLES, (GLint)c->first, (GLsizei)c->count);
    }
}

/* One pass of the interface: one view, or (n = 2) both eyes at once. */
static void draw_ui_pass(mh_renderer *r, const mh_render_ui *ui, const mh_render_view *views, int n,
                         const ui_programs *p)
{
    mh_mat4 world[MH_RENDER_VIEWS], screen[MH_RENDER_VIEWS];
    for (int i = 0; i < n; i++) {
        world[i] = mh_m4_mul(views[i].proj, views[i].view);
        /* pixels, origin top-left -> clip space */
        screen[i] = mh_m4_identity();
        screen[i].m[0] = 2.0f / (float)views[i].width;
        screen[i].m[5] = -2.0f / (float)views[i].height;
        screen[i].m[12] = -1.0f;
        screen[i].m[13] = 1.0f;
    }
    glViewport(n > 1 ? 0 : views->x, views->y, views->width, views->height);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    draw_ui_space(r, ui, MH_RENDER_UI_WORLD, world, n, p);
    glDisable(GL_DEPTH_TEST);
    draw_ui_space(r, ui, MH_RENDER_UI_SCREEN, screen, n, p);
}

bool mh_renderer_draw_ui(mh_renderer *r, const mh_render_ui *ui, const mh_render_view *views, int view_count)
{
    if (!ui->vertex_count)
        return false;
    if (r->post_shared_depth)
        mh_render_post_end(r); /* the anti-aliasing before the interface: its text stays sharp */
    setup_ui(r, ui);
    r->ui_uploaded = false;
    glActiveTexture(GL_TEXTURE0);
    update_atlas(r, ui);
    bool mv = r->multiview && view_count == 2;
    const ui_programs p = mv ? (ui_programs){.program = r->ui_mv, .u_mvp = r->u_ui_mv_mvp, .u_sdf = r->u_ui_mv_sdf}
                             : (ui_programs){.program = r->ui_program,
                                             .solid = r->ui_solid_program,
                                             .u_mvp = r->u_ui_mvp,
                                             .u_sdf = r->u_ui_sdf};
    glUseProgram(p.program);
    glUniform1i(mv ? r->u_ui_mv_tex : r->u_ui_tex, 0);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA); /* premultiplied */
    glDisable(GL_CULL_FACE);
    if (mv)
        draw_ui_pass(r, ui, views, 2, &p);
    for (int v = 0; !mv && v < view_count; v++)
        draw_ui_pass(r, ui, &views[v], 1, &p);
    glDepthMask(GL_TRUE);
    glDisable(GL_BLEND);
    glBindVertexArray(0);
    return true;
}

bool mh_renderer_ui_image(mh_renderer *r, int slot, const uint8_t *rgba, int width, int height)
{
    if (slot < 1 || slot > MH_RENDER_UI_IMAGES)
        return false;
    r->image_w[slot] = r->image_h[slot] = 0; /* not a streaming image (any more) */
    if (!rgba) {
        glDeleteTextures(1, &r->images[slot]);
        r->images[slot] = 0;
        return true;
    }
    if (!r->images[slot])
        glGenTextures(1, &r->images[slot]);
    glBindTexture(GL_TEXTURE_2D, r->images[slot]);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    /* plain RGBA8: the interface blends in sRGB, as its colours are given */
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glGenerateMipmap(GL_TEXTURE_2D);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return glGetError() == GL_NO_ERROR;
}

bool mh_renderer_ui_stream(mh_renderer *r, int slot, const uint8_t *rgba, int width, int height)
{
    if (slot < 1 || slot > MH_RENDER_UI_IMAGES || !rgba || width <= 0 || height <= 0)
        return false;
    bool fresh = !r->images[slot] || r->image_w[slot] != width || r->image_h[slot] != height;
    if (!r->images[slot])
        glGenTextures(1, &r->images[slot]);
    glBindTexture(GL_TEXTURE_2D, r->images[slot]);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (fresh) { /* the first frame, or a new size: storage once */
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        r->image_w[slot] = width;
        r->image_h[slot] = height;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    }
    return glGetError() == GL_NO_ERROR;
}

void mh_render_ui_destroy(mh_renderer *r)
{
    glDeleteProgram(r->ui_program);
    glDeleteProgram(r->ui_solid_program);
    glDeleteBuffers(1, &r->ui_vbo);
    glDeleteVertexArrays(1, &r->ui_vao);
    glDeleteTextures(1, &r->atlas);
    glDeleteTextures(MH_RENDER_UI_IMAGES + 1, r->images);
}
