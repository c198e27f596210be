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

/* Both eyes in one pass: the same programs built with MH_MULTIVIEW. */
static bool build_multiview(mh_renderer *r, mh_error *err)
{
    program_set *m = &r->mv;
    if (!build_lit(&m->lit, "#define MH_MULTIVIEW 1\n", err) ||
        !build_lit(&m->plain, "#define MH_MULTIVIEW 1\n#define MH_UNTEXTURED 1\n", err) ||
        !build_lit(&m->dissolve, "#define MH_MULTIVIEW 1\n#define MH_DISSOLVE 1\n", err))
        return false;
    m->ui = link(mh_shader_ui_vert, mh_shader_ui_frag, "#define MH_MULTIVIEW 1\n", "ui", err);
    if (!m->ui)
        return false;
    m->u_ui_mvp = glGetUniformLocation(m->ui, "u_mvp");
    m->u_ui_sdf = glGetUniformLocation(m->ui, "u_sdf");
    m->u_ui_tex = glGetUniformLocation(m->ui, "u_tex");
    return true;
}

static bool has_extension(const char *name)
{
    GLint n = 0;
    glGetIntegerv(GL_NUM_EXTENSIONS, &n);
    for (GLint i = 0; i < n; i++) {
        const char *e = (const char *)glGetStringi(GL_EXTENSIONS, (GLuint)i);
        if (e && !strcmp(e, name))
            return true;
    }
    return false;
}

bool mh_renderer_multiview(mh_renderer *r, bool on)
{
    if (on && !r->multiview_ok) {
        if (r->multiview_tried)
            return false;
        r->multiview_tried = true;
        mh_error err;
        if (!has_extension("GL_OVR_multiview2")) {
            mh_log_warn("gl", "no GL_OVR_multiview2: each eye is drawn in a pass of its own");
            return false;
        }
        if (!build_multiview(r, &err)) {
            mh_log_warn("gl", "no single-pass stereo: %s: %s", err.file, err.message);
            return false;
        }
        r->multiview_ok = true;
        mh_log_info("gl", "both eyes in one pass (GL_OVR_multiview2)");
    }
    r->multiview = on;
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

/* Offscreen, both eyes in one pass: two layers of half the width. */
static bool make_offscreen_multiview(mh_renderer *r, mh_error *err)
{
    typedef void (*attach_fn)(GLenum, GLenum, GLuint, GLint, GLint, GLsizei);
    attach_fn attach = r->desc.gl_proc ? (attach_fn)r->desc.gl_proc("glFramebufferTextureMultiviewOVR") : NULL;
    if (!attach || !mh_renderer_multiview(r, true))
        return mh_fail(err, "", "", "this GL driver cannot draw both eyes in one pass (no GL_OVR_multiview2)");
    r->samples = 0;
    r->width = r->desc.offscreen_width;
    r->height = r->desc.offscreen_height;
    GLuint *tex[2] = {&r->mv_color, &r->mv_depth};
    GLenum format[2] = {GL_RGBA8, GL_DEPTH_COMPONENT24}, at[2] = {GL_COLOR_ATTACHMENT0, GL_DEPTH_ATTACHMENT};
    glGenFramebuffers(1, &r->msaa_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->msaa_fbo);
    for (int i = 0; i < 2; i++) {
        glGenTextures(1, tex[i]);
        glBindTexture(GL_TEXTURE_2D_ARRAY, *tex[i]);
        glTexStorage3D(GL_TEXTURE_2D_ARRAY, 1, format[i], r->width / 2, r->height, 2);
        attach(GL_FRAMEBUFFER, at[i], *tex[i], 0, 0, 2);
    }
    glBindTexture(GL_TEXTURE_2D_ARRAY, 0);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "", "offscreen multiview framebuffer %dx%d x 2 is incomplete (0x%x)", r->width / 2,
                       r->height, st);
    return true;
}

