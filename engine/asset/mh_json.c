/* mh_json.c - cJSON parsing with line/column errors and pointer-located getters. */
#include "mh_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "mh_budget.h"

/* True when the text stops inside a string, object or array: the file was
 * cut short (a common failure of copies to kiosks) rather than mistyped. */
static bool ends_early(const char *text, size_t size)
{
    int depth = 0;
    bool in_string = false, escape = false;
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        if (in_string) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return in_string || depth > 0;
}

/* What kind of character stops the parse, without quoting it: error
 * messages reach operators (replies, logs, MQTT) and must never carry the
 * bytes of a file (a link to /etc/passwd once put "root:x:0:0:r" there). */
static const char *char_kind(unsigned char c)
{
    if (c >= 0x80)
        return "a non-ASCII byte";
    if (c < 0x20 || c == 0x7F)
        return "a control character";
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return "a letter";
    if (c >= '0' && c <= '9')
        return "a digit";
    if (c == '"' || c == '\'')
        return "a quote";
    return "a punctuation mark";
}

/* An upper bound on the values (keys, values, array elements) in text, in
 * one linear pass outside strings: every one after the first follows a ',',
 * ':', '[' or '{'. Stops counting past `limit`. */
static size_t count_values(const char *text, size_t size, size_t limit)
{
    size_t n = 1;
    bool in_string = false, escape = false;
    for (size_t i = 0; i < size && n <= limit; i++) {
        char c = text[i];
        if (in_string) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ',' || c == ':' || c == '[' || c == '{') {
            n++;
        }
    }
    return n;
}

cJSON *mh_json_parse(const char *text, size_t size, const char *file, mh_error *err)
{
    return mh_json_parse_max(text, size, file, MH_MANIFEST_MAX_VALUES, err);
}

cJSON *mh_json_parse_max(const char *text, size_t size, const char *file, size_t max_values, mh_error *err)
{
    if (count_values(text, size, max_values) > max_values) {
        mh_fail(err, file, "",
                "the JSON holds more than %zu values (keys, values and array elements), "
                "the limit for this file",
                max_values);
        return NULL;
    }
    const char *end = NULL;
    if (size >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        text += 3; /* UTF-8 byte order mark, as Windows editors write it */
        size -= 3;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(text, size, &end, false);
    if (root) {
        /* allow trailing whitespace only */
        const char *p = end;
        while (p < text + size && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (p == text + size)
            return root;
        cJSON_Delete(root);
        end = p;
    }
    bool truncated = root == NULL && ends_early(text, size);
    if (truncated || !end || end < text || end > text + size)
        end = truncated ? text + size : text;
    int line = 1, col = 1;
    for (const char *p = text; p < end; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            col++;
        }
    }
    char where[64];
    snprintf(where, sizeof where, "line %d, column %d", line, col);
    if (end >= text + size)
        mh_fail(err, file, where, "invalid JSON: the text ends before the value is complete");
    else if (root == NULL)
        mh_fail(err, file, where, "invalid JSON syntax: %s where it cannot be", char_kind((unsigned char)*end));
    else
        mh_fail(err, file, where, "unexpected text after the JSON value");
    return NULL;
}

cJSON *mh_json_load_file(const char *path, size_t max_size, mh_error *err)
{
    char *text;
    size_t size;
    if (!mh_fs_read_file(path, max_size, &text, &size, err))
        return NULL;
    cJSON *root = mh_json_parse(text, size, path, err);
    free(text);
    return root;
}

void mh_json_ptr_key(char *out, size_t size, const char *base, const char *key)
{
    /* a key is the file's text: at most 48 bytes of it, printable ASCII only
     * (else '?'), so a pointer locates without carrying a file's content */
    size_t n = (size_t)snprintf(out, size, "%s/", base), start = n;
    for (const char *k = key; *k && n + 3 < size && n - start < 48; k++) {
        if ((unsigned char)*k < 0x20 || (unsigned char)*k > 0x7e) {
            out[n++] = '?';
            continue;
        }
        if (*k == '~') {
            out[n++] = '~';
            out[n++] = '0';
        } else if (*k == '/') {
            out[n++] = '~';
            out[n++] = '1';
        } else {
            out[n++] = *k;
        }
    }
    if (n < size)
        out[n] = '\0';
}

void mh_json_ptr_index(char *out, size_t size, const char *base, int index)
{
    snprintf(out, size, "%s/%d", base, index);
}

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "invalid";
}

static bool fail_at(mh_json_reader *r, const char *ptr, const char *key, const char *fmt, const char *a, const char *b)
{
    char where[160];
    if (key)
        mh_json_ptr_key(where, sizeof where, ptr, key);
    else
        snprintf(where, sizeof where, "%s", ptr[0] ? ptr : "/");
    mh_fail(r->err, r->file, where, fmt, a, b);
    return false;
}

bool mh_json_object(mh_json_reader *r, const cJSON *v, const char *ptr)
{
    if (cJSON_IsObject(v))
        return true;
    return fail_at(r, ptr, NULL, "expected an object, found %s%s", type_name(v), "");
}

/* Finds key in obj. Returns 1 when present (*out set), 0 when absent and
 * optional, -1 when absent but required (error filled). */
static int lookup(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required,
                  const cJSON **out)
{
    *out = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (*out)
        return 1;
    if (!required)
        return 0;
    fail_at(r, ptr, key, "required property '%s' is missing%s", key, "");
    return -1;
}

static bool get_str_max(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out,
                        bool required, int max_chars);

