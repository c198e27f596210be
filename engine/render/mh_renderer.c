/* mh_renderer.c - GLES 3.0: shader programs, the offscreen target, and
 * drawing a frame (layers of uploaded scenes for one or two views, culled
 * by scene/mh_cull.c), the fill-rate floor, read-back. Uploads are in
 * mh_render_upload.c, the interface overlay in mh_render_ui.c. */
#include "mh_renderer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"
#include "mh_renderer_internal.h"
#include "mh_shaders.h"

_Static_assert(MH_RENDER_VIEWS <= MH_CULL_VIEWS, "culling takes every view the renderer draws");

bool mh_renderer_name_is_software(const char *gl_renderer)
{
    static const char *const cpu[] = {"llvmpipe", "softpipe", "SwiftShader", "swrast"};
    for (size_t i = 0; i < sizeof cpu / sizeof *cpu; i++)
        if (gl_renderer && strstr(gl_renderer, cpu[i]))
            return true;
    return false;
}

/* Compiles src with `defines` ("#define X 1\n" lines, or "") inserted after
 * its #version line. */
static GLuint compile(GLenum type, const char *src, const char *defines, const char *name, mh_error *err)
{
    GLuint s = glCreateShader(type);
    const char *body = strchr(src, '\n');
    body = body ? body + 1 : src;
    const char *parts[3] = {src, defines, body};
    GLint lengths[3] = {(GLint)(body - src), (GLint)strlen(defines), -1};
    glShaderSource(s, 3, parts, lengths);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[512] = "";
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        mh_fail(err, name, "", "shader does not compile: %s", log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

static GLuint link(const char *vs_src, const char *fs_src, const char *defines, const char *name, mh_error *err)
{
    char vname[64], fname[64];
    snprintf(vname, sizeof vname, "shaders/%s.vert", name);
    snprintf(fname, sizeof fname, "shaders/%s.frag", name);
    GLuint vs = compile(GL_VERTEX_SHADER, vs_src, defines, vname, err);
    GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, fs_src, defines, fname, err) : 0;
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[512] = "";
        glGetProgramInfoLog(p, sizeof log, NULL, log);
        glDeleteProgram(p);
        mh_fail(err, vname, "", "shader program does not link: %s", log);
        return 0;
    }
    return p;
}

static bool build_lit(lit_program *p, const char *defines, mh_error *err)
{
    p->id = link(mh_shader_lit_vert, mh_shader_lit_frag, defines, "lit", err);
    if (!p->id)
        return false;
    p->u_view_proj = glGetUniformLocation(p->id, "u_view_proj");
    p->u_eye = glGetUniformLocation(p->id, "u_eye");
    p->u_sky = glGetUniformLocation(p->id, "u_sky");
    p->u_ground = glGetUniformLocation(p->id, "u_ground");
    p->u_sun_color = glGetUniformLocation(p->id, "u_sun_color");
    p->u_sun_dir = glGetUniformLocation(p->id, "u_sun_dir");
    p->u_fog_color = glGetUniformLocation(p->id, "u_fog_color");
    p->u_fog_density = glGetUniformLocation(p->id, "u_fog_density");
    p->u_base = glGetUniformLocation(p->id, "u_base");
    p->u_dissolve = glGetUniformLocation(p->id, "u_dissolve");
    return true;
}

static bool build_program(mh_renderer *r, mh_error *err)
{
    if (!build_lit(&r->lit, "", err) || !build_lit(&r->plain, "#define MH_UNTEXTURED 1\n", err) ||
        !build_lit(&r->dissolve, "#define MH_DISSOLVE 1\n", err))
        return false;
    r->ui_program = link(mh_shader_ui_vert, mh_shader_ui_frag, "", "ui", err);
    if (!r->ui_program)
        return false;
    r->u_ui_mvp = glGetUniformLocation(r->ui_program, "u_mvp");
    r->u_ui_sdf = glGetUniformLocation(r->ui_program, "u_sdf");
    r->u_ui_tex = glGetUniformLocation(r->ui_program, "u_tex");
    return true;
}

