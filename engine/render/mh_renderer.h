/* mh_renderer.h - the GLES 3.0 renderer: the only code that calls OpenGL.
 *
 * It uploads a built scene once (one vertex buffer, one index buffer,
 * mipmapped textures, a block of materials) and then draws it each frame
 * with glTF's metallic-roughness shading and image-based light for one or more views
 * (a stereo pair side by side): chunks are culled and sorted front to back
 * once for all views (a chunk any eye sees is drawn in both), then drawn
 * per view with its own viewport.
 * With an offscreen size it renders into its own multisampled framebuffer
 * (the headless platform); otherwise into the framebuffer the platform has
 * bound (a window). The caller must have a current GLES 3.0 context. */
#ifndef MH_RENDERER_H
#define MH_RENDERER_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_error.h"
#include "../core/mh_math.h"
#include "../scene/mh_env.h"
#include "../scene/mh_scene.h"

#define MH_RENDER_UI_IMAGES 24 /* panel photos 1-8, video screens 9-24 */
#define MH_RENDER_VIEWS 2      /* views per frame: one, or a stereo pair */
#define MH_RENDER_SCENES 20    /* the hall, a featured exhibit, what replaces them, and streamed booth models */

typedef struct mh_renderer mh_renderer;

/* Quality levels (mh_renderer_desc.quality): what each turns on. */
typedef enum mh_render_quality {
    MH_QUALITY_AUTO,   /* low on a CPU rasteriser (llvmpipe, softpipe), high on a GPU */
    MH_QUALITY_LOW,    /* the lean edge blend (one full-screen pass of 11 unfiltered reads, no
                          MSAA, before the interface): the cheapest anti-aliasing measured on
                          llvmpipe (2x MSAA doubles its frame) */
    MH_QUALITY_MEDIUM, /* FXAA (one full-screen pass over a frame without MSAA): for GPUs
                          short of memory bandwidth */
    MH_QUALITY_HIGH,   /* 4x MSAA, and the featured exhibit's shadow map from the stage's key
                          light (mh_render_layer.shadow, mh_render_lighting.key_dir; mh_render_shadow.c),
                          the glow of light boxes (mh_render_bloom.c) and the hall's reflection in the
                          polished floor (mh_render_reflect.c) */
} mh_render_quality;

typedef struct mh_renderer_desc {
    int quality;         /* mh_render_quality; 0 = auto */
    int bloom;           /* the glow of light boxes: 0 = the quality level's (high), 1 on, -1 off */
    int reflection;      /* the hall mirrored in the polished floor (mh_render_reflect.c): 0 = the quality
                            level's (high), 1 on, -1 off */
    int msaa;            /* samples: 0 = the quality level's anti-aliasing (high 4x MSAA,
                                 medium FXAA, low the edge blend); given, it replaces it: 1 = none, N = N */
    int offscreen_width; /* > 0: render offscreen at this size */
    int offscreen_height;
    bool multiview;                             /* offscreen: a 2-layer target, both eyes drawn in one pass (each eye
                            half the width; GL_OVR_multiview2, no MSAA); without it (warned)
                            the ordinary target, a pass per eye */
    void (*(*gl_proc)(const char *name))(void); /* extension functions (eglGetProcAddress) */
} mh_renderer_desc;

/* An uploaded scene: a handle as sokol_gfx makes them (the pool slot in the
 * low 16 bits, the slot's generation in the high 16; 0 = none). Once the
 * scene is destroyed every copy of its handle is stale and finds nothing,
 * even after its slot is reused: drawing or uploading through it does nothing. */
typedef struct mh_gpu_scene {
    uint32_t id;
} mh_gpu_scene;

/* One scene to draw this frame: the handle, the scene it was uploaded from
 * (its chunks: ranges, textures, bounds), and a crossfade. */
typedef struct mh_render_layer {
    mh_gpu_scene scene;
    const mh_scene *cpu;
    float dissolve; /* 0 = solid; t in (0,1]: a fraction t of the pixels (fading in);
                                 -t: exactly the other pixels (fading out), for a crossfade */
    bool shadow;    /* quality high: casts a shadow map from the sun (the featured exhibit; solid only) */
    bool warm;      /* one triangle of each material (the first 64) only, not culled: llvmpipe compiles its
                       code for a state at the state's first draw (with dissolve 1e-4 nothing shows) */
} mh_render_layer;

typedef struct mh_render_view {
    mh_mat4 view, proj;
    mh_vec3 eye;
    int x, y, width, height; /* viewport in the target */
    bool coarsest;           /* every chunk at its coarsest level of detail (the light's capture) */
} mh_render_view;

typedef struct mh_render_lighting {
    mh_vec3 clear, sky, ground, sun_color, sun_dir; /* linear; sun_dir points at the light */
    float fog_density;
    /* quality high: the stage's key light (points at it; zero: the sun), the
     * sun's colour, which the featured exhibit and the stage around it are lit
     * by instead of the sun and which casts its shadow map (mh_render_shadow.c) */
    mh_vec3 key_dir;
} mh_render_lighting;

