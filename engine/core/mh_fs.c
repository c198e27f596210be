/* mh_fs.c - file reading and safe path joining. */
#include "mh_fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool mh_fs_read_file(const char *path, size_t max_size, char **out_data, size_t *out_size, mh_error *err)
{
    *out_data = NULL;
    if (out_size)
        *out_size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mh_fail(err, path, "", "cannot open file: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return mh_fail(err, path, "", "not a regular file");
    }
    if ((unsigned long long)st.st_size > max_size) {
        fclose(f);
        return mh_fail(err, path, "", "file is %lld bytes, more than the limit of %zu bytes",
                       (long long)st.st_size, max_size);
    }
    size_t size = (size_t)st.st_size;
    char *data = malloc(size + 1);
    if (!data) {
        fclose(f);
        return mh_fail(err, path, "", "out of memory reading %zu bytes", size);
    }
    size_t got = fread(data, 1, size, f);
    fclose(f);
    if (got != size) {
        free(data);
        return mh_fail(err, path, "", "short read (%zu of %zu bytes)", got, size);
    }
    data[size] = '\0';
    *out_data = data;
    if (out_size)
        *out_size = size;
    return true;
}

bool mh_fs_join_inside(const char *dir, const char *rel, char *out, size_t out_size)
{
    if (!rel[0] || rel[0] == '/' || strchr(rel, '\\'))
        return false;
    const char *seg = rel;
    while (*seg) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (len == 0 || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        seg += len;
        if (*seg == '/')
            seg++;
    }
    return mh_fs_join(dir, rel, out, out_size);
}

bool mh_fs_join(const char *dir, const char *name, char *out, size_t out_size)
{
    int n = snprintf(out, out_size, "%s/%s", dir, name);
    return n > 0 && (size_t)n < out_size;
}

bool mh_fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool mh_fs_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void mh_fs_dirname(const char *path, char *out, size_t out_size)
{
    snprintf(out, out_size, "%s", path);
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(out, out_size, ".");
}