static bool make_offscreen(mh_renderer *r, mh_error *err)
{
    GLint max_samples = 0;
    glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
    /* auto (0): 4x on a GPU; off on a CPU rasteriser, where it costs ~2.5x */
    r->samples = r->desc.msaa > max_samples ? max_samples : r->desc.msaa;
    if (r->samples < 2)
        r->samples = 0;
    r->width = r->desc.offscreen_width;
    r->height = r->desc.offscreen_height;
    glGenRenderbuffers(1, &r->msaa_color);
    glBindRenderbuffer(GL_RENDERBUFFER, r->msaa_color);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, r->samples, GL_RGBA8, r->width, r->height);
    glGenRenderbuffers(1, &r->msaa_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, r->msaa_depth);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, r->samples, GL_DEPTH_COMPONENT24, r->width, r->height);
    glGenFramebuffers(1, &r->msaa_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->msaa_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->msaa_color);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->msaa_depth);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER), st2 = GL_FRAMEBUFFER_COMPLETE;
    if (r->samples) {   /* without MSAA the frame is drawn straight into the target above */
        glGenRenderbuffers(1, &r->resolve_color);
        glBindRenderbuffer(GL_RENDERBUFFER, r->resolve_color);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, r->width, r->height);
        glGenFramebuffers(1, &r->resolve_fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, r->resolve_fbo);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->resolve_color);
        st2 = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE || st2 != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "", "offscreen framebuffer %dx%d (%d samples) is incomplete (0x%x, 0x%x)", r->width,
                       r->height, r->samples, st, st2);
    return true;
}

/* Zero means default: msaa 0 is 4x on a GPU and off on a CPU rasteriser,
 * where it costs ~2.5x the frame time (so it needs to know which it is). */
static mh_renderer_desc renderer_desc_defaults(const mh_renderer_desc *d, bool software)
{
    mh_renderer_desc r = *d;
    r.msaa = d->msaa ? d->msaa : software ? 1 : 4;
    return r;
}

mh_renderer *mh_renderer_create(const mh_renderer_desc *desc, mh_error *err)
{
    mh_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    mh_pool_init(&r->scene_pool, MH_RENDER_SCENES);
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    const char *version = (const char *)glGetString(GL_VERSION);
    if (!renderer || !version) {
        free(r);
        mh_fail(err, "", "", "no current OpenGL ES context");
        return NULL;
    }
    snprintf(r->gl_name, sizeof r->gl_name, "%s (%s)", renderer, version);
    r->software = mh_renderer_name_is_software(renderer);
    r->desc = renderer_desc_defaults(desc, r->software);
    const char *ext = (const char *)glGetString(GL_EXTENSIONS);
    if (ext && strstr(ext, "GL_EXT_texture_filter_anisotropic"))
        glGetFloatv(GL_MAX_TEXTURE_MAX_ANISOTROPY_EXT, &r->max_aniso);
    bool ok = build_program(r, err);
    if (ok && desc->offscreen_width > 0 && desc->offscreen_height > 0)
        ok = make_offscreen(r, err);
    if (!ok) {
        mh_renderer_destroy(&r);
        return NULL;
    }
    mh_log_info("gl", "%s, %s", r->gl_name,
                r->width ? (r->samples ? "offscreen with MSAA" : "offscreen, no MSAA") : "window");
    return r;
}

void mh_renderer_destroy(mh_renderer **pr)
{
    mh_renderer *r = pr ? *pr : NULL;
    if (!r)
        return;
    for (int i = 0; i < MH_RENDER_SCENES; i++)
        mh_renderer_scene_destroy(r, &(mh_gpu_scene){mh_pool_id(&r->scene_pool, i)});
    glDeleteProgram(r->lit.id);
    glDeleteProgram(r->plain.id);
    glDeleteProgram(r->dissolve.id);
    mh_render_ui_destroy(r);
    glDeleteBuffers(1, &r->floor_vbo);
    glDeleteVertexArrays(1, &r->floor_vao);
    glDeleteFramebuffers(1, &r->msaa_fbo);
    glDeleteFramebuffers(1, &r->resolve_fbo);
    GLuint rbs[3] = {r->msaa_color, r->msaa_depth, r->resolve_color};
    glDeleteRenderbuffers(3, rbs);
    free(r);
    *pr = NULL;
}

static void set_lighting(const lit_program *p, const mh_render_lighting *l)
{
    glUseProgram(p->id);
    glUniform3f(p->u_sky, l->sky.x, l->sky.y, l->sky.z);
    glUniform3f(p->u_ground, l->ground.x, l->ground.y, l->ground.z);
    glUniform3f(p->u_sun_color, l->sun_color.x, l->sun_color.y, l->sun_color.z);
    glUniform3f(p->u_sun_dir, l->sun_dir.x, l->sun_dir.y, l->sun_dir.z);
    glUniform3f(p->u_fog_color, l->clear.x, l->clear.y, l->clear.z);
    glUniform1f(p->u_fog_density, l->fog_density);
    glUniform1i(p->u_base, 0);
}

