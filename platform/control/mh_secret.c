/* mh_secret.c - secrets from files, and wiped from argv (mh_secret.h). */
#include "mh_secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool mh_secret_read_file(const char *path, char *buf, size_t size, mh_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st;
    if (fd < 0)
        return mh_fail(err, path, "", "cannot read the token file: %s", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return mh_fail(err, path, "", "the token file is not a regular file");
    }
    if (st.st_mode & 0077)
        mh_log_warn("secret", "%s can be read by other users (chmod 600 it)", path);
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return mh_fail(err, path, "", "cannot read the token file: %s", strerror(errno));
    buf[n] = '\0';
    bool whole_line = memchr(buf, '\n', (size_t)n) != NULL || (size_t)n < size - 1;
    buf[strcspn(buf, "\r\n")] = '\0';
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        buf[--len] = '\0';
    if (len == 0)
        return mh_fail(err, path, "", "the token file's first line is empty");
    if (!whole_line)
        return mh_fail(err, path, "", "the token is longer than %zu bytes", size - 2);
    return true;
}

void mh_secret_scrub(const char *arg)
{
    if (arg)
        memset((char *)arg, 'x', strlen(arg));
}
