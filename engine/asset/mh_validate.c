/* mh_validate.c - walks asset paths and reports every problem the loaders find. */
#include "mh_validate.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/mh_arena.h"
#include "../core/mh_fs.h"
#include "mh_gltf.h"
#include "mh_hall_load.h"
#include "mh_picture.h"
#include "mh_png.h"

#define MAX_DEPTH 32

typedef struct run {
    mh_problem_fn fn;
    void *user;
    mh_validate_stats *st;
    mh_validate_lint_fn lint;
    void *lint_user;
} run;

/* Real paths checked in this run: an open-addressing hash set that grows,
 * so a folder of any size is deduplicated in linear time. */
static struct {
    char **slots;
    size_t cap, count;
} g_seen;

void mh_validate_reset(void)
{
    for (size_t i = 0; i < g_seen.cap; i++)
        free(g_seen.slots[i]);
    free(g_seen.slots);
    memset(&g_seen, 0, sizeof g_seen);
}

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Inserts s (taking it); false when it was there already. */
static bool seen_insert(char *s)
{
    if ((g_seen.count + 1) * 2 > g_seen.cap) {
        size_t cap = g_seen.cap ? g_seen.cap * 2 : 256;
        char **slots = calloc(cap, sizeof *slots);
        if (!slots) {
            free(s);
            return true; /* no memory to remember: check it again rather than skip it */
        }
        for (size_t i = 0; i < g_seen.cap; i++)
            if (g_seen.slots[i])
                for (size_t k = hash(g_seen.slots[i]) & (cap - 1);; k = (k + 1) & (cap - 1))
                    if (!slots[k]) {
                        slots[k] = g_seen.slots[i];
                        break;
                    }
        free(g_seen.slots);
        g_seen.slots = slots;
        g_seen.cap = cap;
    }
    for (size_t k = hash(s) & (g_seen.cap - 1);; k = (k + 1) & (g_seen.cap - 1)) {
        if (!g_seen.slots[k]) {
            g_seen.slots[k] = s;
            g_seen.count++;
            return true;
        }
        if (!strcmp(g_seen.slots[k], s)) {
            free(s);
            return false;
        }
    }
}

/* True the first time a file is seen (then it should be checked). */
static bool first_visit(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return true;
    char *copy = strdup(real);
    return !copy || seen_insert(copy);
}

static void problem(run *r, const char *file, const char *where, const char *msg, bool error)
{
    if (error)
        r->st->errors++;
    else
        r->st->warnings++;
    r->fn(r->user, file, where && where[0] ? where : "/", msg, error);
}

static void report_error(run *r, const mh_error *e) { problem(r, e->file, e->where, e->message, true); }

static void lint_warn(void *ctx, const char *file, const char *where, const char *message)
{
    problem(ctx, file, where, message, false);
}

/* The authoring checks on what loaded (see mh_validate_path_lint). */
static void lint(run *r, const char *file, const mh_hall_desc *h, const mh_exhibit_desc *x)
{
    mh_validate_sink sink = {lint_warn, r};
    if (r->lint && (!x || x->loaded))
        r->lint(r->lint_user, file, h, x, &sink);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* The performance budgets (warnings): what the model draws, its draw calls
 * (primitives) and its textures' GPU memory with mip levels. */
static void check_performance(run *r, const char *path, const mh_gltf_model *m, mh_budget b)
{
    uint64_t tex = 0;
    uint32_t draws = 0;
    for (int i = 0; i < m->image_count; i++)
        if (m->images[i].rgba)
            tex += (uint64_t)m->images[i].width * (uint64_t)m->images[i].height * 4 * 4 / 3;
    for (int d = 0; d < m->draw_count; d++)
        draws += (uint32_t)m->meshes[m->draws[d].mesh].prim_count;
    char msg[300];
    if (m->triangle_count > b.warn_triangles) {
        snprintf(msg, sizeof msg,
                 "draws %u triangles, more than the %u a small board's frame rate allows per "
                 "exhibit (budgets.warn_triangles in hall.json)",
                 m->triangle_count, b.warn_triangles);
        problem(r, path, "/meshes", msg, false);
    }
    if (tex > b.warn_texture_bytes) {
        snprintf(msg, sizeof msg,
                 "its textures take %.1f MiB of GPU memory with mip levels, more than %.1f MiB "
                 "(budgets.warn_texture_bytes; smaller images, or budgets.texture_size)",
                 (double)tex / 1048576.0, (double)b.warn_texture_bytes / 1048576.0);
        problem(r, path, "/images", msg, false);
    }
    if (draws > b.warn_draw_calls) {
        snprintf(msg, sizeof msg,
                 "draws %u primitives (up to as many draw calls), more than %u "
                 "(budgets.warn_draw_calls; merge meshes or materials)",
                 draws, b.warn_draw_calls);
        problem(r, path, "/meshes", msg, false);
    }
}

/* A model by the strict rule (every Khronos error is an error), within the
 * budgets it would be loaded with; root: the folder it must stay inside
 * (NULL: its own). Each problem ends with its code, e.g. [NODE_LOOP]. */
static void check_model(run *r, const char *path, const char *root, const mh_budget *budget)
{
    if (!first_visit(path))
        return;
    r->st->files++;
    mh_arena a = {.block_size = 1u << 20};
    mh_gltf_model m;
    mh_gltf_report rep;
    mh_gltf_desc d = {.root = root, .strict = true, .skip_images = false};
    if (budget)
        d.budget = *budget;
    bool ok = mh_gltf_load(path, &d, &a, &m, &rep);
    for (int i = 0; i < rep.count; i++) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s%s%s%s", rep.issues[i].message, rep.issues[i].code[0] ? " [" : "",
                 rep.issues[i].code, rep.issues[i].code[0] ? "]" : "");
        problem(r, path, rep.issues[i].pointer, msg, rep.issues[i].error);
    }
    if (rep.errors + rep.warnings > rep.count) {
        char msg[96];
        snprintf(msg, sizeof msg, "%d more problems not shown", rep.errors + rep.warnings - rep.count);
        problem(r, path, "/", msg, rep.errors > 0 && rep.count == MH_GLTF_MAX_ISSUES);
    }
    if (ok && m.draw_count == 0)
        problem(r, path, "/scenes", "the default scene draws nothing", false);
    if (ok)
        check_performance(r, path, &m, mh_budget_defaults(budget ? *budget : (mh_budget){0}));
    mh_arena_free(&a);
}