/* Culls and sorts a layer's chunks once for all views of the frame (a
 * chunk any eye sees is drawn in both): only the visible ones go into the
 * sort buffer, so the work follows what is seen. */
static void prepare_layer(gpu_scene *g, const mh_scene *sc, const mh_cull_desc *cull, mh_render_stats *st)
{
    g->item_count = mh_cull_chunks(sc, cull, g->items, g->item_cap);
    st->chunks_culled += sc->chunk_count - g->item_count;
}

/* Uses program p with this view's camera (uniforms persist per program, so
 * each is set once per view). */
static void use_program(const lit_program *p, const mh_render_view *v, mh_mat4 vp, const lit_program **current)
{
    if (p == *current)
        return;
    glUseProgram(p->id);
    glUniformMatrix4fv(p->u_view_proj, 1, GL_FALSE, vp.m);
    glUniform3f(p->u_eye, v->eye.x, v->eye.y, v->eye.z);
    *current = p;
}

/* Draws the visible chunks front to back; untextured ones (texture 0, plain
 * white) with the program that skips the sampler, unless fading. */
static void draw_layer(mh_renderer *r, gpu_scene *g, const mh_scene *sc, const lit_program *textured,
                       const mh_render_view *v, mh_mat4 vp, const lit_program **current, mh_render_stats *st)
{
    glBindVertexArray(g->vao);
    int bound = -1;
    for (int k = 0; k < g->item_count; k++) {
        const mh_scene_chunk *c = &sc->chunks[g->items[k].chunk];
        use_program(c->texture == 0 && textured == &r->lit ? &r->plain : textured, v, vp, current);
        if (c->texture != bound && c->texture != 0) {
            glBindTexture(GL_TEXTURE_2D, g->textures[c->texture]);
            bound = c->texture;
        }
        int lod = g->items[k].lod;
        uint32_t first = lod ? c->lod_first[lod - 1] : c->first_index, count = lod ? c->lod_count[lod - 1] : c->index_count;
        glDrawElements(GL_TRIANGLES, (GLsizei)count, GL_UNSIGNED_INT, (void *)(uintptr_t)(first * sizeof(uint32_t)));
        st->draw_calls++;
        st->triangles += count / 3;
    }
}

static gpu_scene *layer_scene(mh_renderer *r, const mh_render_layer *l)
{
    gpu_scene *g = mh_render_scene_slot(r, l->scene);
    return g && g->complete && l->cpu ? g : NULL;
}

static void draw_view(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *v,
                      mh_render_stats *st)
{
    mh_mat4 vp = mh_m4_mul(v->proj, v->view);
    glViewport(v->x, v->y, v->width, v->height);
    const lit_program *current = NULL;
    for (int i = 0; i < layer_count; i++) {
        gpu_scene *g = layer_scene(r, &layers[i]);
        if (!g)
            continue;
        const lit_program *p = layers[i].dissolve != 0 ? &r->dissolve : &r->lit;
        if (p == &r->dissolve) {
            use_program(p, v, vp, &current);
            glUniform1f(p->u_dissolve, layers[i].dissolve);
        }
        draw_layer(r, g, layers[i].cpu, p, v, vp, &current, st);
    }
}

