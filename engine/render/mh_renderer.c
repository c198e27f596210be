/* mh_renderer.c - GLES 3.0: shader program, buffers, textures, offscreen
 * target, culling and drawing. */
#include "mh_renderer.h"

#include <GLES3/gl3.h>
#include <GLES2/gl2ext.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"
#include "mh_shaders.h"

typedef struct draw_item {
    float depth;
    int chunk;
    int lod;                 /* 0 = full detail, 1.. = the chunk's coarser levels */
} draw_item;

/* One uploaded scene (the hall, a featured exhibit): its buffers, textures
 * and sort buffer, plus how far a gradual upload has got. */
typedef struct gpu_scene {
    bool used, complete;
    GLuint vao, vbo, ibo;
    GLuint *textures;
    int texture_count;
    draw_item *items;        /* per-frame sort buffer of the visible chunks, sized at creation */
    int item_cap, item_count;
    size_t vertex_bytes, index_bytes, vertex_done, index_done;
    int textures_done;
} gpu_scene;

/* the lit program, plain or with the crossfade dissolve */
typedef struct lit_program {
    GLuint id;
    GLint u_view_proj, u_eye, u_sky, u_ground, u_sun_color, u_sun_dir, u_fog_color, u_fog_density, u_base, u_dissolve;
} lit_program;

struct mh_renderer {
    mh_renderer_desc desc;
    lit_program lit, plain, dissolve;   /* textured, untextured (no sampler), crossfade */
    gpu_scene scenes[MH_RENDER_SCENES];
    /* offscreen target */
    GLuint msaa_fbo, msaa_color, msaa_depth, resolve_fbo, resolve_color;
    int samples, width, height;
    GLuint target_fbo;       /* where the last frame went (a window's 0, a headset's swapchain image) */
    /* the visitor interface */
    GLuint ui_program, ui_vao, ui_vbo, atlas;
    uint32_t ui_vbo_cap;
    int atlas_size;
    GLuint images[MH_RENDER_UI_IMAGES + 1];
    GLint u_ui_mvp, u_ui_sdf, u_ui_tex;
    GLuint floor_vao, floor_vbo;   /* the fill-rate floor's fullscreen quad */
    char gl_name[160];
    float max_aniso;
    bool software;           /* a CPU rasteriser: spend no fill rate on extras */
};

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
    int want = r->desc.msaa ? r->desc.msaa : (r->software ? 1 : 4);
    r->samples = want > max_samples ? max_samples : want;
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

mh_renderer *mh_renderer_create(const mh_renderer_desc *desc, mh_error *err)
{
    mh_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    r->desc = *desc;
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    const char *version = (const char *)glGetString(GL_VERSION);
    if (!renderer || !version) {
        free(r);
        mh_fail(err, "", "", "no current OpenGL ES context");
        return NULL;
    }
    snprintf(r->gl_name, sizeof r->gl_name, "%s (%s)", renderer, version);
    r->software = mh_renderer_name_is_software(renderer);
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
    for (uint32_t i = 0; i < MH_RENDER_SCENES; i++)
        mh_renderer_scene_destroy(r, &(mh_gpu_scene){i + 1});
    glDeleteProgram(r->lit.id);
    glDeleteProgram(r->plain.id);
    glDeleteProgram(r->dissolve.id);
    glDeleteProgram(r->ui_program);
    glDeleteBuffers(1, &r->ui_vbo);
    glDeleteBuffers(1, &r->floor_vbo);
    glDeleteVertexArrays(1, &r->floor_vao);
    glDeleteVertexArrays(1, &r->ui_vao);
    glDeleteTextures(1, &r->atlas);
    glDeleteTextures(MH_RENDER_UI_IMAGES + 1, r->images);
    glDeleteFramebuffers(1, &r->msaa_fbo);
    glDeleteFramebuffers(1, &r->resolve_fbo);
    GLuint rbs[3] = {r->msaa_color, r->msaa_depth, r->resolve_color};
    glDeleteRenderbuffers(3, rbs);
    free(r);
    *pr = NULL;
}

/* sRGB byte <-> linear, for averaging texels where light adds up */
static float srgb_table[256];

static uint8_t linear_table[4097];

static uint8_t to_srgb8(float linear)
{
    return linear_table[(int)(linear * 4096.0f + 0.5f)];
}