static bool make_offscreen(mh_renderer *r, mh_error *err)
{
    if (r->desc.multiview)
        return make_offscreen_multiview(r, err);
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
    if (r->desc.multiview)
        r->desc.msaa = 1;   /* a multiview target has one sample */
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
    GLuint programs[] = {r->lit.id, r->plain.id, r->dissolve.id, r->mv.lit.id, r->mv.plain.id, r->mv.dissolve.id, r->mv.ui};
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        glDeleteProgram(programs[i]);
    GLuint mv_tex[2] = {r->mv_color, r->mv_depth};
    glDeleteTextures(2, mv_tex);
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

/* The cameras of a pass: one view, or both eyes in one pass. */
typedef struct pass_views {
    int count;
    float view_proj[16 * MH_RENDER_VIEWS];
    float eye[3 * MH_RENDER_VIEWS];
} pass_views;

static pass_views pass_of(const mh_render_view *v, int n)
{
    pass_views pv = {.count = n};
    for (int i = 0; i < n; i++) {
        mh_mat4 vp = mh_m4_mul(v[i].proj, v[i].view);
        memcpy(pv.view_proj + 16 * i, vp.m, sizeof vp.m);
        memcpy(pv.eye + 3 * i, &v[i].eye, sizeof(float) * 3);
    }
    return pv;
}

/* Uses program p with this pass's cameras (uniforms persist per program, so
 * each is set once per pass). */
static void use_program(const lit_program *p, const pass_views *pv, const lit_program **current)
{
    if (p == *current)
        return;
    glUseProgram(p->id);
    glUniformMatrix4fv(p->u_view_proj, pv->count, GL_FALSE, pv->view_proj);
    glUniform3fv(p->u_eye, pv->count, pv->eye);
    *current = p;
}

/* Draws the visible chunks front to back; untextured ones (texture 0, plain
 * white) with the program that skips the sampler, unless fading. */
static void draw_layer(mh_renderer *r, gpu_scene *g, const mh_scene *sc, const lit_program *textured,
                       const pass_views *pv, const lit_program **current, mh_render_stats *st)
{
    const lit_program *plain = textured == &r->lit ? &r->plain : textured == &r->mv.lit ? &r->mv.plain : NULL;
    glBindVertexArray(g->vao);
    int bound = -1;
    for (int k = 0; k < g->item_count; k++) {
        const mh_scene_chunk *c = &sc->chunks[g->items[k].chunk];
        use_program(c->texture == 0 && plain ? plain : textured, pv, current);
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

/* One pass: one view into its viewport, or (n = 2) both eyes at once, each
 * at x = 0 of its layer. */
static void draw_view(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *v, int n,
                      mh_render_stats *st)
{
    pass_views pv = pass_of(v, n);
    glViewport(n > 1 ? 0 : v->x, v->y, v->width, v->height);
    const lit_program *current = NULL, *lit = n > 1 ? &r->mv.lit : &r->lit, *dissolve = n > 1 ? &r->mv.dissolve
                                                                                              : &r->dissolve;
    for (int i = 0; i < layer_count; i++) {
        gpu_scene *g = layer_scene(r, &layers[i]);
        if (!g)
            continue;
        const lit_program *p = layers[i].dissolve != 0 ? dissolve : lit;
        if (p == dissolve) {
            use_program(p, &pv, &current);
            glUniform1f(p->u_dissolve, layers[i].dissolve);
        }
        draw_layer(r, g, layers[i].cpu, p, &pv, &current, st);
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
    if (view_count > MH_RENDER_VIEWS)
        view_count = MH_RENDER_VIEWS;
    bool mv = r->multiview && view_count == 2;
    const program_set base = {.lit = r->lit, .plain = r->plain, .dissolve = r->dissolve}, *ps = mv ? &r->mv : &base;
    for (int i = 0; i < layer_count; i++) {
        if (layers[i].dissolve != 0) {   /* the crossfade program only while something fades */
            set_lighting(&ps->dissolve, light);
            break;
        }
    }
    set_lighting(&ps->lit, light);
    set_lighting(&ps->plain, light);
    glActiveTexture(GL_TEXTURE0);
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
    if (mv)   /* both eyes, one draw call per chunk */
        draw_view(r, layers, layer_count, views, 2, &st);
    for (int i = 0; !mv && i < view_count; i++)
        draw_view(r, layers, layer_count, &views[i], 1, &st);
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
    /* both eyes in one pass into a multiview target, as the hall is drawn there */
    const lit_program *p = r->multiview ? &r->mv.lit : &r->lit;
    mh_render_view quad[2] = {{.proj = mh_m4_identity(), .view = mh_m4_identity(), .eye = {0, 0, -2.0f}}};
    quad[1] = quad[0];
    pass_views pv = pass_of(quad, r->multiview ? 2 : 1);
    set_lighting(p, light);
    glUniformMatrix4fv(p->u_view_proj, pv.count, GL_FALSE, pv.view_proj);
    glUniform3fv(p->u_eye, pv.count, pv.eye);
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

/* Both layers of a multiview target side by side: each read through a
 * framebuffer of its own (a multiview one cannot be read). */
static void read_layers(const mh_renderer *r, uint8_t *rgba, int width, int height)
{
    GLint tex = (GLint)r->mv_color;
    if (!r->width) {   /* the platform's target: find its colour texture */
        glBindFramebuffer(GL_READ_FRAMEBUFFER, r->target_fbo);
        glGetFramebufferAttachmentParameteriv(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0,
                                              GL_FRAMEBUFFER_ATTACHMENT_OBJECT_NAME, &tex);
    }
    GLuint fb;
    glGenFramebuffers(1, &fb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fb);
    glPixelStorei(GL_PACK_ROW_LENGTH, width);
    for (int l = 0; l < 2; l++) {
        glFramebufferTextureLayer(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, (GLuint)tex, 0, l);
        glReadPixels(0, 0, width / 2, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba + (size_t)l * (size_t)(width / 2) * 4);
    }
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fb);
}

/* A multisampled target of the platform's (a headset's): resolved into a
 * renderbuffer of our own first, as multisampled pixels cannot be read. */
static void read_resolved(const mh_renderer *r, uint8_t *rgba, int width, int height)
{
    GLuint fb, rb;
    glGenRenderbuffers(1, &rb);
    glBindRenderbuffer(GL_RENDERBUFFER, rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glGenFramebuffers(1, &fb);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fb);
    glFramebufferRenderbuffer(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, r->target_fbo);
    glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fb);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fb);
    glDeleteRenderbuffers(1, &rb);
}

bool mh_renderer_read_pixels(mh_renderer *r, uint8_t *rgba, int width, int height)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    GLint samples = 0;
    if (!r->width) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, r->target_fbo);
        glGetIntegerv(GL_SAMPLE_BUFFERS, &samples);
    }
    if (r->multiview) {
        read_layers(r, rgba, width, height);
    } else if (samples > 0) {
        read_resolved(r, rgba, width, height);
    } else {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, !r->width ? r->target_fbo : r->samples ? r->resolve_fbo : r->msaa_fbo);
        glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    }
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