/* root: the folder the PNG must stay inside (NULL: only its own name is
 * checked); max_pixels: the budget it is decoded within. */
static void check_png(run *r, const char *path, const char *root, uint64_t max_pixels)
{
    if (!first_visit(path))
        return;
    r->st->files++;
    mh_image img;
    mh_error e;
    if (!mh_png_load_in(path, root, max_pixels, &img, &e))
        report_error(r, &e);
    else
        mh_image_free(&img);
}

/* A gallery photo: PNG or JPEG, within the image budget. */
static void check_picture(run *r, const char *path, const char *root, uint64_t max_pixels)
{
    if (!first_visit(path))
        return;
    r->st->files++;
    mh_image img;
    mh_error e;
    mh_picture_desc d = {.path = path, .root = root, .max_pixels = max_pixels};
    if (!mh_picture_load(&d, &img, &e))
        report_error(r, &e);
    else
        mh_image_free(&img);
}

/* A video or audio file: present, a regular file inside the folder (its
 * contents are the decoder's business: the kiosk shows a placeholder). */
static void check_media_file(run *r, const char *path, const char *root)
{
    if (!path || !first_visit(path))
        return;
    r->st->files++;
    mh_error e;
    int fd = mh_fs_open(path, root, &e);
    if (fd < 0)
        report_error(r, &e);
    else
        close(fd);
}

static void check_exhibit_desc(run *r, const mh_exhibit_desc *x, const mh_budget *b)
{
    if (!x->loaded) {
        report_error(r, &x->error);
        return;
    }
    if (x->model)
        check_model(r, x->model, x->dir, b);
    for (int i = 0; i < x->image_count; i++)
        check_picture(r, x->images[i], x->dir, b->image_pixels);
    for (int i = 0; i < x->video_count; i++)
        check_media_file(r, x->videos[i].path, x->dir);
    check_media_file(r, x->narration_audio_zh.path, x->dir);
    check_media_file(r, x->narration_audio_en.path, x->dir);
}

static void check_exhibit(run *r, const char *path)
{
    if (!first_visit(path))
        return;
    r->st->files++;
    char dir[PATH_MAX];
    mh_fs_dirname(path, dir, sizeof dir);
    const char *id = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    mh_arena a = {0};
    mh_exhibit_desc x;
    mh_exhibit_load(path, mh_exhibit_id_valid(id) ? id : NULL, &a, &x, &x.error);
    mh_budget b = mh_budget_defaults((mh_budget){0});
    check_exhibit_desc(r, &x, &b);
    lint(r, path, NULL, &x);
    mh_arena_free(&a);
}

