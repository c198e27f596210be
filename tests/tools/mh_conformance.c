/* mh_conformance.c - the glTF loader against third-party conformance files:
 * the agreement of `metahall validate` (the strict rule) with the Khronos
 * validator, and what the kiosk (the default rule) loads.
 *
 *   mh_conformance SHARED_CONFORMANCE_DIR EXCEPTIONS_FILE [SHARED_MODELS_DIR]
 *   mh_conformance --list-invalid SHARED_CONFORMANCE_DIR EXCEPTIONS_FILE
 *       (the files the Khronos validator finds errors in, for validate_test.sh)
 *
 * gltf-validator/: each FILE has FILE.report.json. The strict rule must
 * reject a file exactly when its report has an error (severity 0), and
 * load it when the report has only warnings, infos and hints. Printed as a
 * table by folder: files, agree, we reject a valid file, we accept an
 * invalid one. The kiosk rule must load every file the validator calls
 * valid; it may load an invalid one only when every error is about data
 * quality (QUALITY below), never one that is unsafe to draw.
 * tinygltf/: BoundsChecking/ files must be rejected, the rest must load
 * (kiosk rule). SHARED_MODELS_DIR: real models that must load (kiosk rule).
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

/* Khronos errors the kiosk rule reports as warnings (the data is safe to
 * draw, only not as the specification wants it: a scene that lists a child
 * node draws it once under its parent, a strided animation accessor is read
 * through its stride). */
static const char *const QUALITY[] = {"ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND", "ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND",
                                      "ACCESSOR_MAX_MISMATCH", "ACCESSOR_MIN_MISMATCH", "ACCESSOR_INVALID_FLOAT",
                                      "ACCESSOR_NON_CLAMPED", "ACCESSOR_VECTOR3_NON_UNIT", "ACCESSOR_INVALID_SIGN",
                                      "ACCESSOR_ANIMATION_SAMPLER_OUTPUT_NON_NORMALIZED_QUATERNION",
                                      "ACCESSOR_INVALID_IBM", "ROTATION_NON_UNIT", "NODE_MATRIX_NON_TRS",
                                      "EMPTY_ENTITY", "CAMERA_XMAG_YMAG_ZERO", "CAMERA_ZFAR_LEQUAL_ZNEAR",
                                      "SCENE_NON_ROOT_NODE", "ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE",
                                      "MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS",
                                      "MESH_PRIMITIVE_ACCESSOR_UNALIGNED",
                                      /* and images the kiosk never reads because no material uses them */
                                      "IMAGE_DATA_INVALID", "IMAGE_UNEXPECTED_EOS", NULL};

static bool quality_code(const char *code)
{
    for (int i = 0; QUALITY[i]; i++)
        if (!strcmp(code, QUALITY[i]))
            return true;
    return false;
}

/* The report's errors: count, the codes (comma separated), and whether all
 * of them are data-quality ones. */
static int read_report(const char *path, char *codes, size_t size, bool *all_quality)
{
    char *text;
    size_t n;
    mh_error err;
    codes[0] = '\0';
    *all_quality = true;
    if (!mh_fs_read_file(path, 8u << 20, &text, &n, &err))
        return -1;
    cJSON *r = cJSON_Parse(text);
    free(text);
    const cJSON *msgs = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "issues"), "messages");
    int errors = 0;
    for (const cJSON *m = msgs ? msgs->child : NULL; m; m = m->next) {
        if (cJSON_GetObjectItem(m, "severity")->valueint != 0)
            continue;
        const char *code = cJSON_GetObjectItem(m, "code")->valuestring;
        errors++;
        *all_quality = *all_quality && quality_code(code);
        if (!strstr(codes, code) && strlen(codes) + strlen(code) + 2 < size) {
            strcat(codes, codes[0] ? "," : "");
            strcat(codes, code);
        }
    }
    cJSON_Delete(r);
    return errors;
}

static char *exceptions;
static bool list_invalid;

static bool excepted(const char *rel)
{
    char key[600];
    snprintf(key, sizeof key, "\n%s:", rel);
    return exceptions && strstr(exceptions, key);
}

#define MAX_CATEGORIES 32

typedef struct category {
    char name[32];
    int files, agree, reject_valid, accept_invalid;
} category;

typedef struct tally {
    category cats[MAX_CATEGORIES];
    int ncat;
    int kiosk_valid, kiosk_valid_ok, kiosk_invalid_loaded, real, real_ok, bounds, bounds_ok;
    int unexplained, explained;
} tally;

static category *category_of(tally *t, const char *rel)
{
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(rel, "/"), rel);
    for (int i = 0; i < t->ncat; i++)
        if (!strcmp(t->cats[i].name, name))
            return &t->cats[i];
    if (t->ncat == MAX_CATEGORIES)
        return &t->cats[MAX_CATEGORIES - 1];
    category *c = &t->cats[t->ncat++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    return c;
}

static bool load(const char *path, bool strict, mh_gltf_report *r)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_desc d = {.strict = strict};
    bool ok = mh_gltf_load(path, &d, &a, &m, r);
    mh_arena_free(&a);
    return ok;
}

static void disagree(tally *t, const char *rel, const char *what, const char *codes, const mh_gltf_report *r)
{
    if (excepted(rel)) {
        t->explained++;
        return;
    }
    t->unexplained++;
    printf("DISAGREE %s: %s; validator errors [%s]%s%s%s%s\n", rel, what, codes, r->count ? "; ours: " : "",
           r->count ? r->issues[0].code : "", r->count ? " " : "", r->count ? r->issues[0].message : "");
}

