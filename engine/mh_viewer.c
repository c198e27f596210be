/* mh_viewer.c - a model alone, for designers and tests (metahall view,
 * metahall render --model): the model's default scene in its own
 * coordinates at its real size, its animation posed at a given time, lit
 * by one directional light, its own punctual lights and image-based light
 * from the default hall's capture of itself, a folder of Radiance faces
 * (tests/ref's format) or nothing. */
#include <stdlib.h>
#include <string.h>

#include "core/mh_log.h"
#include "mh_engine_internal.h"

struct mh_viewer {
    mh_renderer *renderer;
    mh_scene scene;
    mh_gpu_scene gpu;
    mh_render_lighting light;
    mh_render_stats stats; /* of the last frame */
};

/* The default hall's light: the hall is loaded, built (signs without text),
 * uploaded and captured, then dropped. */
static bool hall_environment(mh_viewer *v, const char *hall_dir, mh_error *err)
{
    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc hall;
    mh_scene sc = {0};
    bool ok = mh_hall_load(hall_dir, &arena, &hall, err) && mh_scene_build(&sc, &hall, (mh_sign_text){0}, &arena, err);
    mh_gpu_scene gpu = {0};
    ok = ok && (gpu = mh_renderer_upload(v->renderer, &sc, err)).id != 0;
    if (ok) {
        mh_render_lighting l = mh_engine_lighting(&hall);
        mh_engine_hall_light(v->renderer, &hall, &sc, gpu, &l, NULL);
    }
    mh_renderer_scene_destroy(v->renderer, &gpu);
    mh_scene_free(&sc);
    mh_arena_free(&arena);
    return ok;
}

/* Six Radiance faces, scaled by intensity, prefiltered. */
static bool file_environment(mh_viewer *v, const char *dir, float intensity, mh_error *err)
{
    float *faces;
    int size;
    mh_env env;
    if (!mh_env_load_rgbe(dir, &faces, &size, err))
        return false;
    bool ok =
        mh_env_build(&env, faces, size, &(mh_env_desc){.size = size < 128 ? size : 128, .intensity = intensity}, err);
    free(faces);
    ok = ok && mh_renderer_set_environment(v->renderer, &env, err);
    if (ok)
        mh_env_free(&env);
    return ok;
}

static bool set_environment(mh_viewer *v, const mh_viewer_desc *d, mh_error *err)
{
    if (d->env && !strcmp(d->env, "none"))
        return mh_renderer_set_environment(v->renderer, NULL, err);
    if (d->env_intensity <= 0)
        return mh_renderer_set_environment(v->renderer, NULL, err);
    if (d->env)
        return file_environment(v, d->env, d->env_intensity, err);
    if (d->env_intensity != 1.0f)
        mh_log_warn("viewer", "the hall's light is used at intensity 1 (env_intensity scales environment files only)");
    return hall_environment(v, d->hall_dir, err);
}

static mh_render_lighting viewer_lighting(const mh_viewer_desc *d)
{
    mh_vec3 dir = mh_v3(d->light_dir[0], d->light_dir[1], d->light_dir[2]);
    if (mh_v3_dot(dir, dir) < 1e-12f)
        dir = mh_v3(1, -2, -1.5f);
    mh_vec3 c = mh_v3(d->light_color[0], d->light_color[1], d->light_color[2]);
    if (c.x == 0 && c.y == 0 && c.z == 0)
        c = mh_v3(1, 1, 1);
    mh_vec3 bg = mh_v3(mh_srgb_to_linear(d->background[0] / 255.0f), mh_srgb_to_linear(d->background[1] / 255.0f),
                       mh_srgb_to_linear(d->background[2] / 255.0f));
    return (mh_render_lighting){.clear = bg,
                                .sky = bg,
                                .ground = bg,
                                .sun_dir = mh_v3_scale(mh_v3_norm(dir), -1.0f),
                                .sun_color = mh_v3_scale(c, d->light_intensity)};
}