static void check_hall(run *r, const char *dir)
{
    char path[PATH_MAX];
    mh_fs_join(dir, "hall.json", path, sizeof path);
    if (!first_visit(path))
        return;
    r->st->files++;
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    if (!mh_hall_load(dir, &a, &h, &e)) {
        report_error(r, &e);
        mh_arena_free(&a);
        return;
    }
    for (int i = 0; i < h.texture_count; i++)
        check_png(r, h.textures[i], h.dir, h.budget.image_pixels);
    check_media_file(r, h.media.music, h.dir);
    for (int i = 0; i < h.media.screen_count; i++)
        check_media_file(r, h.media.screens[i].video, h.dir);
    for (int i = 0; i < h.booth_count; i++) {
        char ex[PATH_MAX];
        snprintf(ex, sizeof ex, "%s", h.booths[i].exhibit.error.file);
        if (h.booths[i].exhibit.loaded || first_visit(ex)) {
            r->st->files += !h.booths[i].exhibit.loaded;
            check_exhibit_desc(r, &h.booths[i].exhibit, &h.budget);
        }
        if (h.booths[i].exhibit.loaded) { /* the authoring checks once per exhibit.json */
            snprintf(ex, sizeof ex, "%s/exhibit.json", h.booths[i].exhibit.dir);
            if (first_visit(ex))
                lint(r, ex, &h, &h.booths[i].exhibit);
        }
    }
    lint(r, path, &h, NULL);
    bool font = false;
    for (int i = 0; i < h.font_count; i++)
        font = font || mh_fs_is_regular(h.fonts[i]);
    if (!font)
        problem(r, path, "/fonts", "none of the listed fonts is installed here; signs will show no text", false);
    mh_arena_free(&a);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The folders being walked, outermost first: a folder met again among them
 * is a loop of symbolic links. */
typedef struct walk_stack {
    dev_t dev[MAX_DEPTH];
    ino_t ino[MAX_DEPTH];
    int depth;
} walk_stack;

/* Every entry of dir except dot-files, sorted; NULL-terminated, malloc'ed. */
static char **list_folder(const char *dir, int *out_n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n + 1 >= cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, sizeof *names * (size_t)cap);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (names)
        qsort(names, (size_t)n, sizeof *names, by_name);
    *out_n = n;
    return names ? names : calloc(1, sizeof *names);
}

static void check_folder(run *r, const char *dir, walk_stack *ws);

static void check_entry(run *r, const char *sub, walk_stack *ws)
{
    if (mh_fs_is_dir(sub))
        check_folder(r, sub, ws);
    else if (ends_with(sub, ".gltf") || ends_with(sub, ".glb"))
        check_model(r, sub, NULL, NULL);
    else if (ends_with(sub, ".png"))
        check_png(r, sub, NULL, mh_budget_defaults((mh_budget){0}).image_pixels);
}

static void check_folder(run *r, const char *dir, walk_stack *ws)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        problem(r, dir, "/", "cannot read this folder", true);
        return;
    }
    for (int i = 0; i < ws->depth; i++)
        if (ws->dev[i] == st.st_dev && ws->ino[i] == st.st_ino) {
            problem(r, dir, "/",
                    "a loop of symbolic links: this folder leads back to one that contains it; "
                    "it is not walked again",
                    true);
            return;
        }
    if (ws->depth >= MAX_DEPTH) {
        problem(r, dir, "/", "folders are nested too deeply to check", true);
        return;
    }
    char probe[PATH_MAX];
    mh_fs_join(dir, "hall.json", probe, sizeof probe);
    if (mh_fs_is_file(probe)) {
        check_hall(r, dir);
        return;
    }
    mh_fs_join(dir, "exhibit.json", probe, sizeof probe);
    if (mh_fs_is_file(probe)) {
        check_exhibit(r, probe);
        return;
    }
    if (!first_visit(dir))
        return; /* the same folder through another link: already checked */
    int n = 0;
    char **names = list_folder(dir, &n);
    if (!names) {
        problem(r, dir, "/", "cannot read this folder", true);
        return;
    }
    ws->dev[ws->depth] = st.st_dev;
    ws->ino[ws->depth++] = st.st_ino;
    for (int i = 0; i < n; i++) {
        char sub[PATH_MAX];
        if (mh_fs_join(dir, names[i], sub, sizeof sub))
            check_entry(r, sub, ws);
        else
            problem(r, dir, "/", "a name in this folder makes a path too long to check", true);
        free(names[i]);
    }
    ws->depth--;
    free(names);
}

void mh_validate_path(const char *path, mh_problem_fn fn, void *user, mh_validate_stats *stats)
{
    mh_validate_path_lint(path, fn, user, NULL, NULL, stats);
}

void mh_validate_path_lint(const char *path, mh_problem_fn fn, void *user, mh_validate_lint_fn lint_fn, void *lint_user,
                           mh_validate_stats *stats)
{
    run r = {fn, user, stats, lint_fn, lint_user};
    if (mh_fs_is_dir(path)) {
        walk_stack ws = {.depth = 0};
        check_folder(&r, path, &ws);
    } else if (!mh_fs_is_file(path)) {
        problem(&r, path, "/", "no such file or folder", true);
    } else if (ends_with(path, ".gltf") || ends_with(path, ".glb")) {
        check_model(&r, path, NULL, NULL);
    } else if (ends_with(path, ".png")) {
        check_png(&r, path, NULL, mh_budget_defaults((mh_budget){0}).image_pixels);
    } else if (ends_with(path, "hall.json")) {
        char dir[PATH_MAX];
        mh_fs_dirname(path, dir, sizeof dir);
        check_hall(&r, dir);
    } else if (ends_with(path, ".json")) {
        check_exhibit(&r, path);
    } else {
        problem(&r, path, "/", "not a file metahall checks (.gltf, .glb, .png, hall.json, exhibit.json)", true);
    }
}