/* The next mip level of src (w x h) into dst: 2x2 averages in linear
 * light (alpha plainly); odd edges repeat their last texel. */
static void downsample(const uint8_t *src, int w, int h, uint8_t *dst, int dw, int dh)
{
    for (int y = 0; y < dh; y++) {
        const uint8_t *r0 = src + (size_t)(2 * y < h ? 2 * y : h - 1) * (size_t)w * 4;
        const uint8_t *r1 = src + (size_t)(2 * y + 1 < h ? 2 * y + 1 : h - 1) * (size_t)w * 4;
        for (int x = 0; x < dw; x++) {
            int x0 = (2 * x < w ? 2 * x : w - 1) * 4, x1 = (2 * x + 1 < w ? 2 * x + 1 : w - 1) * 4;
            uint8_t *o = dst + ((size_t)y * (size_t)dw + (size_t)x) * 4;
            for (int c = 0; c < 3; c++)
                o[c] = to_srgb8(0.25f * (srgb_table[r0[x0 + c]] + srgb_table[r0[x1 + c]] + srgb_table[r1[x0 + c]] +
                                         srgb_table[r1[x1 + c]]));
            o[3] = (uint8_t)((r0[x0 + 3] + r0[x1 + 3] + r1[x0 + 3] + r1[x1 + 3] + 2) / 4);
        }
    }
}

/* Uploads every mip level, made here rather than by glGenerateMipmap: on
 * llvmpipe that runs a JIT-compiled blit per level and format, which cost
 * most of the start-up (360 of 620 ms) and its memory. */
static void upload_levels(const mh_scene_texture *t)
{
    if (srgb_table[255] == 0.0f) {
        for (int i = 0; i < 256; i++)
            srgb_table[i] = mh_srgb_to_linear((float)i / 255.0f);
        for (int i = 0; i <= 4096; i++)
            linear_table[i] = (uint8_t)(mh_linear_to_srgb((float)i / 4096.0f) * 255.0f + 0.5f);
    }
    int w = t->width, h = t->height;
    glTexImage2D(GL_TEXTURE_2D, 0, GL_SRGB8_ALPHA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, t->rgba);
    uint8_t *level = malloc((size_t)((w + 1) / 2) * (size_t)((h + 1) / 2) * 4 + 4), *prev = t->rgba;
    uint8_t *spare = malloc((size_t)((w + 1) / 2) * (size_t)((h + 1) / 2) * 4 + 4);
    if (!level || !spare) {   /* out of memory: let the driver make them */
        free(level);
        free(spare);
        glGenerateMipmap(GL_TEXTURE_2D);
        return;
    }
    for (int l = 1; w > 1 || h > 1; l++) {
        int dw = w > 1 ? w / 2 : 1, dh = h > 1 ? h / 2 : 1;
        downsample(prev, w, h, level, dw, dh);
        glTexImage2D(GL_TEXTURE_2D, l, GL_SRGB8_ALPHA8, dw, dh, 0, GL_RGBA, GL_UNSIGNED_BYTE, level);
        prev = level;
        level = spare;
        spare = prev;
        w = dw;
        h = dh;
    }
    free(level);
    free(spare);
}

static GLuint upload_texture(const mh_renderer *r, const mh_scene_texture *t)
{
    GLuint id;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    upload_levels(t);
    GLint wrap = t->repeat ? GL_REPEAT : GL_CLAMP_TO_EDGE;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, wrap);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, wrap);
    /* a CPU rasteriser samples one mip level (half the texel reads of
       trilinear; the floor's benchmark frame went from 21.6 to X ms) */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, r->software ? GL_LINEAR_MIPMAP_NEAREST : GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    if (r->max_aniso > 1 && !r->software)
        glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_MAX_ANISOTROPY_EXT, r->max_aniso < 4 ? r->max_aniso : 4);
    return id;
}

static gpu_scene *scene_slot(mh_renderer *r, mh_gpu_scene h)
{
    return h.id >= 1 && h.id <= MH_RENDER_SCENES && r->scenes[h.id - 1].used ? &r->scenes[h.id - 1] : NULL;
}

/* The vertex layout of mh_vertex for the bound VAO and buffer. */
static void vertex_layout(void)
{
    GLsizei stride = sizeof(mh_vertex);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_vertex, pos));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_vertex, normal));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_vertex, uv));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)offsetof(mh_vertex, color));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)offsetof(mh_vertex, params));
}

