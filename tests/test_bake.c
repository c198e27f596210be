/* test_bake.c - the hall's baked light (engine/scene/mh_scene_bake.c, written by
 * assets/generator/mh_lightbake.c): the shipped bake matches the shipped
 * hall.json (a stale one fails here: rebake with `cmake --build build
 * --target assets`); the built hall's floor and carpets carry its occlusion
 * (darker beside a booth than on open floor) and the lightmap as emissive
 * texture on TEXCOORD_1; a bake of another hall.json, or a spread
 * benchmark hall, is ignored and the floor is a plain box again; a stacked
 * one has it on its ground storey only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "core/mh_fs.h"
#include "include/metahall.h"
#include "mh_test.h"
#include "scene/mh_scene.h"

#define HALL MH_SOURCE_ASSETS "/halls/default"

/* The material with the lightmap (an emissive texture read through TEXCOORD_1), -1 none. */
static int lightmap_material(const mh_scene *sc)
{
    for (int i = 0; i < sc->material_count; i++)
        if (sc->materials[i].slots[MH_TEX_EMISSIVE].texture >= 0 && sc->materials[i].slots[MH_TEX_EMISSIVE].set == 1)
            return i;
    return -1;
}

/* The occlusion (params[3] / 255) of the lightmapped vertex nearest to (x, z), and its distance. */
static float ao_near(const mh_scene *sc, int material, float x, float z, float *dist)
{
    float best = INFINITY, ao = -1;
    for (int c = 0; c < sc->chunk_count; c++) {
        const mh_scene_chunk *ch = &sc->chunks[c];
        if (ch->material != material)
            continue;
        for (uint32_t i = ch->first_index; i < ch->first_index + ch->index_count; i++) {
            const mh_vertex *v = &sc->mesh.vertices[sc->mesh.indices[i]];
            float d = hypotf(v->pos[0] - x, v->pos[2] - z);
            if (d < best) {
                best = d;
                ao = (float)v->params[3] / 255.0f;
            }
        }
    }
    *dist = best;
    return ao;
}

static void test_shipped_bake(void)
{
    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_error err;
    CHECK(mh_hall_load(HALL, &arena, &h, &err));
    mh_bake bake;
    bool fresh = mh_bake_load(&h, &bake);
    if (!fresh)
        fprintf(stderr, "test_bake: %s/%s is missing or stale: rebake (cmake --build build --target assets)\n", HALL,
                MH_BAKE_FILE);
    CHECK(fresh);
    CHECK(bake.floor_shape == mh_bake_floor_shape(&h) && bake.floor_shape >= 0);
    CHECK(bake.width > 16 && bake.height > 16 && bake.rgba);
    mh_bake_free(&bake);

    mh_scene sc;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err));
    int lm = lightmap_material(&sc);
    CHECK(lm >= 0);
    /* in a corner of the walkable floor (two 9 m walls close by; the layout's booths stand on carpets, which
     * take the occlusion but not the lightmap) against the open floor between stage and entrance */
    float d_booth, d_open;
    float ao_booth = ao_near(&sc, lm, h.walk_min.x + 0.3f, h.walk_max.y - 0.3f, &d_booth);
    float ox = (h.stage_pos.x + h.entrance_pos.x) * 0.5f, oz = (h.stage_pos.y + h.entrance_pos.y) * 0.5f;
    float ao_open = ao_near(&sc, lm, ox, oz, &d_open);
    printf("test_bake: occlusion %.2f in a corner (vertex %.2f m off), %.2f on open floor (%.2f m off)\n", ao_booth,
           d_booth, ao_open, d_open);
    CHECK(d_booth < 0.75f && d_open < 0.75f); /* the floor is a 1 m grid */
    CHECK(ao_open > 0.9f);
    CHECK(ao_booth < ao_open - 0.1f);
    mh_scene_free(&sc);
    mh_arena_free(&arena);
}

/* Copies src to dst, appending `extra` (NULL: as it is). */
static bool copy_file(const char *src, const char *dst, const char *extra)
{
    char *data = NULL;
    size_t size = 0;
    mh_error err;
    if (!mh_fs_read_file(src, 64u * 1024u * 1024u, &data, &size, &err))
        return false;
    FILE *f = fopen(dst, "wb");
    bool ok = f && fwrite(data, 1, size, f) == size && (!extra || fputs(extra, f) >= 0);
    ok = f && fclose(f) == 0 && ok;
    free(data);
    return ok;
}

static void test_stale_and_stacked(void)
{
    char dir[] = "/tmp/mh_test_bake_XXXXXX", path[512];
    if (!mkdtemp(dir)) {
        CHECK(false);
        return;
    }
    snprintf(path, sizeof path, "%s/textures", dir);
    mkdir(path, 0700);
    char hall_json[512], light_json[512], png[512];
    snprintf(hall_json, sizeof hall_json, "%s/hall.json", dir);
    snprintf(light_json, sizeof light_json, "%s/light.json", dir);
    snprintf(png, sizeof png, "%s/textures/light_floor.png", dir);
    CHECK(copy_file(HALL "/hall.json", hall_json, NULL));
    CHECK(copy_file(HALL "/light.json", light_json, NULL));
    CHECK(copy_file(HALL "/textures/light_floor.png", png, NULL));

    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_error err;
    CHECK(mh_hall_load(HALL, &arena, &h, &err));
    h.dir = dir; /* the same hall.json, copied: the bake holds */
    mh_bake bake;
    CHECK(mh_bake_key(dir) == mh_bake_key(HALL) && mh_bake_key(dir) != 0);
    CHECK(mh_bake_load(&h, &bake));
    mh_bake_free(&bake);
    /* one byte more in hall.json: another hall, the bake is stale and ignored */
    CHECK(copy_file(HALL "/hall.json", hall_json, "\n"));
    CHECK(mh_bake_key(dir) != mh_bake_key(HALL));
    CHECK(!mh_bake_load(&h, &bake) && !bake.rgba);
    /* no light.json: nothing to apply, the hall builds with a plain floor */
    remove(light_json);
    CHECK(!mh_bake_load(&h, &bake));
    mh_scene sc;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err));
    CHECK(lightmap_material(&sc) < 0);
    mh_scene_free(&sc);
    remove(hall_json);
    remove(png);
    snprintf(path, sizeof path, "%s/textures", dir);
    rmdir(path);
    rmdir(dir);

    /* a benchmark's stacked hall has the hall as its ground storey: the bake goes there alone */
    mh_hall_desc s;
    CHECK(mh_hall_load(HALL, &arena, &s, &err));
    CHECK(mh_hall_stack(&s, 40, &arena) && s.storeys > 1);
    CHECK(mh_scene_build(&sc, &s, (mh_sign_text){0}, &arena, &err));
    int lm = lightmap_material(&sc), above = 0;
    CHECK(lm >= 0);
    for (int c = 0; c < sc.chunk_count; c++)
        above += sc.chunks[c].material == lm && sc.chunks[c].bounds.max.y > 0.5f;
    CHECK(above == 0);
    mh_scene_free(&sc);
    /* a spread one (bench --booths) is not the hall that was baked */
    mh_hall_desc f;
    CHECK(mh_hall_load(HALL, &arena, &f, &err));
    CHECK(mh_hall_spread(&f, 40, &arena));
    CHECK(!mh_bake_load(&f, &bake) && !bake.rgba);
    mh_arena_free(&arena);
}

int main(void)
{
    mh_log_set_level(MH_LOG_ERROR);
    test_shipped_bake();
    test_stale_and_stacked();
    return mh_test_done("test_bake");
}
