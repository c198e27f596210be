/* mh_screenshot.c - SCREENSHOT and thumbnails: the last frame as a PNG,
 * sent back to the client that asked ("OK png <bytes>" and the image), made
 * small for the fleet and the web page, or written into the screenshot
 * folder (SCREENSHOT FILE, the form older 中控 scripts use).
 *
 * A file is written to a temporary name in the folder, synced, then renamed,
 * so a full disk or a crash never leaves a truncated PNG under a real name
 * (and temporary files older than a minute are removed at the next
 * screenshot). The folder has a quota (files and megabytes); past it, or
 * when the disk is full, the reply is ERR 507 and the log says why (a few
 * lines at most per burst). */
#include "mh_command_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "metahall_tools.h"

#define SHOT_TMP_PREFIX ".metahall-shot-"
#define SHOT_TMP_STALE_S 60

void mh_screenshot_free(mh_commander *c)
{
    free(c->pixels);
    free(c->small);
    c->pixels = c->small = NULL;
    c->pixels_cap = c->small_cap = 0;
}

/* Grows a kept buffer (frames keep their size: this allocates once). */
static bool reserve(uint8_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    uint8_t *p = realloc(*buf, need);
    if (!p)
        return false;
    *buf = p;
    *cap = need;
    return true;
}

/* The last frame into c->pixels; false when there is none yet. */
static bool grab(mh_commander *c)
{
    if (!c->desc.engine || c->width <= 0 || c->height <= 0)
        return false;
    if (!reserve(&c->pixels, &c->pixels_cap, (size_t)c->width * (size_t)c->height * 4))
        return false;
    return mh_engine_read_pixels(c->desc.engine, c->pixels, c->width, c->height);
}

/* Box-filters c->pixels down to at most max_width wide into c->small. */
static bool shrink(mh_commander *c, int max_width, int *out_w, int *out_h)
{
    int sw = c->width, sh = c->height;
    int w = sw < max_width ? sw : max_width;
    int h = (int)((long)sh * w / sw);
    h = h < 1 ? 1 : h;
    if (!reserve(&c->small, &c->small_cap, (size_t)w * (size_t)h * 4))
        return false;
    for (int y = 0; y < h; y++) {
        int y0 = (int)((long)y * sh / h), y1 = (int)((long)(y + 1) * sh / h);
        for (int x = 0; x < w; x++) {
            int x0 = (int)((long)x * sw / w), x1 = (int)((long)(x + 1) * sw / w);
            unsigned sum[4] = {0};
            for (int yy = y0; yy < y1; yy++) {
                const uint8_t *p = c->pixels + ((size_t)yy * (size_t)sw + (size_t)x0) * 4;
                for (int xx = x0; xx < x1; xx++, p += 4)
                    for (int k = 0; k < 4; k++)
                        sum[k] += p[k];
            }
            unsigned n = (unsigned)((y1 - y0) * (x1 - x0));
            uint8_t *d = c->small + ((size_t)y * (size_t)w + (size_t)x) * 4;
            for (int k = 0; k < 4; k++)
                d[k] = (uint8_t)((sum[k] + n / 2) / n);
        }
    }
    *out_w = w;
    *out_h = h;
    return true;
}

bool mh_commander_thumbnail(mh_commander *c, int max_width, uint8_t **out_png, size_t *out_size)
{
    int w, h;
    mh_error err;
    return grab(c) && shrink(c, max_width, &w, &h) && mh_tools_encode_png(c->small, w, h, out_png, out_size, &err);
}

/* ---- the folder ------------------------------------------------------------ */

static void make_dirs(const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

/* The PNGs in the folder (count and bytes); removes stale temporary files. */
static void folder_usage(const char *dir, int *files, long long *bytes)
{
    *files = 0;
    *bytes = 0;
    DIR *d = opendir(dir);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        size_t n = strlen(de->d_name);
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (!strncmp(de->d_name, SHOT_TMP_PREFIX, strlen(SHOT_TMP_PREFIX))) {
            if (now - st.st_mtime > SHOT_TMP_STALE_S)
                unlinkat(dirfd(d), de->d_name, 0);
            continue;
        }
        if (n > 4 && !strcmp(de->d_name + n - 4, ".png")) {
            (*files)++;
            *bytes += st.st_size;
        }
    }
    closedir(d);
}

