/* test_bake.c - the hall's baked light (engine/scene/mh_scene_bake.c, written by
 * assets/generator/mh_lightbake.c): the shipped bake matches the shipped
 * hall.json (a stale one fails here: rebake with `cmake --build build
 * --target assets`); the built hall's floor and carpets carry its occlusion
 * (darker beside a booth than on open floor) and the lightmap as emissive
 * texture on TEXCOORD_1, most of the floor with its colour in the vertices
 * instead of a fetch; the walls' and columns' grids carry their atlas's
 * light and occlusion (darker at their foot, blue over the strips there);
 * walls laid out otherwise than light.json says, or no atlas, leave them
 * plain and keep the floor's; a bake of another hall.json, or a spread
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

/* The material with the lightmap (an emissive texture read through
 * TEXCOORD_1) drawn per vertex (its light in the vertices, no fetch) or with
 * the fetch, -1 none. */
static int lightmap_material(const mh_scene *sc, bool per_vertex)
{
    for (int i = 0; i < sc->material_count; i++)
        if (sc->materials[i].slots[MH_TEX_EMISSIVE].texture >= 0 && sc->materials[i].slots[MH_TEX_EMISSIVE].set == 1 &&
            sc->materials[i].vertex_emissive == per_vertex && sc->materials[i].reflects) /* the polished floor's */
            return i;
    return -1;
}

static bool lightmapped(const mh_scene *sc, int material)
{
    return material == lightmap_material(sc, true) || material == lightmap_material(sc, false);
}

