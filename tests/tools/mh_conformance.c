/* mh_conformance.c - runs the glTF loader over third-party conformance files
 * and measures agreement with the Khronos validator's verdicts.
 *
 *   mh_conformance SHARED_CONFORMANCE_DIR EXCEPTIONS_FILE
 *   mh_conformance --list-invalid SHARED_CONFORMANCE_DIR EXCEPTIONS_FILE  (must-reject paths)
 *
 * gltf-validator/: each file has FILE.report.json. A file must be rejected
 * when its report has an error that makes the data unsafe or unusable to
 * render (bounds, indices, references, buffer/view/accessor consistency, GLB
 * structure, JSON syntax, required properties) outside the parts a kiosk
 * does not use (animations, skins); a file with no errors must load. Files
 * with only other errors may go either way and are counted apart.
 * tinygltf/: BoundsChecking/ files must be rejected, the rest must load.
 * A disagreement listed in EXCEPTIONS_FILE ("path: reason") is deliberate.
 * Exit 0 when every disagreement is listed, 1 otherwise, 2 on usage errors. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asset/mh_gltf.h"
#include "core/mh_fs.h"

static const char *const UNSAFE[] = {
    "ACCESSOR_TOO_LONG", "BUFFER_VIEW_TOO_LONG", "ACCESSOR_TOTAL_OFFSET_ALIGNMENT", "ACCESSOR_OFFSET_ALIGNMENT",
    "ACCESSOR_MATRIX_ALIGNMENT", "BUFFER_VIEW_INVALID_BYTE_STRIDE", "BUFFER_BYTE_LENGTH_MISMATCH",
    "ACCESSOR_INDEX_OOB", "ACCESSOR_INDEX_PRIMITIVE_RESTART", "UNRESOLVED_REFERENCE", "TYPE_MISMATCH",
    "INVALID_JSON", "UNDEFINED_PROPERTY", "NODE_LOOP", "NODE_PARENT_OVERRIDE", "UNKNOWN_ASSET_MAJOR_VERSION",
    "INVALID_URI", "ACCESSOR_SPARSE_INDICES_NON_INCREASING", "ACCESSOR_SPARSE_INDEX_OOB",
    "ACCESSOR_SPARSE_COUNT_OUT_OF_RANGE", "MESH_PRIMITIVE_UNEQUAL_ACCESSOR_COUNT",
    "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT", "MESH_PRIMITIVE_INDICES_ACCESSOR_INVALID_FORMAT",
    "MESH_PRIMITIVE_INDICES_ACCESSOR_WITH_BYTESTRIDE", "MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE", "IO_ERROR",
    "BUFFER_MISSING_GLB_DATA", "IMAGE_DATA_INVALID", "IMAGE_UNEXPECTED_EOS", "IMAGE_MIME_TYPE_INVALID",
    "ARRAY_LENGTH_NOT_IN_LIST", "INVALID_GL_VALUE", NULL};
/* Not in the list, on purpose: EMPTY_ENTITY (an empty array harms nothing),
 * ACCESSOR_INVALID_FLOAT (NaN in an accessor no mesh draws; the loader does
 * reject NaN in data it draws), min/max mismatches (metadata only), and
 * animation, skin, camera and morph-target problems (a kiosk draws none). */

static bool unsafe_code(const char *code)
{
    if (strncmp(code, "GLB_", 4) == 0)
        return true;
    for (int i = 0; UNSAFE[i]; i++)
        if (!strcmp(code, UNSAFE[i]))
            return true;
    return false;
}

typedef enum verdict { MUST_LOAD, MUST_REJECT, EITHER } verdict;

static verdict read_report(const char *path, char *codes, size_t size)
{
    char *text;
    size_t n;
    mh_error err;
    codes[0] = '\0';
    if (!mh_fs_read_file(path, 8u << 20, &text, &n, &err))
        return EITHER;
    cJSON *r = cJSON_Parse(text);
    free(text);
    const cJSON *msgs = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "issues"), "messages");
    int errors = 0, unsafe = 0;
    for (const cJSON *m = msgs ? msgs->child : NULL; m; m = m->next) {
        if (cJSON_GetObjectItem(m, "severity")->valueint != 0)
            continue;
        const char *code = cJSON_GetObjectItem(m, "code")->valuestring;
        const cJSON *ptr = cJSON_GetObjectItem(m, "pointer");
        const char *p = cJSON_IsString(ptr) ? ptr->valuestring : "";
        errors++;
        bool unused_part = strstr(p, "/animations") == p || strstr(p, "/skins") == p;
        if (unsafe_code(code) && !unused_part)
            unsafe++;
        if (strlen(codes) + strlen(code) + 2 < size) {
            strcat(codes, codes[0] ? "," : "");
            strcat(codes, code);
        }
    }
    cJSON_Delete(r);
    return unsafe ? MUST_REJECT : errors ? EITHER : MUST_LOAD;
}