mh_gpu_scene mh_renderer_scene_create(mh_renderer *r, const mh_scene *sc, mh_error *err)
{
    uint32_t slot = 0;
    while (slot < MH_RENDER_SCENES && r->scenes[slot].used)
        slot++;
    if (slot == MH_RENDER_SCENES) {
        mh_fail(err, "", "", "all %d scene slots are in use", MH_RENDER_SCENES);
        return (mh_gpu_scene){0};
    }
    gpu_scene *g = &r->scenes[slot];
    *g = (gpu_scene){.used = true};
    g->textures = calloc((size_t)sc->texture_count + 1, sizeof *g->textures);
    g->items = calloc((size_t)sc->chunk_count + 1, sizeof *g->items);
    if (!g->textures || !g->items) {
        mh_renderer_scene_destroy(r, &(mh_gpu_scene){slot + 1});
        mh_fail(err, "", "", "out of memory uploading a scene");
        return (mh_gpu_scene){0};
    }
    g->item_cap = sc->chunk_count;
    for (int i = 0; i < sc->chunk_count; i++)
        g->items[i].chunk = i;
    g->vertex_bytes = sizeof(mh_vertex) * sc->mesh.vertex_count;
    g->index_bytes = sizeof(uint32_t) * sc->mesh.index_count;
    glGenVertexArrays(1, &g->vao);
    glBindVertexArray(g->vao);
    glGenBuffers(1, &g->vbo);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)g->vertex_bytes, NULL, GL_STATIC_DRAW);
    glGenBuffers(1, &g->ibo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)g->index_bytes, NULL, GL_STATIC_DRAW);
    vertex_layout();
    glBindVertexArray(0);
    return (mh_gpu_scene){slot + 1};
}

/* Copies up to *budget bytes of [done, total) of src into the bound buffer. */
static void upload_slice(GLenum target, const void *src, size_t total, size_t *done, size_t *budget)
{
    size_t n = total - *done;
    if (n > *budget)
        n = *budget;
    if (n == 0)
        return;
    glBufferSubData(target, (GLintptr)*done, (GLsizeiptr)n, (const uint8_t *)src + *done);
    *done += n;
    *budget -= n;
}

bool mh_renderer_scene_upload(mh_renderer *r, mh_gpu_scene h, mh_scene *sc, size_t budget)
{
    gpu_scene *g = scene_slot(r, h);
    if (!g || g->complete)
        return g != NULL;
    if (budget == 0)
        budget = SIZE_MAX;
    size_t before = budget;
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    upload_slice(GL_ARRAY_BUFFER, sc->mesh.vertices, g->vertex_bytes, &g->vertex_done, &budget);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    upload_slice(GL_ELEMENT_ARRAY_BUFFER, sc->mesh.indices, g->index_bytes, &g->index_done, &budget);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
    /* textures go whole: as many as fit the budget, at least one per call
     * that uploaded nothing else */
    bool uploaded = budget != before;
    while (g->vertex_done == g->vertex_bytes && g->index_done == g->index_bytes &&
           g->textures_done < sc->texture_count) {
        mh_scene_texture *t = &sc->textures[g->textures_done];
        size_t bytes = (size_t)t->width * (size_t)t->height * 4;
        if (bytes > budget && uploaded)
            break;
        g->textures[g->textures_done++] = upload_texture(r, t);
        free(t->rgba);   /* the driver has its copy: keep only one at a time */
        t->rgba = NULL;
        g->texture_count = g->textures_done;
        budget = bytes >= budget ? 0 : budget - bytes;
        uploaded = true;
    }
    g->complete = g->vertex_done == g->vertex_bytes && g->index_done == g->index_bytes &&
                  g->textures_done == sc->texture_count;
    return g->complete;
}

void mh_renderer_scene_destroy(mh_renderer *r, mh_gpu_scene *h)
{
    gpu_scene *g = h ? scene_slot(r, *h) : NULL;
    if (!g)
        return;
    if (g->texture_count)
        glDeleteTextures(g->texture_count, g->textures);
    free(g->textures);
    free(g->items);
    glDeleteBuffers(1, &g->vbo);
    glDeleteBuffers(1, &g->ibo);
    glDeleteVertexArrays(1, &g->vao);
    *g = (gpu_scene){0};
    h->id = 0;
}

