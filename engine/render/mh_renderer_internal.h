/* mh_renderer_internal.h - what the renderer's files share (render/ only):
 * the renderer's state, one uploaded scene, the lit program, and the
 * helpers one file defines for the others. mh_renderer.c draws frames,
 * mh_render_upload.c uploads scenes and textures, mh_render_ui.c draws the
 * interface overlay. */
#ifndef MH_RENDERER_INTERNAL_H
#define MH_RENDERER_INTERNAL_H

#include <GLES3/gl3.h>
#include <GLES2/gl2ext.h>

#include "../core/mh_pool.h"
#include "../scene/mh_cull.h"
#include "mh_renderer.h"

/* One uploaded scene (the hall, a featured exhibit): its buffers, textures
 * and sort buffer, plus how far a gradual upload has got. */
typedef struct gpu_scene {
    bool complete;
    GLuint vao, vbo, ibo;
    GLuint *textures;
    int texture_count;
    mh_cull_item *items;     /* per-frame sort buffer of the visible chunks, sized at creation */
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
    mh_pool scene_pool;                 /* handles: slot + generation, so a stale one finds nothing */
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

/* mh_render_upload.c */
/* The live scene a handle names, or NULL (0, destroyed, or stale). */
gpu_scene *mh_render_scene_slot(mh_renderer *r, mh_gpu_scene h);
/* The vertex layout of mh_vertex for the bound VAO and buffer. */
void mh_render_vertex_layout(void);

/* mh_render_ui.c */
void mh_render_ui_destroy(mh_renderer *r);

#endif