static char *exceptions;
static bool list_invalid;   /* --list-invalid: print must-reject paths, check nothing */

static bool excepted(const char *rel)
{
    char key[600];
    snprintf(key, sizeof key, "\n%s:", rel);
    return exceptions && strstr(exceptions, key);
}

typedef struct tally {
    int valid, valid_ok, invalid, invalid_ok, either, either_loaded, unexplained, explained;
} tally;

static void check(const char *root, const char *rel, verdict want, const char *codes, tally *t)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (list_invalid) {
        if (want == MUST_REJECT && !excepted(rel))
            printf("%s\n", path);
        return;
    }
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    bool loaded = mh_gltf_load(path, &a, &m, &r);
    mh_arena_free(&a);
    bool agree = want == EITHER || loaded == (want == MUST_LOAD);
    if (want == MUST_LOAD) {
        t->valid++;
        t->valid_ok += loaded;
    } else if (want == MUST_REJECT) {
        t->invalid++;
        t->invalid_ok += !loaded;
    } else {
        t->either++;
        t->either_loaded += loaded;
    }
    if (agree)
        return;
    if (excepted(rel)) {
        t->explained++;
        return;
    }
    t->unexplained++;
    printf("DISAGREE %s: %s, validator errors [%s]%s%s\n", rel, loaded ? "loaded" : "rejected", codes,
           r.count ? "; loader: " : "", r.count ? r.issues[0].message : "");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Visits every .gltf/.glb under dir (sorted, so output is stable). */
static void walk(const char *root, const char *rel, void (*fn)(const char *, const char *, tally *), tally *t)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/%s", root, rel);
    DIR *d = opendir(dir);
    if (!d)
        return;
    char *names[4096];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 4096)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp);
    for (int i = 0; i < n; i++) {
        char sub[1200], full[2400];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        size_t l = strlen(names[i]);
        if (mh_fs_is_dir(full))
            walk(root, sub, fn, t);
        else if ((l > 5 && !strcmp(names[i] + l - 5, ".gltf")) || (l > 4 && !strcmp(names[i] + l - 4, ".glb")))
            fn(root, sub, t);
        free(names[i]);
    }
}

static void validator_file(const char *root, const char *rel, tally *t)
{
    char report[2400], codes[600];
    snprintf(report, sizeof report, "%s/%s.report.json", root, rel);
    if (!mh_fs_is_file(report))
        return;
    check(root, rel, read_report(report, codes, sizeof codes), codes, t);
}

static void tinygltf_file(const char *root, const char *rel, tally *t)
{
    bool bounds = strncmp(rel, "BoundsChecking/", 15) == 0;
    check(root, rel, bounds ? MUST_REJECT : MUST_LOAD, bounds ? "bounds-checking file" : "real model", t);
}

static double pct(int a, int b) { return b ? 100.0 * a / b : 100.0; }

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--list-invalid")) {
        list_invalid = true;
        argv++;
        argc--;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: mh_conformance SHARED_CONFORMANCE_DIR EXCEPTIONS_FILE\n");
        return 2;
    }
    size_t n;
    mh_error err;
    char *ex = NULL;
    if (mh_fs_read_file(argv[2], 1u << 20, &ex, &n, &err)) {
        exceptions = malloc(n + 2);
        exceptions[0] = '\n';
        memcpy(exceptions + 1, ex, n + 1);
        free(ex);
    }
    char root[1100];
    tally v = {0}, tg = {0};
    snprintf(root, sizeof root, "%s/gltf-validator", argv[1]);
    walk(root, "", validator_file, &v);
    snprintf(root, sizeof root, "%s/tinygltf", argv[1]);
    walk(root, "", tinygltf_file, &tg);
    if (list_invalid)
        return 0;
    printf("gltf-validator: %d files: accepted-valid %.1f%% (%d/%d), rejected-invalid %.1f%% (%d/%d); "
           "%d with only minor errors (%d loaded)\n",
           v.valid + v.invalid + v.either, pct(v.valid_ok, v.valid), v.valid_ok, v.valid, pct(v.invalid_ok, v.invalid),
           v.invalid_ok, v.invalid, v.either, v.either_loaded);
    printf("tinygltf: real models loaded %.1f%% (%d/%d), bounds-checking files rejected %.1f%% (%d/%d)\n",
           pct(tg.valid_ok, tg.valid), tg.valid_ok, tg.valid, pct(tg.invalid_ok, tg.invalid), tg.invalid_ok, tg.invalid);
    printf("disagreements: %d listed in %s, %d unexplained\n", v.explained + tg.explained, argv[2],
           v.unexplained + tg.unexplained);
    free(exceptions);
    if (v.valid + v.invalid + tg.valid + tg.invalid == 0) {
        fprintf(stderr, "mh_conformance: no conformance files under %s\n", argv[1]);
        return 2;
    }
    return v.unexplained + tg.unexplained ? 1 : 0;
}