void mh_renderer_draw(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                      int view_count, const mh_render_lighting *light, uint32_t target_fbo, int target_w,
                      int target_h, mh_render_stats *out_stats)
{
    mh_render_stats st = {0};
    r->target_fbo = target_fbo;
    glBindFramebuffer(GL_FRAMEBUFFER, r->width ? r->msaa_fbo : target_fbo);
    int w = r->width ? r->width : target_w, h = r->width ? r->height : target_h;
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    /* the clear colour goes out sRGB-encoded, like the shader's output */
    glClearColor(mh_linear_to_srgb(light->clear.x), mh_linear_to_srgb(light->clear.y),
                 mh_linear_to_srgb(light->clear.z), 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glDisable(GL_BLEND);
    for (int i = 0; i < layer_count; i++) {
        if (layers[i].dissolve != 0) {   /* the crossfade program only while something fades */
            set_lighting(&r->dissolve, light);
            break;
        }
    }
    set_lighting(&r->lit, light);
    set_lighting(&r->plain, light);
    glActiveTexture(GL_TEXTURE0);
    if (view_count > MH_RENDER_VIEWS)
        view_count = MH_RENDER_VIEWS;
    mh_cull_desc cull = {.view_count = view_count,
                         .px_per_radian = views[0].proj.m[5] * (float)views[0].height * 0.5f};
    for (int i = 0; i < view_count; i++) {
        cull.view_proj[i] = mh_m4_mul(views[i].proj, views[i].view);
        cull.eyes[i] = views[i].eye;
    }
    for (int i = 0; i < layer_count; i++) {
        gpu_scene *g = layer_scene(r, &layers[i]);
        if (g)
            prepare_layer(g, layers[i].cpu, &cull, &st);
    }
    for (int i = 0; i < view_count; i++)
        draw_view(r, layers, layer_count, &views[i], &st);
    glBindVertexArray(0);
    if (out_stats)
        *out_stats = st;
}

void mh_renderer_draw_floor(mh_renderer *r, mh_gpu_scene textures_of, const mh_render_lighting *light,
                            uint32_t target_fbo, int target_w, int target_h)
{
    if (!r->floor_vao) {
        /* clip space (an identity view-projection), facing the eye, lit, textured */
        mh_vertex q[4];
        for (int i = 0; i < 4; i++) {
            float x = (i & 1) ? 1.0f : -1.0f, y = (i & 2) ? 1.0f : -1.0f;
            q[i] = (mh_vertex){{x, y, 0.5f}, {0.3f, 0.4f, 0.866f}, {x * 4.0f, y * 2.25f}, {200, 200, 200, 255}, {0}};
        }
        glGenVertexArrays(1, &r->floor_vao);
        glBindVertexArray(r->floor_vao);
        glGenBuffers(1, &r->floor_vbo);
        glBindBuffer(GL_ARRAY_BUFFER, r->floor_vbo);
        glBufferData(GL_ARRAY_BUFFER, sizeof q, q, GL_STATIC_DRAW);
        mh_render_vertex_layout();
    }
    r->target_fbo = target_fbo;
    glBindFramebuffer(GL_FRAMEBUFFER, r->width ? r->msaa_fbo : target_fbo);
    glViewport(0, 0, r->width ? r->width : target_w, r->width ? r->height : target_h);
    glDepthMask(GL_TRUE);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    set_lighting(&r->lit, light);
    glUniformMatrix4fv(r->lit.u_view_proj, 1, GL_FALSE, mh_m4_identity().m);
    glUniform3f(r->lit.u_eye, 0.0f, 0.0f, -2.0f);
    gpu_scene *g = mh_render_scene_slot(r, textures_of);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, g && g->complete ? g->textures[g->texture_count > 1 ? 1 : 0] : 0);
    glBindVertexArray(r->floor_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

void mh_renderer_end_frame(mh_renderer *r)
{
    if (!r->width || !r->samples)
        return;   /* a window, or drawn straight into the single-sample target */
    /* resolve MSAA into the single-sample target */
    glBindFramebuffer(GL_READ_FRAMEBUFFER, r->msaa_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, r->resolve_fbo);
    glBlitFramebuffer(0, 0, r->width, r->height, 0, 0, r->width, r->height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

bool mh_renderer_read_pixels(mh_renderer *r, uint8_t *rgba, int width, int height)
{
    glBindFramebuffer(GL_READ_FRAMEBUFFER, !r->width ? r->target_fbo : r->samples ? r->resolve_fbo : r->msaa_fbo);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    if (glGetError() != GL_NO_ERROR)
        return false;
    /* GL rows are bottom-up; flip in place */
    size_t row = (size_t)width * 4;
    for (int y = 0; y < height / 2; y++) {
        uint8_t *a = rgba + row * (size_t)y, *b = rgba + row * (size_t)(height - 1 - y);
        for (size_t i = 0; i < row; i++) {
            uint8_t t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
    return true;
}

void mh_renderer_finish(mh_renderer *r)
{
    (void)r;
    glFinish();
}

const char *mh_renderer_gl_name(const mh_renderer *r) { return r->gl_name; }
bool mh_renderer_is_offscreen(const mh_renderer *r) { return r->width > 0; }

void mh_renderer_size(const mh_renderer *r, int *w, int *h)
{
    *w = r->width;
    *h = r->height;
}