typedef struct mh_render_stats {
    int draw_calls;
    uint32_t triangles;
    int chunks_culled;
    int layer_draws[4]; /* draw calls of each of the first four layers */
} mh_render_stats;

/* ---- the interface overlay: plain triangles the caller builds each frame ----
 * WORLD triangles are drawn with each view's camera after the hall, SCREEN
 * ones last, in pixels with the origin top-left. Colours are sRGB bytes with
 * premultiplied blending. Texture 0 is a one-channel atlas of signed distance
 * fields (alpha from the field); 1..MH_RENDER_UI_IMAGES are images set with
 * mh_renderer_ui_image (colour from the texture). */
typedef enum mh_render_ui_space { MH_RENDER_UI_WORLD, MH_RENDER_UI_SCREEN } mh_render_ui_space;

typedef struct mh_render_ui_vertex {
    float pos[3];
    float uv[2];
    uint8_t color[4]; /* sRGB + alpha */
} mh_render_ui_vertex;

typedef struct mh_render_ui_cmd {
    uint8_t space;         /* mh_render_ui_space */
    uint8_t texture;       /* 0 atlas, 1.. images */
    bool sdf;              /* alpha from the distance field (atlas) or texture colour (images) */
    bool depth_write;      /* opaque world geometry (chart bars) */
    uint32_t first, count; /* vertices */
    /* flat colours at full alpha (an open panel's card): drawn without a
     * texture or blending, and WORLD ones also into depth before the hall
     * (mh_renderer_ui_occluders), so the hall hidden behind is never shaded */
    bool opaque;
} mh_render_ui_cmd;

typedef struct mh_render_ui {
    const mh_render_ui_vertex *vertices;
    uint32_t vertex_count;
    uint32_t vertex_capacity; /* the GPU buffer is sized once for this many */
    const mh_render_ui_cmd *cmds;
    int cmd_count;
    const uint8_t *atlas; /* atlas_size x atlas_size R8 pixels */
    int atlas_size;
    int atlas_dirty_y0, atlas_dirty_y1; /* rows changed since the last upload; none when y0 >= y1 */
} mh_render_ui;

mh_renderer *mh_renderer_create(const mh_renderer_desc *desc, mh_error *err);
/* Start-up, while there is nothing to draw yet (the hall's scene is still
 * being built): step `step` of compiling and drawing the lit shader's common
 * variants once, off screen, so that their first real draws (the hall's
 * light capture, the first frame) do not pay llvmpipe's JIT compile
 * (mh_render_warm.c). crossfade: also the crossfade's variants (the first
 * frame draws the stage's exhibit through it). Returns whether steps are
 * left. Nothing it draws shows. */
bool mh_renderer_warm_up(mh_renderer *r, int step, bool crossfade);
/* The warm-up's end: the programs the first frame would link (the
 * anti-aliasing pass's; with interface, the interface's flat colours) linked
 * now, then the GLSL compiler's built-in functions released (Mesa keeps
 * them until told: 6-7 MB of the peak on llvmpipe; a later link builds them
 * again, ~5 ms, and the end of that frame releases them: mh_render_program.c). */
void mh_renderer_warm_finish(mh_renderer *r, bool interface);
void mh_renderer_destroy(mh_renderer **r);
/* Uploads a scene's mesh and textures at once (its CPU copies can then be
 * released; each texture's pixels are freed as soon as it is uploaded, so
 * the two copies never all coexist). {0} + err on failure. */
mh_gpu_scene mh_renderer_upload(mh_renderer *r, mh_scene *scene, mh_error *err);
/* A scene texture uploaded ahead of its scene, while the scene is still
 * being built (the engine's start): its GL name (0: none) for
 * mh_renderer_upload_ahead. Its pixels are only read. */
uint32_t mh_renderer_texture_ahead(mh_renderer *r, const mh_scene_texture *t);
/* mh_renderer_upload with the scene's first `count` textures uploaded ahead
 * (their names; the scene's pixels of them are freed here). The names
 * belong to the scene's upload from here on, also when it fails. */
mh_gpu_scene mh_renderer_upload_ahead(mh_renderer *r, mh_scene *scene, const uint32_t *ahead, int count, mh_error *err);
/* Deletes textures uploaded ahead of a scene that will not be uploaded. */
void mh_renderer_textures_drop(mh_renderer *r, const uint32_t *ahead, int count);
/* The same spread over frames: create, then call upload once per frame with
 * a byte budget (0 = all) until it returns true; the scene draws only then. */
mh_gpu_scene mh_renderer_scene_create(mh_renderer *r, const mh_scene *scene, mh_error *err);
bool mh_renderer_scene_upload(mh_renderer *r, mh_gpu_scene s, mh_scene *scene, size_t budget);
/* One frame's share of a streamed upload (mh_render_stream.c): steps of a
 * quarter megabyte (buffer bytes, or texture rows with their mip levels
 * made as they are due) until budget bytes or `seconds` are spent, at
 * least one step. The scene's CPU vertices and indices are freed as soon as
 * the GPU has them: its mesh is not to be read afterwards (the scene is
 * released once this returns true). */
