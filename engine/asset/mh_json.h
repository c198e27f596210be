/* mh_json.h - reading manifests with cJSON, reporting errors by location.
 *
 * Parse errors are reported as "line L, column C"; errors in the values are
 * reported by JSON pointer (RFC 6901, e.g. "/booths/3/position"), the way the
 * Khronos glTF validator reports them. A reader carries the file name and the
 * error record so that each getter is one short call. */
#ifndef MH_JSON_H
#define MH_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "../core/mh_error.h"
#include "../core/mh_math.h"

typedef struct mh_json_reader {
    const char *file; /* for error messages */
    mh_error *err;    /* filled on the first failure (may be NULL) */
} mh_json_reader;

/* Parses text; on failure fills err with the line and column of the fault.
 * A text with more than max_values keys, values and array elements is
 * refused before parsing (mh_json_parse: the manifests' limit,
 * MH_MANIFEST_MAX_VALUES). Messages never quote the text. */
cJSON *mh_json_parse(const char *text, size_t size, const char *file, mh_error *err);
cJSON *mh_json_parse_max(const char *text, size_t size, const char *file, size_t max_values, mh_error *err);
/* Reads and parses a file of at most max_size bytes. */
cJSON *mh_json_load_file(const char *path, size_t max_size, mh_error *err);

/* "/a/b" + key -> "/a/b/key" with ~ and / escaped; index variant for arrays. */
void mh_json_ptr_key(char *out, size_t size, const char *base, const char *key);
void mh_json_ptr_index(char *out, size_t size, const char *base, int index);

/* True when s has at most max_chars characters (code points); else fails at
 * ptr/key. Every string getter applies MH_TEXT_MAX_LONG. */
bool mh_json_text_fits(mh_json_reader *r, const char *ptr, const char *key, const char *s, int max_chars);

/* A string of at most max_chars characters (required or optional). */
bool mh_json_text(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, int max_chars,
                  const char **out);

/* Getters. `ptr` is the JSON pointer of obj. Required getters fail when the
 * key is missing or of the wrong type; *_opt getters keep *out (the default)
 * when the key is missing but still fail on a wrong type. */
bool mh_json_object(mh_json_reader *r, const cJSON *v, const char *ptr);
bool mh_json_str(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out);
bool mh_json_str_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out);
bool mh_json_num(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, float *out);
bool mh_json_num_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, float *out);
bool mh_json_int_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, int lo, int hi, int *out);
bool mh_json_bool_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool *out);
/* Arrays of N numbers: [x, y] or [x, y, z]. */
bool mh_json_vec2(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, mh_vec2 *out);
bool mh_json_vec3(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, mh_vec3 *out);
/* "#RRGGBB" (sRGB) -> linear RGB. */
bool mh_json_color_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, mh_vec3 *out);
/* An optional array; *out = NULL when absent. Fails when present but not an array. */
bool mh_json_array_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const cJSON **out);

#endif