mh_gpu_scene mh_renderer_upload(mh_renderer *r, mh_scene *sc, mh_error *err)
{
    mh_gpu_scene h = mh_renderer_scene_create(r, sc, err);
    if (!h.id)
        return h;
    mh_renderer_scene_upload(r, h, sc, 0);
    GLenum e = glGetError();
    if (e != GL_NO_ERROR) {
        mh_renderer_scene_destroy(r, &h);
        mh_fail(err, "", "", "OpenGL error 0x%x while uploading a scene", e);
    }
    return h;
}

/* Insertion sort by depth: no allocation, and quick for the few dozen
 * chunks a view holds (they arrive in build order, booth by booth). */
static void sort_by_depth(draw_item *items, int n)
{
    for (int i = 1; i < n; i++) {
        draw_item t = items[i];
        int j = i - 1;
        while (j >= 0 && items[j].depth > t.depth) {
            items[j + 1] = items[j];
            j--;
        }
        items[j + 1] = t;
    }
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

/* The chunks worth testing: a cell's own when every eye is inside that
 * closed cell (a storey of a stacked hall), otherwise all of them. */
static void candidate_range(const mh_scene *sc, const mh_render_view *views, int view_count, int *first, int *end)
{
    *first = 0;
    *end = sc->chunk_count;
    for (int c = 0; c < sc->cell_count; c++) {
        const mh_aabb *in = &sc->cells[c].interior;
        bool inside = true;
        for (int v = 0; v < view_count && inside; v++) {
            mh_vec3 e = views[v].eye;
            inside = e.x > in->min.x && e.x < in->max.x && e.y > in->min.y && e.y < in->max.y && e.z > in->min.z &&
                     e.z < in->max.z;
        }
        if (inside) {
            *first = sc->cells[c].first_chunk;
            *end = sc->cells[c].end_chunk;
            return;
        }
    }
}

/* Culls and sorts a layer's chunks once for all views of the frame: a chunk
 * is drawn when any view's frustum holds it (both eyes share one pass), in
 * front-to-back order from the views' mean eye. Only the visible chunks go
 * into the sort buffer, so the work follows what is seen. */
/* The coarsest level whose grid cell (1/96, then 1/32 of the chunk's size;
 * see mh_scene.c) stays under two pixels on screen at this distance. */
static int pick_lod(const mh_scene_chunk *c, float dist2, float px_per_radian)
{
    if (!c->lod_count[0])
        return 0;
    mh_vec3 d = mh_v3_sub(c->bounds.max, c->bounds.min);
    float size = fmaxf(d.x, fmaxf(d.y, d.z));
    float px = size * px_per_radian / sqrtf(dist2 > 1e-6f ? dist2 : 1e-6f);   /* the chunk's size on screen */
    int lod = 0;
    if (px < 2.0f * 96.0f)
        lod = 1;
    if (px < 2.0f * 32.0f && c->lod_count[1])
        lod = 2;
    return lod;
}

static void prepare_layer(gpu_scene *g, const mh_scene *sc, const mh_frustum *fr, const mh_render_view *views,
                          int view_count, mh_vec3 eye, mh_render_stats *st)
{
    int first, end, n = 0;
    float px_per_radian = views[0].proj.m[5] * (float)views[0].height * 0.5f;
    candidate_range(sc, views, view_count, &first, &end);
    if (end > g->item_cap)
        end = g->item_cap;
    for (int k = first; k < end; k++) {
        const mh_scene_chunk *c = &sc->chunks[k];
        bool visible = false;
        for (int v = 0; v < view_count && !visible; v++)
            visible = mh_frustum_test_aabb(&fr[v], c->bounds);
        if (!visible)
            continue;
        mh_vec3 d = mh_v3_sub(mh_aabb_center(c->bounds), eye);
        float dist2 = mh_v3_dot(d, d);
        g->items[n++] = (draw_item){dist2, k, pick_lod(c, dist2, px_per_radian)};
    }
    g->item_count = n;
    st->chunks_culled += sc->chunk_count - n;
    sort_by_depth(g->items, n);  /* front to back: hidden fragments fail the depth test early */
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
    gpu_scene *g = scene_slot(r, l->scene);
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
    mh_frustum fr[MH_RENDER_VIEWS];
    mh_vec3 eye = mh_v3(0, 0, 0);
    for (int i = 0; i < view_count; i++) {
        fr[i] = mh_frustum_from_matrix(mh_m4_mul(views[i].proj, views[i].view));
        eye = mh_v3_add(eye, mh_v3_scale(views[i].eye, 1.0f / (float)view_count));
    }
    for (int i = 0; i < layer_count; i++) {
        gpu_scene *g = layer_scene(r, &layers[i]);
        if (g)
            prepare_layer(g, layers[i].cpu, fr, views, view_count, eye, &st);
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
        vertex_layout();
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
    gpu_scene *g = scene_slot(r, textures_of);
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

static void update_atlas(mh_renderer *r, mh_glyphs *glyphs)
{
    int size, y0, y1;
    const uint8_t *px = mh_glyphs_pixels(glyphs, &size, &y0, &y1);
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
    mh_glyphs_mark_clean(glyphs);
}

static void setup_ui(mh_renderer *r, const mh_ui_batch *b)
{
    if (!r->ui_vao) {
        glGenVertexArrays(1, &r->ui_vao);
        glGenBuffers(1, &r->ui_vbo);
        glGenTextures(1, &r->atlas);
    }
    glBindVertexArray(r->ui_vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->ui_vbo);
    if (r->ui_vbo_cap < b->vertex_cap) {
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof(mh_ui_vertex) * b->vertex_cap), NULL, GL_DYNAMIC_DRAW);
        r->ui_vbo_cap = b->vertex_cap;
        GLsizei stride = sizeof(mh_ui_vertex);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_ui_vertex, pos));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_ui_vertex, uv));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)offsetof(mh_ui_vertex, color));
    }
    /* the storage was sized once: a frame only copies into it, no allocation */
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)(sizeof(mh_ui_vertex) * b->vertex_count), b->vertices);
}