bool mh_renderer_scene_upload_for(mh_renderer *r, mh_gpu_scene s, mh_scene *scene, size_t budget, double seconds);
void mh_renderer_scene_destroy(mh_renderer *r, mh_gpu_scene *s);
/* Clears and draws the layers in order for each view, culling each chunk
 * against the view's frustum and drawing front to back within a layer.
 * target_fbo and size are used only when not rendering offscreen. */
void mh_renderer_draw(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                      int view_count, const mh_render_lighting *light, uint32_t target_fbo, int target_w, int target_h,
                      mh_render_stats *out_stats);
/* Draws the interface over the hall just drawn (see mh_render_ui): WORLD
 * commands with each view's camera (depth-tested against the hall), SCREEN
 * commands in pixels over each view; uploads the atlas rows that changed
 * first. False when there was nothing to draw (and nothing was uploaded). */
bool mh_renderer_draw_ui(mh_renderer *r, const mh_render_ui *ui, const mh_render_view *views, int view_count);
/* The next mh_renderer_draw first draws ui's opaque WORLD commands into each
 * view's depth (no colour), so the hall behind them fails the depth test
 * before it is shaded; then pass the same ui to mh_renderer_draw_ui (its
 * triangles are uploaded once). What is seen does not change. */
void mh_renderer_ui_occluders(mh_renderer *r, const mh_render_ui *ui);
/* The fill-rate floor of a benchmark: clears and draws one quad over the
 * whole target with the hall's lit shader (the variant and material of the
 * scene's first lit textured material), i.e. one shaded pixel per screen
 * pixel. End the frame after. */
void mh_renderer_draw_floor(mh_renderer *r, mh_gpu_scene textures_of, const mh_render_lighting *light,
                            uint32_t target_fbo, int target_w, int target_h);
/* Image-based light for every draw from now on: env's prefiltered cube and
 * spherical harmonics (NULL: none, black). */
bool mh_renderer_set_environment(mh_renderer *r, const mh_env *env, mh_error *err);
/* Draws the layers into a size x size cube around pos with the current
 * environment and reads it back into out: six faces (+X -X +Y -Y +Z -Z,
 * OpenGL's layout, row t = 0 first) of size^2 linear RGB floats. Leaves
 * no framebuffer bound. */
bool mh_renderer_capture(mh_renderer *r, const mh_render_layer *layers, int layer_count,
                         const mh_render_lighting *light, mh_vec3 pos, int size, float *out, mh_error *err);
/* The quality level in use (never AUTO) and whether a post-process anti-aliasing (edge blend or FXAA) is on. */
mh_render_quality mh_renderer_quality(const mh_renderer *r, bool *fxaa);
/* Shader variants built so far (each a material feature set). */
int mh_renderer_variant_count(const mh_renderer *r);
/* Both eyes in one pass (GL_OVR_multiview2) from now on: a pair of views
 * is drawn with one draw call per chunk into the target's two layers (the
 * target framebuffer must have them attached with
 * glFramebufferTextureMultiviewOVR; views are placed at x = 0 of their
 * layer). False, and nothing changes, when the driver cannot
 * (mh_render_multiview.c). */
bool mh_renderer_multiview(mh_renderer *r, bool on);
bool mh_renderer_is_multiview(const mh_renderer *r);
/* Ends the frame (resolves the offscreen target). Call after the draws. */
void mh_renderer_end_frame(mh_renderer *r);
/* Sets interface image `slot` (1..MH_RENDER_UI_IMAGES) from sRGB RGBA8
 * pixels, or clears it with NULL. */
bool mh_renderer_ui_image(mh_renderer *r, int slot, const uint8_t *rgba, int width, int height);
/* A streaming image (a video screen): the slot's texture is replaced with
 * these pixels each time a frame arrives; when the size is unchanged only
 * its pixels are copied (glTexSubImage2D, no allocation, no mipmaps). */
bool mh_renderer_ui_stream(mh_renderer *r, int slot, const uint8_t *rgba, int width, int height);
/* Reads the last frame as RGBA8 rows, top row first. */
bool mh_renderer_read_pixels(mh_renderer *r, uint8_t *rgba, int width, int height);
/* Waits for the GPU (for timing). */
void mh_renderer_finish(mh_renderer *r);
const char *mh_renderer_gl_name(const mh_renderer *r);
/* GL_RENDERER and GL_VERSION of the current context, with no renderer made
 * (metahall doctor); false when no context is current. */
bool mh_renderer_gl_strings(char *renderer, int renderer_size, char *version, int version_size);
/* True for CPU rasterisers (llvmpipe, softpipe, SwiftShader): MSAA and
 * anisotropic filtering are then off unless asked for. */
bool mh_renderer_name_is_software(const char *gl_renderer);
bool mh_renderer_is_offscreen(const mh_renderer *r);
/* A bare GL program's frame in the current context, with no renderer: a
 * width x height colour and depth target, a clear, one triangle, glFinish
 * (bench's baseline of the driver's own memory). */
bool mh_renderer_bare_frame(int width, int height, mh_error *err);
void mh_renderer_size(const mh_renderer *r, int *w, int *h);

#endif