static bool no_room(int e) { return e == ENOSPC || e == EDQUOT || e == EFBIG; }

/* Writes all of data to path through a temporary file; 0 or an errno. */
static int write_atomic(const char *dir, const char *path, const uint8_t *data, size_t len, unsigned n)
{
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s/" SHOT_TMP_PREFIX "%d-%u.tmp", dir, (int)getpid(), n);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno;
    int e = 0;
    for (size_t done = 0; done < len && !e;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w > 0)
            done += (size_t)w;
        else if (w < 0 && errno != EINTR)
            e = errno;
        else if (w == 0)
            e = ENOSPC;
    }
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e)
        unlink(tmp);
    return e;
}

static bool shot_failed(mh_commander *c, mh_reply *r, int code, const char *fmt, const char *a, const char *b)
{
    char text[900];
    snprintf(text, sizeof text, fmt, a, b);
    if (mh_ratelog_allow(&c->shot_log, mh_clock_now()))
        mh_log_error("control", "SCREENSHOT: %s", text);
    return mh_reply_text(r, "ERR %d %s", code, text);
}

static bool to_file(mh_commander *c, const uint8_t *png, size_t len, mh_reply *r)
{
    const char *dir = c->desc.screenshot_dir;
    make_dirs(dir);
    int files;
    long long bytes;
    folder_usage(dir, &files, &bytes);
    long long max_bytes = (long long)c->desc.screenshot_max_mb * 1024 * 1024;
    if (files >= c->desc.screenshot_max_files || bytes + (long long)len > max_bytes) {
        char quota[160];
        snprintf(quota, sizeof quota, "%d files, %.1f MB; the quota is %d files, %ld MB", files,
                 (double)bytes / 1048576.0, c->desc.screenshot_max_files, c->desc.screenshot_max_mb);
        return shot_failed(c, r, 507, "the screenshot folder %s is full (%s): remove some", dir, quota);
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char name[160], path[700];
    struct stat st;
    do {
        snprintf(name, sizeof name, "metahall-%.40s-%04d%02d%02d-%02d%02d%02d-%u.png", c->kiosk_id, tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ++c->screenshots);
        snprintf(path, sizeof path, "%s/%s", dir, name);
    } while (lstat(path, &st) == 0);
    int e = write_atomic(dir, path, png, len, c->screenshots);
    if (no_room(e))
        return shot_failed(c, r, 507, "no room to write into the screenshot folder %s: %s", dir, strerror(e));
    if (e)
        return shot_failed(c, r, 500, "cannot write into the screenshot folder %s: %s", dir, strerror(e));
    mh_log_info("control", "screenshot %s", path);
    return mh_reply_text(r, "OK %s", name);
}

bool mh_screenshot_run(mh_commander *c, const char *arg, unsigned flags, mh_reply *r)
{
    bool bytes = flags & MH_CMD_BYTES;
    bool file = !strcmp(arg, "FILE") || (!arg[0] && (!bytes || c->desc.screenshot_default == MH_SHOT_FILE));
    bool thumb = !strcmp(arg, "THUMB");
    if (!file && !bytes)
        return mh_reply_text(r, "ERR 400 this transport cannot carry an image: use SCREENSHOT FILE");
    if (file && !c->desc.screenshot_dir)
        return mh_reply_text(r, "ERR 503 no screenshot folder is configured (screenshot-dir)");
    if (!grab(c))
        return mh_reply_text(r, "ERR 503 no frame has been drawn yet");
    int w = c->width, h = c->height;
    const uint8_t *px = c->pixels;
    if (thumb) {
        if (!shrink(c, 320, &w, &h))
            return mh_reply_text(r, "ERR 500 out of memory");
        px = c->small;
    }
    uint8_t *png = NULL;
    size_t len = 0;
    mh_error err;
    if (!mh_tools_encode_png(px, w, h, &png, &len, &err))
        return mh_reply_text(r, "ERR 500 cannot encode the frame: %s", err.message);
    if (file) {
        bool done = to_file(c, png, len, r);
        free(png);
        return done;
    }
    r->data = png;
    r->data_len = len;
    return mh_reply_text(r, "OK png %zu", len);
}