mh_viewer *mh_viewer_create(const mh_viewer_desc *d, mh_error *err)
{
    mh_viewer *v = calloc(1, sizeof *v);
    if (!v) {
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    mh_renderer_desc rd = {.msaa = d->msaa,
                           .offscreen_width = d->offscreen_width,
                           .offscreen_height = d->offscreen_height};
    mh_scene_model_desc md = {.path = d->model, .animation = d->animation, .animation_name = d->animation_name};
    bool ok = (v->renderer = mh_renderer_create(&rd, err)) != NULL && mh_scene_build_model(&v->scene, &md, err);
    ok = ok && (v->gpu = mh_renderer_upload(v->renderer, &v->scene, err)).id != 0;
    ok = ok && set_environment(v, d, err);
    if (!ok) {
        mh_viewer_destroy(&v);
        return NULL;
    }
    mh_scene_release_cpu(&v->scene);
    v->light = viewer_lighting(d);
    mh_log_info("viewer", "%s: %u triangles in %d draws, %d materials, %d textures, %d shader variants", d->model,
                v->scene.mesh.index_count / 3, v->scene.chunk_count, v->scene.material_count, v->scene.texture_count,
                mh_renderer_variant_count(v->renderer));
    return v;
}

void mh_viewer_destroy(mh_viewer **pv)
{
    mh_viewer *v = pv ? *pv : NULL;
    if (!v)
        return;
    if (v->renderer)
        mh_renderer_scene_destroy(v->renderer, &v->gpu);
    mh_renderer_destroy(&v->renderer);
    mh_scene_free(&v->scene);
    free(v);
    *pv = NULL;
}

void mh_viewer_bounds(const mh_viewer *v, float min[3], float max[3])
{
    mh_aabb b = v->scene.model_bounds;
    if (b.min.x > b.max.x)
        b = (mh_aabb){mh_v3(0, 0, 0), mh_v3(0, 0, 0)};
    memcpy(min, &b.min, sizeof(float) * 3);
    memcpy(max, &b.max, sizeof(float) * 3);
}

bool mh_viewer_camera(const mh_viewer *v, const char *name, mh_camera *out)
{
    for (int i = 0; i < v->scene.camera_count; i++) {
        const mh_scene_camera *c = &v->scene.cameras[i];
        if (strcmp(c->name, name) != 0)
            continue;
        mh_vec3 eye = mh_m4_mul_point(c->world, mh_v3(0, 0, 0));
        mh_vec3 ahead = mh_v3_norm(mh_m4_mul_dir(c->world, mh_v3(0, 0, -1)));
        mh_vec3 target = mh_v3_add(eye, ahead);
        *out = (mh_camera){.set = true,
                           .eye = {eye.x, eye.y, eye.z},
                           .target = {target.x, target.y, target.z},
                           .vfov_deg = c->yfov * 180.0f / MH_PI,
                           .z_near = c->znear,
                           .z_far = c->zfar > 0 ? c->zfar : 1000.0f * c->znear};
        return true;
    }
    return false;
}

void mh_viewer_frame(mh_viewer *v, const mh_camera *cam, double time_s, uint32_t framebuffer, int width, int height)
{
    int w = width, h = height;
    if (mh_renderer_is_offscreen(v->renderer))
        mh_renderer_size(v->renderer, &w, &h);
    mh_scene_set_time(&v->scene, (float)time_s);
    mh_render_view views[MH_MAX_EYES];
    int n = mh_engine_camera_views(cam, w, h, views);
    mh_render_layer layer = {.scene = v->gpu, .cpu = &v->scene};
    mh_renderer_draw(v->renderer, &layer, 1, views, n, &v->light, framebuffer, w, h, &v->stats);
    mh_renderer_end_frame(v->renderer);
}

void mh_viewer_finish_gpu(mh_viewer *v) { mh_renderer_finish(v->renderer); }
const char *mh_viewer_gl_name(const mh_viewer *v) { return mh_renderer_gl_name(v->renderer); }

void mh_viewer_stats(const mh_viewer *v, int *draw_calls, long *triangles)
{
    *draw_calls = v->stats.draw_calls;
    *triangles = (long)v->stats.triangles;
}

bool mh_viewer_read_pixels(mh_viewer *v, uint8_t *rgba, int width, int height)
{
    return mh_renderer_read_pixels(v->renderer, rgba, width, height);
}
