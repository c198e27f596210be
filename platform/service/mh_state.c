/* mh_state.c - the state file (mh_state.h): where it lives, reading it
 * back, writing it atomically, and the writer thread. */
#include "mh_state.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metahall_tools.h"

#define STATE_MAX_BYTES 4096
#define STATE_VERSION 1

const char *mh_state_dir(const char *option, char *buf, size_t size)
{
    const char *systemd = getenv("STATE_DIRECTORY"), *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (option && option[0])
        snprintf(buf, size, "%s", option);
    else if (systemd && systemd[0] == '/')
        snprintf(buf, size, "%.*s", (int)strcspn(systemd, ":"), systemd); /* the first of a list */
    else if (xdg && xdg[0] == '/')
        snprintf(buf, size, "%s/metahall", xdg);
    else if (home && home[0] == '/')
        snprintf(buf, size, "%s/.local/state/metahall", home);
    else
        return NULL;
    return buf;
}

static void make_dirs(const char *path)
{
    char buf[600];
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

/* ---- reading ---------------------------------------------------------------------- */

static bool state_fail(const char *path, mh_operator_settings *out, mh_error *err, const char *why)
{
    *out = (mh_operator_settings){.volume = -1};
    return mh_fail(err, path, "", "%s", why);
}

bool mh_state_load(const char *path, mh_operator_settings *out, mh_error *err)
{
    *out = (mh_operator_settings){.volume = -1};
    char *text = NULL;
    size_t size;
    if (access(path, F_OK) != 0)
        return mh_fail(err, "", "", "%s", "");
    if (!mh_tools_read_file(path, STATE_MAX_BYTES, &text, &size, err))
        return false;
    cJSON *o = cJSON_ParseWithLength(text, size);
    free(text);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return state_fail(path, out, err, "not a JSON object (a corrupt state file?)");
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(o, "version");
    const cJSON *exhibit = cJSON_GetObjectItemCaseSensitive(o, "exhibit");
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(o, "language");
    const cJSON *volume = cJSON_GetObjectItemCaseSensitive(o, "volume");
    const char *why = NULL;
    if (!cJSON_IsNumber(version) || version->valueint != STATE_VERSION)
        why = "unknown \"version\" (expected 1)";
    else if (exhibit && !cJSON_IsString(exhibit) && !cJSON_IsNull(exhibit))
        why = "\"exhibit\" is not a string";
    else if (lang && !cJSON_IsString(lang) && !cJSON_IsNull(lang))
        why = "\"language\" is not a string";
    else if (volume && !cJSON_IsNumber(volume))
        why = "\"volume\" is not a number";
    const char *ex = cJSON_GetStringValue(exhibit), *la = cJSON_GetStringValue(lang);
    if (!why && ex && ex[0] && !mh_engine_exhibit_id_valid(ex))
        why = "\"exhibit\" is not an exhibit id";
    if (!why && la && la[0] && strcmp(la, "zh") && strcmp(la, "en"))
        why = "\"language\" is not zh or en";
    if (!why && volume && (volume->valuedouble < 0 || volume->valuedouble > 100))
        why = "\"volume\" is not 0 to 100";
    if (why) {
        cJSON_Delete(o);
        return state_fail(path, out, err, why);
    }
    snprintf(out->exhibit, sizeof out->exhibit, "%s", ex ? ex : "");
    snprintf(out->language, sizeof out->language, "%s", la ? la : "");
    out->volume = volume ? volume->valueint : -1;
    cJSON_Delete(o);
    return true;
}

/* ---- writing ----------------------------------------------------------------------- */

static char *state_text(const mh_operator_settings *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "version", STATE_VERSION);
    if (s->exhibit[0])
        cJSON_AddStringToObject(o, "exhibit", s->exhibit);
    else
        cJSON_AddNullToObject(o, "exhibit");
    if (s->language[0])
        cJSON_AddStringToObject(o, "language", s->language);
    else
        cJSON_AddNullToObject(o, "language");
    if (s->volume >= 0)
        cJSON_AddNumberToObject(o, "volume", s->volume);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

static int write_all(int fd, const char *text, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : ENOSPC;
        done += (size_t)n;
    }
    return 0;
}

bool mh_state_save(const char *path, const mh_operator_settings *s, mh_error *err)
{
    char dir[600], tmp[620];
    snprintf(dir, sizeof dir, "%s", path);
    snprintf(dir, sizeof dir, "%s", dirname(dir));
    make_dirs(dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    char *text = state_text(s);
    if (!text)
        return mh_fail(err, path, "", "out of memory");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    int e = fd < 0 ? errno : write_all(fd, text, strlen(text));
    free(text);
    if (!e && fsync(fd) != 0)
        e = errno;
    if (fd >= 0 && close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return mh_fail(err, path, "", "cannot save the kiosk's state: %s", strerror(e));
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the rename itself, on disk */
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return true;
}

/* ---- the writer thread ---------------------------------------------------------------- */

struct mh_state_writer {
    char path[600];
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    mh_operator_settings latest; /* under lock */
    bool due, stopping;          /* under lock */
};

static void *writer_main(void *arg)
{
    mh_state_writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->due && !w->stopping)
            pthread_cond_wait(&w->wake, &w->lock);
        if (!w->due)
            break;
        mh_operator_settings s = w->latest;
        w->due = false;
        pthread_mutex_unlock(&w->lock);
        mh_error err;
        char text[1200];
        if (!mh_state_save(w->path, &s, &err))
            mh_log_warn("state", "%s", mh_error_text(&err, text, sizeof text));
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

mh_state_writer *mh_state_writer_open(const char *path)
{
    mh_state_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    snprintf(w->path, sizeof w->path, "%s", path);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void mh_state_writer_put(mh_state_writer *w, const mh_operator_settings *s)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->latest = *s;
    w->due = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void mh_state_writer_close(mh_state_writer **pw)
{
    mh_state_writer *w = pw ? *pw : NULL;
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL); /* a write still due is done first */
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    *pw = NULL;
}