static bool get_str(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out,
                    bool required)
{
    return get_str_max(r, obj, ptr, key, out, required, MH_TEXT_MAX_LONG);
}

bool mh_json_text(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, int max_chars,
                  const char **out)
{
    return get_str_max(r, obj, ptr, key, out, required, max_chars);
}

static bool get_str_max(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out,
                        bool required, int max_chars)
{
    const cJSON *v;
    int found = lookup(r, obj, ptr, key, required, &v);
    if (found <= 0)
        return found == 0;
    if (!cJSON_IsString(v))
        return fail_at(r, ptr, key, "expected a string, found %s%s", type_name(v), "");
    if (!mh_json_text_fits(r, ptr, key, v->valuestring, max_chars))
        return false;
    *out = v->valuestring;
    return true;
}

bool mh_json_text_fits(mh_json_reader *r, const char *ptr, const char *key, const char *s, int max_chars)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    if (n <= max_chars)
        return true;
    char msg[96];
    snprintf(msg, sizeof msg, "the text is %d characters long; at most %d fit here", n, max_chars);
    return fail_at(r, ptr, key, "%s%s", msg, "");
}

bool mh_json_str(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out)
{
    return get_str(r, obj, ptr, key, out, true);
}

bool mh_json_str_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const char **out)
{
    return get_str(r, obj, ptr, key, out, false);
}

static bool get_num(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, float *out, bool required)
{
    const cJSON *v;
    int found = lookup(r, obj, ptr, key, required, &v);
    if (found <= 0)
        return found == 0;
    if (!cJSON_IsNumber(v))
        return fail_at(r, ptr, key, "expected a number, found %s%s", type_name(v), "");
    if (!isfinite(v->valuedouble) || fabs(v->valuedouble) > 1e9)
        return fail_at(r, ptr, key, "number is out of range%s%s", "", "");
    *out = (float)v->valuedouble;
    return true;
}

bool mh_json_num(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, float *out)
{
    return get_num(r, obj, ptr, key, out, true);
}

bool mh_json_num_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, float *out)
{
    return get_num(r, obj, ptr, key, out, false);
}

bool mh_json_int_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, int lo, int hi, int *out)
{
    const cJSON *v;
    if (lookup(r, obj, ptr, key, false, &v) == 0)
        return true;
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
        return fail_at(r, ptr, key, "expected an integer, found %s%s", type_name(v), "");
    if (v->valuedouble < lo || v->valuedouble > hi) {
        char range[64];
        snprintf(range, sizeof range, "%d..%d", lo, hi);
        return fail_at(r, ptr, key, "integer must be in %s%s", range, "");
    }
    *out = (int)v->valuedouble;
    return true;
}

bool mh_json_bool_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool *out)
{
    const cJSON *v;
    if (lookup(r, obj, ptr, key, false, &v) == 0)
        return true;
    if (!cJSON_IsBool(v))
        return fail_at(r, ptr, key, "expected true or false, found %s%s", type_name(v), "");
    *out = cJSON_IsTrue(v);
    return true;
}

static bool get_floats(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, float *out,
                       int n)
{
    const cJSON *v;
    int found = lookup(r, obj, ptr, key, required, &v);
    if (found <= 0)
        return found == 0;
    static const char *const counts[] = {"", "", "an array of 2 numbers", "an array of 3 numbers"};
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != n)
        return fail_at(r, ptr, key, "expected %s, found %s", counts[n], type_name(v));
    float tmp[4];
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(v, i);
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || fabs(e->valuedouble) > 1e6)
            return fail_at(r, ptr, key, "expected %s, found a bad element%s", counts[n], "");
        tmp[i] = (float)e->valuedouble;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[i];
    return true;
}

bool mh_json_vec2(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, mh_vec2 *out)
{
    float f[2] = {out->x, out->y};
    if (!get_floats(r, obj, ptr, key, required, f, 2))
        return false;
    *out = (mh_vec2){f[0], f[1]};
    return true;
}

bool mh_json_vec3(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, bool required, mh_vec3 *out)
{
    float f[3] = {out->x, out->y, out->z};
    if (!get_floats(r, obj, ptr, key, required, f, 3))
        return false;
    *out = mh_v3(f[0], f[1], f[2]);
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool mh_json_color_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, mh_vec3 *out)
{
    const char *s = NULL;
    if (!mh_json_str_opt(r, obj, ptr, key, &s))
        return false;
    if (!s)
        return true;
    float c[3];
    bool ok = strlen(s) == 7 && s[0] == '#';
    for (int i = 0; ok && i < 3; i++) {
        int hi = hexval(s[1 + 2 * i]), lo = hexval(s[2 + 2 * i]);
        ok = hi >= 0 && lo >= 0;
        c[i] = ok ? mh_srgb_to_linear((float)(hi * 16 + lo) / 255.0f) : 0;
    }
    if (!ok)
        return fail_at(r, ptr, key, "expected a colour like \"#1a2b3c\"%s%s", "", "");
    *out = mh_v3(c[0], c[1], c[2]);
    return true;
}

bool mh_json_array_opt(mh_json_reader *r, const cJSON *obj, const char *ptr, const char *key, const cJSON **out)
{
    const cJSON *v;
    *out = NULL;
    if (lookup(r, obj, ptr, key, false, &v) == 0)
        return true;
    if (!cJSON_IsArray(v))
        return fail_at(r, ptr, key, "expected an array, found %s%s", type_name(v), "");
    *out = v;
    return true;
}
