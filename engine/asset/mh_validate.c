/* mh_validate.c - walks asset paths and reports every problem the loaders find. */
#include "mh_validate.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_arena.h"
#include "../core/mh_fs.h"
#include "mh_gltf.h"
#include "mh_hall_load.h"
#include "mh_png.h"

#define MAX_SEEN 4096

typedef struct run {
    mh_problem_fn fn;
    void *user;
    mh_validate_stats *st;
} run;

static char *g_seen[MAX_SEEN];   /* real paths checked in this run */
static int g_seen_count;

void mh_validate_reset(void)
{
    for (int i = 0; i < g_seen_count; i++)
        free(g_seen[i]);
    g_seen_count = 0;
}

/* True the first time a file is seen (then it should be checked). */
static bool first_visit(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return true;
    for (int i = 0; i < g_seen_count; i++)
        if (!strcmp(g_seen[i], real))
            return false;
    if (g_seen_count < MAX_SEEN)
        g_seen[g_seen_count++] = strdup(real);
    return true;
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

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

static void check_model(run *r, const char *path)
{
    if (!first_visit(path))
        return;
    r->st->files++;
    mh_arena a = {.block_size = 1u << 20};
    mh_gltf_model m;
    mh_gltf_report rep;
    bool ok = mh_gltf_load(path, &a, &m, &rep);
    for (int i = 0; i < rep.count; i++)
        problem(r, path, rep.issues[i].pointer, rep.issues[i].message, rep.issues[i].error);
    if (rep.errors + rep.warnings > rep.count) {
        char msg[96];
        snprintf(msg, sizeof msg, "%d more problems not shown", rep.errors + rep.warnings - rep.count);
        problem(r, path, "/", msg, rep.errors > 0 && rep.count == MH_GLTF_MAX_ISSUES);
    }
    if (ok && m.draw_count == 0)
        problem(r, path, "/scenes", "the default scene draws nothing", false);
    mh_arena_free(&a);
}

static void check_png(run *r, const char *path)
{
    if (!first_visit(path))
        return;
    r->st->files++;
    mh_image img;
    mh_error e;
    if (!mh_png_load(path, &img, &e))
        report_error(r, &e);
    else
        mh_image_free(&img);
}

static void check_exhibit_desc(run *r, const mh_exhibit_desc *x)
{
    if (!x->loaded) {
        report_error(r, &x->error);
        return;
    }
    if (x->model)
        check_model(r, x->model);
    for (int i = 0; i < x->image_count; i++)
        check_png(r, x->images[i]);
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
    check_exhibit_desc(r, &x);
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
        check_png(r, h.textures[i]);
    for (int i = 0; i < h.booth_count; i++) {
        char ex[PATH_MAX];
        snprintf(ex, sizeof ex, "%s", h.booths[i].exhibit.error.file);
        if (h.booths[i].exhibit.loaded || first_visit(ex)) {
            r->st->files += !h.booths[i].exhibit.loaded;
            check_exhibit_desc(r, &h.booths[i].exhibit);
        }
    }
    bool font = false;
    for (int i = 0; i < h.font_count; i++)
        font = font || mh_fs_is_file(h.fonts[i]);
    if (!font)
        problem(r, path, "/fonts", "none of the listed fonts is installed here; signs will show no text", false);
    mh_arena_free(&a);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void check_folder(run *r, const char *dir, int depth)
{
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
    DIR *d = opendir(dir);
    if (!d || depth > 16) {
        if (d)
            closedir(d);
        problem(r, dir, "/", "cannot read this folder", true);
        return;
    }
    char *names[1024];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
        char sub[PATH_MAX];
        mh_fs_join(dir, names[i], sub, sizeof sub);
        if (mh_fs_is_dir(sub))
            check_folder(r, sub, depth + 1);
        else if (ends_with(sub, ".gltf") || ends_with(sub, ".glb"))
            check_model(r, sub);
        else if (ends_with(sub, ".png"))
            check_png(r, sub);
        free(names[i]);
    }
}

void mh_validate_path(const char *path, mh_problem_fn fn, void *user, mh_validate_stats *stats)
{
    run r = {fn, user, stats};
    if (mh_fs_is_dir(path)) {
        check_folder(&r, path, 0);
    } else if (!mh_fs_is_file(path)) {
        problem(&r, path, "/", "no such file or folder", true);
    } else if (ends_with(path, ".gltf") || ends_with(path, ".glb")) {
        check_model(&r, path);
    } else if (ends_with(path, ".png")) {
        check_png(&r, path);
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
