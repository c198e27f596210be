/* mh_fs.c - safe file opening and reading, and safe path joining. */
#include "mh_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where descriptor fd really leads (links resolved), from /proc; false when
 * /proc is not mounted. */
static bool fd_path(int fd, char *out, size_t size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size - 1);
    if (n <= 0 || (size_t)n >= size - 1)
        return false;
    out[n] = '\0';
    return out[0] == '/';
}

/* True when the open file lies inside root (both resolved). */
static bool inside_root(int fd, const char *path, const char *root)
{
    char real_root[PATH_MAX], real_file[PATH_MAX];
    if (!realpath(root, real_root))
        return false;
    if (!fd_path(fd, real_file, sizeof real_file) && !realpath(path, real_file))
        return false;
    size_t n = strlen(real_root);
    if (n == 1 && real_root[0] == '/')
        return true;
    return strncmp(real_file, real_root, n) == 0 && real_file[n] == '/';
}

int mh_fs_open(const char *path, const char *root, mh_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            mh_fail(err, path, "", "is a symbolic link; metahall reads only regular files, not links");
        else
            mh_fail(err, path, "", "cannot open file: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        st.st_mode = 0;
    if (!S_ISREG(st.st_mode)) {
        const char *what = S_ISFIFO(st.st_mode)                         ? "a FIFO"
                           : S_ISDIR(st.st_mode)                        ? "a folder"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                           : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                        : "not a file";
        close(fd);
        mh_fail(err, path, "", "is %s, not a regular file", what);
        return -1;
    }
    if (root && !inside_root(fd, path, root)) {
        close(fd);
        mh_fail(err, path, "", "leads outside its folder %s (through a linked folder); it is not read", root);
        return -1;
    }
    /* reads block normally from here on (a regular file never blocks anyway) */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

bool mh_fs_read(const char *path, const char *root, size_t max_size, char **out_data, size_t *out_size, mh_error *err)
{
    *out_data = NULL;
    if (out_size)
        *out_size = 0;
    int fd = mh_fs_open(path, root, err);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return mh_fail(err, path, "", "cannot read file: %s", strerror(errno));
    }
    if ((unsigned long long)st.st_size > max_size) {
        close(fd);
        return mh_fail(err, path, "", "file is %lld bytes, more than the limit of %zu bytes", (long long)st.st_size,
                       max_size);
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *data = malloc(size + 1);
    if (!data) {
        close(fd);
        return mh_fail(err, path, "", "out of memory reading %zu bytes", size);
    }
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
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

bool mh_fs_read_file(const char *path, size_t max_size, char **out_data, size_t *out_size, mh_error *err)
{
    return mh_fs_read(path, NULL, max_size, out_data, out_size, err);
}

bool mh_fs_is_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    return ok;
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