static void validator_file(const char *root, const char *rel, tally *t)
{
    char report[2400], path[1200], codes[800];
    snprintf(report, sizeof report, "%s/%s.report.json", root, rel);
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (!mh_fs_is_file(report))
        return;
    bool all_quality;
    int errors = read_report(report, codes, sizeof codes, &all_quality);
    if (errors < 0)
        return;
    if (list_invalid) {
        if (errors > 0 && !excepted(rel))
            printf("%s\n", path);
        return;
    }
    category *c = category_of(t, rel);
    mh_gltf_report r;
    bool strict_ok = load(path, true, &r);
    c->files++;
    if (strict_ok == (errors == 0)) {
        c->agree++;
    } else {
        if (errors == 0)
            c->reject_valid++;
        else
            c->accept_invalid++;
        disagree(t, rel, strict_ok ? "validate accepts it" : "validate rejects it", codes, &r);
    }
    bool kiosk_ok = load(path, false, &r);
    if (errors == 0) {
        t->kiosk_valid++;
        t->kiosk_valid_ok += kiosk_ok;
        if (!kiosk_ok && strict_ok)
            disagree(t, rel, "the kiosk rejects a file validate accepts", codes, &r);
    } else if (kiosk_ok) {
        t->kiosk_invalid_loaded++;
        if (!all_quality)
            disagree(t, rel, "the kiosk loads a file with an error that is not about data quality", codes, &r);
    }
}

static void tinygltf_file(const char *root, const char *rel, tally *t)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    bool bounds = strncmp(rel, "BoundsChecking/", 15) == 0;
    mh_gltf_report r;
    bool ok = load(path, false, &r);
    t->bounds += bounds;
    t->bounds_ok += bounds && !ok;
    t->real += !bounds;
    t->real_ok += !bounds && ok;
    if (ok == bounds)
        disagree(t, rel, ok ? "a bounds-checking file loads" : "a real model does not load", "", &r);
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

static void print_table(const tally *t)
{
    category total = {.name = "total"};
    printf("metahall validate against the Khronos glTF validator (errors only):\n");
    printf("  %-14s %6s %6s %16s %18s\n", "category", "files", "agree", "we reject valid", "we accept invalid");
    for (int i = 0; i <= t->ncat; i++) {
        const category *c = i < t->ncat ? &t->cats[i] : &total;
        if (i < t->ncat) {
            total.files += c->files;
            total.agree += c->agree;
            total.reject_valid += c->reject_valid;
            total.accept_invalid += c->accept_invalid;
        }
        printf("  %-14s %6d %6d %16d %18d\n", c->name, c->files, c->agree, c->reject_valid, c->accept_invalid);
    }
    printf("agreement: %d of %d files (%.1f%%)\n", total.agree, total.files,
           total.files ? 100.0 * total.agree / total.files : 100.0);
    printf("kiosk rule: loads %d of %d files the validator calls valid; loads %d files whose errors are all about "
           "data quality\n",
           t->kiosk_valid_ok, t->kiosk_valid, t->kiosk_invalid_loaded);
}

static char *read_exceptions(const char *path)
{
    size_t n;
    mh_error err;
    char *ex = NULL, *out = NULL;
    if (!mh_fs_read_file(path, 1u << 20, &ex, &n, &err))
        return NULL;
    out = malloc(n + 2);
    if (out) {
        out[0] = '\n';
        memcpy(out + 1, ex, n + 1);
    }
    free(ex);
    return out;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "--list-invalid")) {
        list_invalid = true;
        argv++;
        argc--;
    }
    if (argc != 3 && !(argc == 4 && !list_invalid)) {
        fprintf(stderr, "usage: mh_conformance [--list-invalid] SHARED_CONFORMANCE_DIR EXCEPTIONS_FILE [MODELS_DIR]\n");
        return 2;
    }
    exceptions = read_exceptions(argv[2]);
    static tally t;
    char root[1100];
    snprintf(root, sizeof root, "%s/gltf-validator", argv[1]);
    walk(root, "", validator_file, &t);
    if (list_invalid)
        return 0;
    snprintf(root, sizeof root, "%s/tinygltf", argv[1]);
    walk(root, "", tinygltf_file, &t);
    int tiny_real = t.real, tiny_real_ok = t.real_ok;
    if (argc == 4)
        walk(argv[3], "", tinygltf_file, &t); /* real models: must load */
    print_table(&t);
    printf("tinygltf: real models loaded %d of %d, bounds-checking files rejected %d of %d\n", tiny_real_ok, tiny_real,
           t.bounds_ok, t.bounds);
    if (argc == 4)
        printf("real models (%s): %d of %d load\n", argv[3], t.real_ok - tiny_real_ok, t.real - tiny_real);
    printf("disagreements: %d listed in %s, %d unexplained\n", t.explained, argv[2], t.unexplained);
    free(exceptions);
    int files = 0;
    for (int i = 0; i < t.ncat; i++)
        files += t.cats[i].files;
    if (files + t.real + t.bounds == 0) {
        fprintf(stderr, "mh_conformance: no conformance files under %s\n", argv[1]);
        return 2;
    }
    return t.unexplained ? 1 : 0;
}
