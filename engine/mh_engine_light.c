/* mh_engine_light.c - the hall's light: the lights as the renderer takes them
 * (mh_engine_lighting), and its image-based light made from the hall itself
 * (mh_engine_hall_light, shared with the model viewer), which
 * mh_engine_save_environment writes out for other renderers. */
#include "include/metahall.h"

#include <math.h>
#include <stdlib.h>

#include "core/mh_log.h"
#include "core/mh_parallel.h"
#include "mh_engine_internal.h"
#include "scene/mh_env.h"

/* The stage's key light: the sun's colour at the sun's height and on its
 * side of the stage-entrance axis, turned to shine from behind the stage's
 * side (KEY_ANGLE off the axis towards the entrance), so the featured
 * exhibit's shadow falls forwards and sideways over its plinth and the
 * stage top where visitors see it (along the default hall's sun it would
 * hide behind the exhibit). Flat floors and the stage's top are lit by it
 * exactly as by the sun. */
#define KEY_ANGLE 2.09f /* 120 degrees */

static mh_vec3 stage_key(const mh_hall_desc *h, mh_vec3 to_sun)
{
    mh_vec3 e = mh_v3(h->entrance_pos.x - h->stage_pos.x, 0, h->entrance_pos.y - h->stage_pos.y);
    float flat = sqrtf(to_sun.x * to_sun.x + to_sun.z * to_sun.z);
    if (mh_v3_len(e) < 1e-3f || flat < 1e-3f)
        return to_sun; /* no axis, or the sun overhead */
    e = mh_v3_norm(e);
    mh_vec3 side = mh_v3(-e.z, 0, e.x); /* across the axis, towards the sun */
    if (mh_v3_dot(side, to_sun) < 0)
        side = mh_v3_scale(side, -1.0f);
    mh_vec3 across = mh_v3_add(mh_v3_scale(e, cosf(KEY_ANGLE) * flat), mh_v3_scale(side, sinf(KEY_ANGLE) * flat));
    return mh_v3(across.x, to_sun.y, across.z);
}

mh_render_lighting mh_engine_lighting(const mh_hall_desc *h)
{
    mh_vec3 to_sun = mh_v3_scale(mh_v3_norm(h->sun_dir), -1.0f);
    return (mh_render_lighting){
        .clear = h->clear_color,
        .sky = h->sky_color,
        .ground = h->ground_color,
        .sun_color = mh_v3_scale(h->sun_color, MH_PI), /* irradiance: a white wall facing it shows sun_color */
        .sun_dir = mh_v3_scale(mh_v3_norm(h->sun_dir), -1.0f),
        .fog_density = h->fog_density,
        .key_dir = stage_key(h, to_sun),
    };
}

/* The hall's image-based light: first a sky-and-ground hemisphere (the
 * hall's ambient colours), then the hall captured from the atrium with
 * that light (six ENV_CAPTURE x ENV_CAPTURE views above the stage, without
 * the featured exhibit, every chunk at its coarsest level of detail: 76k
 * triangles instead of 129k, 20 ms less of the GL thread at start, and the
 * same light to a fraction of a level), prefiltered for GGX and projected
 * on spherical harmonics. The capture gives the light's direction and
 * colour (bright ceiling, dark floor, the booths' colours, reflections); its
 * level is set to the hemisphere's mean, so a hall's "sky" and "ground"
 * keep deciding how bright its ambient light is. A capture that fails keeps the
 * hemisphere, and says so. */
#define ENV_CAPTURE 64

bool mh_engine_hall_light(mh_renderer *r, const mh_hall_desc *h, const mh_scene *sc, mh_gpu_scene gpu,
                          const mh_render_lighting *light, float *out_faces)
{
    mh_error err;
    mh_env env;
    if (!mh_env_hemisphere(&env, h->sky_color, h->ground_color, &err) || !mh_renderer_set_environment(r, &env, &err)) {
        char text[1024];
        mh_log_error("gl", "no image-based light: %s", mh_error_text(&err, text, sizeof text));
        return false;
    }
    float level = mh_env_ambient(&env);
    mh_env_free(&env);
    float *faces = malloc(sizeof(float) * 18 * ENV_CAPTURE * ENV_CAPTURE);
    mh_render_layer hall = {.scene = gpu, .cpu = sc};
    mh_vec3 at = mh_v3(h->stage_pos.x, h->stage_height + 1.6f, h->stage_pos.y);
    bool ok =
        faces && mh_renderer_capture(r, &hall, 1, light, at, ENV_CAPTURE, faces, &err) &&
        mh_env_build(&env, faces, ENV_CAPTURE, &(mh_env_desc){.samples = 32, .threads = mh_parallel_threads()}, &err);
    float k = ok && mh_env_ambient(&env) > 1e-6f ? mh_clampf(level / mh_env_ambient(&env), 0.25f, 8.0f) : 1.0f;
    if (ok)
        mh_env_scale(&env, k);
    ok = ok && mh_renderer_set_environment(r, &env, &err);
    if (ok)
        mh_env_free(&env);
    for (size_t i = 0; ok && out_faces && i < 18u * ENV_CAPTURE * ENV_CAPTURE; i++)
        out_faces[i] = faces[i] * k;
    free(faces);
    if (!ok) {
        char text[1024];
        mh_log_warn("gl", "the hall's light capture failed (%s): lit by its sky and ground colours",
                    faces ? mh_error_text(&err, text, sizeof text) : "out of memory");
    }
    return ok;
}

bool mh_engine_save_environment(mh_engine *e, const char *dir, mh_error *err)
{
    float *faces = malloc(sizeof(float) * 18 * ENV_CAPTURE * ENV_CAPTURE);
    if (!faces)
        return mh_fail(err, dir, "", "out of memory");
    bool ok = mh_engine_hall_light(e->renderer, &e->hall, &e->scene, e->hall_gpu, &e->light, faces);
    ok = ok ? mh_env_save_rgbe(dir, faces, ENV_CAPTURE, err)
            : mh_fail(err, dir, "", "the hall's light could not be captured (see the log)");
    free(faces);
    return ok;
}
