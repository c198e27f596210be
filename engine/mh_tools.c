/* mh_tools.c - the public tools surface (metahall_tools.h) over the engine's
 * private modules, and the clocks. */
#include "include/metahall_tools.h"

#include <stdio.h>
#include <time.h>

#include "asset/mh_hall_load.h"
#include "asset/mh_png.h"
#include "asset/mh_validate.h"
#include "core/mh_fs.h"
#include "core/mh_utf8.h"
#include "mh_lint.h"
#include "render/mh_renderer.h"
#include "text/mh_text.h"

bool mh_tools_read_file(const char *path, size_t max_size, char **out_data, size_t *out_size, mh_error *err)
{
    return mh_fs_read_file(path, max_size, out_data, out_size, err);
}

bool mh_tools_is_file(const char *path) { return mh_fs_is_file(path); }

uint32_t mh_tools_utf8_next(const char **s) { return mh_utf8_next(s); }

double mh_clock_seconds(mh_clock clock)
{
    static const clockid_t ids[] = {
        [MH_CLOCK_MONOTONIC] = CLOCK_MONOTONIC,
        [MH_CLOCK_PROCESS_CPU] = CLOCK_PROCESS_CPUTIME_ID,
        [MH_CLOCK_THREAD_CPU] = CLOCK_THREAD_CPUTIME_ID,
        [MH_CLOCK_BOOT] = CLOCK_BOOTTIME,
    };
    struct timespec ts;
    clock_gettime(ids[clock], &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double mh_clock_now(void) { return mh_clock_seconds(MH_CLOCK_MONOTONIC); }

bool mh_tools_gl_bare_frame(int width, int height, mh_error *err) { return mh_renderer_bare_frame(width, height, err); }

bool mh_tools_write_png(const char *path, const uint8_t *rgba, int width, int height, mh_error *err)
{
    return mh_png_write(path, rgba, width, height, err);
}

bool mh_tools_encode_png(const uint8_t *rgba, int width, int height, uint8_t **out_png, size_t *out_size, mh_error *err)
{
    return mh_png_encode(rgba, width, height, out_png, out_size, err);
}

void mh_tools_validate(const char *path, mh_tools_problem_fn fn, void *user, mh_tools_validate_counts *counts)
{
    mh_validate_stats st = {0};
    mh_lint lint = {0};
    mh_validate_path_lint(path, fn, user, mh_lint_run, &lint, &st);
    mh_lint_free(&lint);
    counts->files += st.files;
    counts->errors += st.errors;
    counts->warnings += st.warnings;
}

void mh_tools_validate_reset(void) { mh_validate_reset(); }

bool mh_tools_gl_strings(char *renderer, int renderer_size, char *version, int version_size)
{
    return mh_renderer_gl_strings(renderer, renderer_size, version, version_size);
}

bool mh_tools_font_check(const char *hall_dir, const char *sample, char *font_path, int path_size, int *missing,
                         mh_error *err)
{
    mh_arena arena = {0};
    mh_hall_desc hall;
    mh_font *font = NULL;
    if (mh_hall_load(hall_dir, &arena, &hall, err))
        font = mh_font_open(hall.fonts, hall.font_count, err);
    mh_arena_free(&arena);
    if (!font)
        return false;
    snprintf(font_path, (size_t)path_size, "%s", mh_font_path(font));
    *missing = mh_font_missing(font, sample);
    mh_font_close(&font);
    return true;
}

bool mh_engine_exhibit_id_valid(const char *id) { return mh_exhibit_id_valid(id); }