static void draw_ui_space(mh_renderer *r, const mh_ui_batch *b, mh_ui_space space, mh_mat4 mvp)
{
    glUniformMatrix4fv(r->u_ui_mvp, 1, GL_FALSE, mvp.m);
    for (int i = 0; i < b->cmd_count; i++) {
        const mh_ui_cmd *c = &b->cmds[i];
        if (c->space != space || !c->count)
            continue;
        GLuint tex = c->texture == 0 ? r->atlas : c->texture <= MH_RENDER_UI_IMAGES ? r->images[c->texture] : 0;
        if (!tex)
            continue;
        glBindTexture(GL_TEXTURE_2D, tex);
        glUniform1i(r->u_ui_sdf, c->texture == 0);
        glDepthMask(c->depth_write ? GL_TRUE : GL_FALSE);
        glDrawArrays(GL_TRIANGLES, (GLint)c->first, (GLsizei)c->count);
    }
}

void mh_renderer_draw_ui(mh_renderer *r, const mh_ui_batch *b, mh_glyphs *glyphs, const mh_render_view *views,
                         int view_count)
{
    if (!b->vertex_count)
        return;
    setup_ui(r, b);
    glActiveTexture(GL_TEXTURE0);
    update_atlas(r, glyphs);
    glUseProgram(r->ui_program);
    glUniform1i(r->u_ui_tex, 0);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);   /* premultiplied */
    glDisable(GL_CULL_FACE);
    for (int v = 0; v < view_count; v++) {
        const mh_render_view *view = &views[v];
        glViewport(view->x, view->y, view->width, view->height);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LEQUAL);
        draw_ui_space(r, b, MH_UI_WORLD, mh_m4_mul(view->proj, view->view));
        glDisable(GL_DEPTH_TEST);
        /* pixels, origin top-left -> clip space */
        mh_mat4 ortho = mh_m4_identity();
        ortho.m[0] = 2.0f / (float)view->width;
        ortho.m[5] = -2.0f / (float)view->height;
        ortho.m[12] = -1.0f;
        ortho.m[13] = 1.0f;
        draw_ui_space(r, b, MH_UI_SCREEN, ortho);
    }
    glDepthMask(GL_TRUE);
    glDisable(GL_BLEND);
    glBindVertexArray(0);
}

bool mh_renderer_ui_image(mh_renderer *r, int slot, const uint8_t *rgba, int width, int height)
{
    if (slot < 1 || slot > MH_RENDER_UI_IMAGES)
        return false;
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