/* The occlusion (params[3] / 255) of the lightmapped vertex nearest to (x, z), and its distance. */
static float ao_near(const mh_scene *sc, float x, float z, float *dist)
{
    float best = INFINITY, ao = -1;
    for (int c = 0; c < sc->chunk_count; c++) {
        const mh_scene_chunk *ch = &sc->chunks[c];
        if (!lightmapped(sc, ch->material))
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

/* The lightmap's linear colour channel c at (x, z), bilinear between texel centres. */
static float lightmap_at(const mh_bake *b, float x, float z, int c)
{
    float fx = (x - b->min.x) / (b->max.x - b->min.x) * (float)b->width - 0.5f;
    float fz = (z - b->min.y) / (b->max.y - b->min.y) * (float)b->height - 0.5f;
    fx = fx < 0 ? 0 : fx > (float)b->width - 1 ? (float)b->width - 1 : fx;
    fz = fz < 0 ? 0 : fz > (float)b->height - 1 ? (float)b->height - 1 : fz;
    int x0 = (int)fx, z0 = (int)fz, x1 = x0 + 1 < b->width ? x0 + 1 : x0, z1 = z0 + 1 < b->height ? z0 + 1 : z0;
    float tx = fx - (float)x0, tz = fz - (float)z0;
#define L(ix, iz) \
    mh_srgb_to_linear((float)b->rgba[((size_t)(iz) * (size_t)b->width + (size_t)(ix)) * 4 + (size_t)c] / 255.0f)
    float a = L(x0, z0) + (L(x1, z0) - L(x0, z0)) * tx, d = L(x0, z1) + (L(x1, z1) - L(x0, z1)) * tx;
#undef L
    return a + (d - a) * tz;
}

/* The floor drawn per vertex carries the lightmap's colour in its vertices
 * (tangent xyz, linear): within a rounding of it everywhere, pools included. */
static void check_vertex_light(const mh_scene *sc, const mh_bake *bake)
{
    int pv = lightmap_material(sc, true), fetch = lightmap_material(sc, false);
    CHECK(pv >= 0 && fetch >= 0);
    uint32_t pv_tris = 0, fetch_tris = 0;
    float worst = 0, brightest = 0;
    for (int c = 0; c < sc->chunk_count; c++) {
        const mh_scene_chunk *ch = &sc->chunks[c];
        if (ch->material == fetch)
            fetch_tris += ch->index_count / 3;
        if (ch->material != pv)
            continue;
        pv_tris += ch->index_count / 3;
        for (uint32_t i = ch->first_index; i < ch->first_index + ch->index_count; i++) {
            const mh_vertex *v = &sc->mesh.vertices[sc->mesh.indices[i]];
            for (int k = 0; k < 3; k++) {
                float want = lightmap_at(bake, v->pos[0], v->pos[2], k), got = (float)v->tangent[k] / 32767.0f;
                worst = fmaxf(worst, fabsf(got - want));
                brightest = fmaxf(brightest, got);
            }
        }
    }
    printf("test_bake: %u floor triangles lit per vertex, %u with the lightmap's fetch; vertex light off by %.5f at "
           "most, up to %.3f\n",
           pv_tris, fetch_tris, worst, brightest);
    CHECK(pv_tris > fetch_tris); /* most of the floor: the light between its corners is smooth */
    CHECK(fetch_tris > 0);       /* shadow edges, reflected strips and dots keep the fetch */
    CHECK(worst < 0.001f);
    CHECK(brightest > 0.05f); /* the pools under the ceiling panels ride in the vertices */
}

/* The walls' and columns' grids (materials per vertex with an emissive texture on
 * TEXCOORD_1 other than the floor's lightmap): their vertices carry the
 * atlas's texel (uv1 at its centre) as light and occlusion; the foot of the
 * walls is darker than their middle, the LED strips along it spill blue on
 * it, and they add few triangles. */
static void check_walls(const mh_scene *sc, const mh_bake *bake)
{
    int floor_tex = sc->materials[lightmap_material(sc, true)].slots[MH_TEX_EMISSIVE].texture;
    uint32_t tris = 0, verts = 0;
    float worst = 0, foot_ao = 0, mid_ao = 0, foot_blue = 0, foot_red = 0, brightest = 0;
    int foot = 0, mid = 0;
    for (int c = 0; c < sc->chunk_count; c++) {
        const mh_material *m = &sc->materials[sc->chunks[c].material];
        if (!m->vertex_emissive || m->slots[MH_TEX_EMISSIVE].texture < 0 || m->slots[MH_TEX_EMISSIVE].set != 1 ||
            m->slots[MH_TEX_EMISSIVE].texture == floor_tex ||
            sc->textures[m->slots[MH_TEX_EMISSIVE].texture].width != bake->walls_width)
            continue; /* not the walls' atlas (the floor's lightmap, the booths') */
        const mh_scene_chunk *ch = &sc->chunks[c];
        tris += ch->index_count / 3;
        for (uint32_t i = ch->first_index; i < ch->first_index + ch->index_count; i++) {
            const mh_vertex *v = &sc->mesh.vertices[sc->mesh.indices[i]];
            int tx = (int)(v->uv1[0] * (float)bake->walls_width), ty = (int)(v->uv1[1] * (float)bake->walls_height);
            const uint8_t *t = &bake->walls_rgba[((size_t)ty * (size_t)bake->walls_width + (size_t)tx) * 4];
            for (int k = 0; k < 3; k++) {
                float got = (float)v->tangent[k] / 32767.0f;
                worst = fmaxf(worst, fabsf(got - mh_srgb_to_linear((float)t[k] / 255.0f)));
                brightest = fmaxf(brightest, got);
            }
            CHECK(fabsf(v->normal[1]) < 0.01f); /* the walls' sides */
            verts++;
            if (v->pos[1] < 0.01f) {
                foot_ao += (float)v->params[3] / 255.0f, foot++;
                foot_red += (float)v->tangent[0] / 32767.0f, foot_blue += (float)v->tangent[2] / 32767.0f;
            } else if (v->pos[1] > 1.5f && v->pos[1] < 3.5f)
                mid_ao += (float)v->params[3] / 255.0f, mid++;
        }
    }
    foot_ao /= (float)(foot ? foot : 1), mid_ao /= (float)(mid ? mid : 1);
    printf("test_bake: %d wall faces baked, %u triangles; vertex light off the atlas by %.5f at most, up to %.3f; "
           "occlusion %.2f at their foot, %.2f at 1.5-3.5 m; foot red %.4f blue %.4f\n",
           bake->wall_count, tris, worst, brightest, foot_ao, mid_ao, foot_red / (float)(foot ? foot : 1),
           foot_blue / (float)(foot ? foot : 1));
    /* the back wall, the two sides, the two beside the entrance, the lintel over it, the eight columns */
    CHECK(bake->wall_count == 14);
    int columns = 0;
    for (int i = 0; i < bake->wall_count; i++)
        columns += bake->walls[i].face == MH_BAKE_FACE_ROUND;
    CHECK(columns == 8);
    CHECK(tris > 3000 && tris < 8000);
    CHECK(verts > 0 && worst < 0.001f);
    CHECK(brightest > 0.02f);
    CHECK(foot > 0 && mid > 0 && foot_ao < mid_ao - 0.15f);
    CHECK(foot_blue > 2 * foot_red); /* the cyan strips along the foot of the walls */
}

/* The booths' back walls: each booth of the ground storey has its back
 * wall's front face as the template's grid (vertices facing the booth's
 * front, in the booths' material: material 0 with their atlas, per
 * vertex), its foot more occluded than its middle, and the light beside
 * the glowing strips at its ends tinted by the booth's accent. */
static void check_booths(const mh_scene *sc, const mh_hall_desc *h, const mh_bake *bake)
{
    const mh_booth_template *t = &h->templates[0];
    int part = mh_bake_booth_wall(t), rows = 0;
    float heights[MH_BAKE_WALL_ROWS_MAX];
    CHECK(part >= 0 && bake->booths[0].part == part);
    int cols = part >= 0 ? mh_bake_booth_grid(t, part, heights, &rows) : 0;
    CHECK(bake->booths[0].cols == cols && bake->booths[0].rows == rows && bake->booths[0].terms);
    for (int b = 0; b < h->booth_count; b++) {
        const mh_booth_desc *bd = &h->booths[b];
        if (bd->template_index != 0 || !bd->exhibit.loaded)
            continue;
        mh_mat4 xf =
            mh_m4_mul(mh_m4_translate(mh_v3(bd->pos.x, 0, bd->pos.y)), mh_m4_rotate_y(mh_radians(bd->yaw_deg)));
        mh_vec3 fwd = mh_m4_mul_dir(xf, mh_v3(0, 0, 1));
        int found = 0, lit_material = -1;
        float foot_ao = 0, mid_ao = 0, edge[3] = {0, 0, 0}, mid_light = 0;
        for (int j = 0; j < rows; j++)
            for (int i = 0; i < cols; i++) {
                mh_vec3 p, n;
                mh_bake_booth_point(t, part, cols, heights, i, j, &p, &n);
                mh_vec3 w = mh_m4_mul_point(xf, p);
                for (int c = 0; c < sc->chunk_count; c++) {
                    const mh_scene_chunk *ch = &sc->chunks[c];
                    if (ch->group != b)
                        continue;
                    for (uint32_t k = ch->first_index; k < ch->first_index + ch->index_count; k++) {
                        const mh_vertex *v = &sc->mesh.vertices[sc->mesh.indices[k]];
                        float d = fabsf(v->pos[0] - w.x) + fabsf(v->pos[1] - w.y) + fabsf(v->pos[2] - w.z);
                        float facing = v->normal[0] * fwd.x + v->normal[1] * fwd.y + v->normal[2] * fwd.z;
                        if (d > 1e-3f || facing < 0.99f)
                            continue;
                        found++;
                        lit_material = ch->material;
                        float ao = (float)v->params[3] / 255.0f;
                        foot_ao += j == 0 ? ao : 0;
                        mid_ao += j == rows / 2 ? ao : 0;
                        for (int q = 0; q < 3 && j == rows / 2 && (i == 0 || i == cols - 1); q++)
                            edge[q] += (float)v->tangent[q] / 32767.0f;
                        for (int q = 0; q < 3 && j == rows / 2 && i == cols / 2; q++)
                            mid_light += (float)v->tangent[q] / 32767.0f;
                        k = ch->first_index + ch->index_count; /* one vertex a grid point */
                        c = sc->chunk_count;
                    }
                }
            }
        mh_vec3 a = bd->exhibit.accent;
        float tint = (edge[0] * a.x + edge[1] * a.y + edge[2] * a.z) /
                     (mh_v3_len(a) * sqrtf(edge[0] * edge[0] + edge[1] * edge[1] + edge[2] * edge[2]) + 1e-6f);
        printf("test_bake: booth %s: %d of %d grid vertices, occlusion %.2f at the foot, %.2f half-way up; light "
               "at its ends %.3f %.3f %.3f (cos to the accent %.2f), %.3f (r + g + b) in the middle\n",
               bd->exhibit.id, found, cols * rows, foot_ao / (float)cols, mid_ao / (float)cols, edge[0] / 2,
               edge[1] / 2, edge[2] / 2, tint, mid_light);
        CHECK(found == cols * rows);
        CHECK(lit_material > 0 && sc->materials[lit_material].vertex_emissive);
        CHECK(foot_ao < mid_ao - 0.2f * (float)cols);
        CHECK(edge[0] + edge[1] + edge[2] > 0.05f && tint > 0.95f);  /* the accent strips' spill, their colour */
        CHECK(mid_light < 0.5f * (edge[0] + edge[1] + edge[2]) / 2); /* softer away from them */
    }
}

/* The back wall's grid and its key: the standard template's 3.2 m wall is
 * 9 columns by the walls' rows from its foot (0.12 m up) to 4.85 m; the key
 * follows its parts. */
static void test_booth_grid(void)
{
    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_error err;
    CHECK(mh_hall_load(HALL, &arena, &h, &err));
    mh_booth_template *t = &h.templates[0];
    CHECK(strcmp(t->name, "standard") == 0);
    int part = mh_bake_booth_wall(t), rows = 0;
    CHECK(part == 2);
    float heights[MH_BAKE_WALL_ROWS_MAX];
    int cols = mh_bake_booth_grid(t, part, heights, &rows);
    CHECK(cols == 9 && rows == 8);
    CHECK(heights[0] == 0 && fabsf(heights[1] - 0.13f) < 1e-4f && fabsf(heights[rows - 1] - 4.85f) < 1e-4f);
    mh_vec3 p, n;
    mh_bake_booth_point(t, part, cols, heights, 0, 0, &p, &n);
    CHECK(fabsf(p.x + 1.6f) < 1e-4f && fabsf(p.y - 0.12f) < 1e-4f && fabsf(p.z + 1.14f) < 1e-4f && n.z > 0.99f);
    mh_bake_booth_point(t, part, cols, heights, cols - 1, rows - 1, &p, &n);
    CHECK(fabsf(p.x - 1.6f) < 1e-4f && fabsf(p.y - 4.97f) < 1e-4f);
    uint64_t key = mh_bake_booth_key(t);
    CHECK(key != 0 && key == mh_bake_booth_key(t) && key != mh_bake_booth_key(&h.templates[1]));
    t->parts[5].shape.pos.x += 0.01f; /* a fin moved: another booth */
    CHECK(mh_bake_booth_key(t) != key);
    t->parts[5].shape.pos.x -= 0.01f;
    t->neutral.x += 0.01f;
    CHECK(mh_bake_booth_key(t) != key);
    t->neutral.x -= 0.01f;
    CHECK(mh_bake_booth_key(t) == key);
    mh_arena_free(&arena);
}

/* The vertices that carry light in their tangent or read a texture by
 * their uv1 (the floor's lightmap) lie in one short run: the renderer's second vertex stream spans the lowest to the
 * highest of them (mh_render_vertex.c), so grids laid far apart (the
 * booths' walls booth by booth once stretched it over the whole hall,
 * +2.8 MB) cost a buffer's worth. */
static void check_light_run(const mh_scene *sc)
{
    uint8_t *used = calloc(sc->mesh.vertex_count ? sc->mesh.vertex_count : 1, 1);
    uint32_t lo = UINT32_MAX, hi = 0, count = 0;
    CHECK(used != NULL);
    for (int c = 0; used && c < sc->chunk_count; c++) {
        const mh_scene_chunk *ch = &sc->chunks[c];
        const mh_material *m = &sc->materials[ch->material];
        bool second = m->vertex_emissive || mh_material_has(m, MH_TEX_NORMAL);
        for (int t = 0; t < MH_TEX_SLOTS; t++)
            second = second || (mh_material_has(m, (mh_tex_slot)t) && m->slots[t].set == 1);
        if (!second)
            continue;
        for (uint32_t i = ch->first_index; i < ch->first_index + ch->index_count; i++) {
            uint32_t v = sc->mesh.indices[i];
            count += !used[v];
            used[v] = 1;
            lo = v < lo ? v : lo;
            hi = v + 1 > hi ? v + 1 : hi;
        }
    }
    printf("test_bake: %u vertices carry light or a lightmap's uv1, in vertices [%u, %u) of %u\n", count, lo, hi,
           sc->mesh.vertex_count);
    CHECK(count > 5000 && hi - lo < 2 * count && hi - lo < sc->mesh.vertex_count / 8);
    free(used);
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

    mh_scene sc;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err));
    check_vertex_light(&sc, &bake);
    check_walls(&sc, &bake);
    check_booths(&sc, &h, &bake);
    check_light_run(&sc);
    mh_bake_free(&bake);
    /* in a corner of the walkable floor (two 9 m walls close by; the layout's booths stand on carpets, which
     * take the occlusion but not the lightmap) against the open floor between stage and entrance */
    float d_booth, d_open;
    float ao_booth = ao_near(&sc, h.walk_min.x + 0.3f, h.walk_max.y - 0.3f, &d_booth);
    float ox = (h.stage_pos.x + h.entrance_pos.x) * 0.5f, oz = (h.stage_pos.y + h.entrance_pos.y) * 0.5f;
    float ao_open = ao_near(&sc, ox, oz, &d_open);
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

/* light.json written as text (the shipped one, edited in its standard
 * template's entry): that template's walls are ignored, the island's and
 * the hall's walls kept; then the shipped file back. */
static void check_standard_ignored(const mh_hall_desc *h, const char *light_json, const char *text, size_t size)
{
    mh_bake bake;
    FILE *f = fopen(light_json, "wb");
    CHECK(f && fwrite(text, 1, size, f) == size && fclose(f) == 0);
    CHECK(mh_bake_load(h, &bake));
    CHECK(bake.wall_count == 14 && bake.booths[0].part < 0 && bake.booths[1].part >= 0);
    mh_bake_free(&bake);
    CHECK(copy_file(HALL "/light.json", light_json, NULL));
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
    CHECK(mh_bake_load(&h, &bake) && bake.wall_count == 0); /* no light_walls.png: the floor's light alone */
    mh_bake_free(&bake);
    char walls_png[512];
    snprintf(walls_png, sizeof walls_png, "%s/textures/light_walls.png", dir);
    CHECK(copy_file(HALL "/textures/light_walls.png", walls_png, NULL));
    CHECK(mh_bake_load(&h, &bake) && bake.wall_count == 14);
    mh_bake_free(&bake);
    /* walls laid out otherwise than the hall's (a face's columns): ignored, the floor's light kept */
    char *text = NULL;
    size_t size = 0;
    CHECK(mh_fs_read_file(HALL "/light.json", 64u * 1024u, &text, &size, &err));
    char *at = text ? strstr(text, "\"faces\": [[") : NULL;
    CHECK(at != NULL);
    if (at) {
        at = strchr(at + 11, ',');
        at = at ? strchr(at + 1, ',') : NULL; /* the first face's columns */
        CHECK(at && at[2] >= '1' && at[2] <= '8');
        if (at && at[2] >= '1' && at[2] <= '8')
            at[2]++;
        FILE *f = fopen(light_json, "wb");
        CHECK(f && fwrite(text, 1, size, f) == size && fclose(f) == 0);
        CHECK(mh_bake_load(&h, &bake) && bake.wall_count == 0 && bake.rgba);
        mh_bake_free(&bake);
        CHECK(copy_file(HALL "/light.json", light_json, NULL));
    }
    /* a booth template's entry with another key (its parts changed since): that template ignored, the rest kept */
    free(text);
    text = NULL;
    CHECK(mh_fs_read_file(HALL "/light.json", 64u * 1024u, &text, &size, &err));
    at = text ? strstr(text, "\"template\": \"standard\", \"key\": \"") : NULL;
    CHECK(at != NULL);
    if (at) {
        at += strlen("\"template\": \"standard\", \"key\": \"");
        *at = *at == '0' ? '1' : '0';
        check_standard_ignored(&h, light_json, text, size);
        *at = *at == '0' ? '1' : '0'; /* the key as it was */
    }
    /* a term out of range (a broken or hand-edited file: its sums could reach infinity or NaN): that
     * template ignored, the rest kept */
    at = text ? strstr(text, "\"accent\": [") : NULL;
    CHECK(at != NULL);
    if (at) {
        at += strlen("\"accent\": [");
        size_t digits = strcspn(at, ",]");
        CHECK(digits >= 4);
        memcpy(at, "1e39", 4);
        memset(at + 4, ' ', digits - 4);
        check_standard_ignored(&h, light_json, text, size);
    }
    free(text);
    /* one byte more in hall.json: another hall, the bake is stale and ignored */
    CHECK(copy_file(HALL "/hall.json", hall_json, "\n"));
    CHECK(mh_bake_key(dir) != mh_bake_key(HALL));
    CHECK(!mh_bake_load(&h, &bake) && !bake.rgba);
    /* no light.json: nothing to apply, the hall builds with a plain floor */
    remove(light_json);
    CHECK(!mh_bake_load(&h, &bake));
    mh_scene sc;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err));
    CHECK(lightmap_material(&sc, true) < 0 && lightmap_material(&sc, false) < 0);
    mh_scene_free(&sc);
    remove(hall_json);
    remove(png);
    remove(walls_png);
    snprintf(path, sizeof path, "%s/textures", dir);
    rmdir(path);
    rmdir(dir);

    /* a benchmark's stacked hall has the hall as its ground storey: the bake goes there alone */
    mh_hall_desc s;
    CHECK(mh_hall_load(HALL, &arena, &s, &err));
    CHECK(mh_hall_stack(&s, 40, &arena) && s.storeys > 1);
    CHECK(mh_scene_build(&sc, &s, (mh_sign_text){0}, &arena, &err));
    int above = 0;
    CHECK(lightmap_material(&sc, true) >= 0 && lightmap_material(&sc, false) >= 0);
    for (int c = 0; c < sc.chunk_count; c++)
        above += lightmapped(&sc, sc.chunks[c].material) && sc.chunks[c].bounds.max.y > 0.5f;
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
    test_booth_grid();
    test_shipped_bake();
    test_stale_and_stacked();
    return mh_test_done("test_bake");
}
