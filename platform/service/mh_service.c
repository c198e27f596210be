/* mh_service.c - living under systemd: readiness, watchdog, journald logs.
 *
 * sd_notify does nothing without NOTIFY_SOCKET, so every call here is safe
 * from a terminal. The watchdog is fed from the frame loop (not a thread), so
 * a render loop that hangs stops the pings and systemd restarts the kiosk.
 * STATUS= lines are rate-limited: a newer one waits for the next second and
 * is sent from mh_service_frame. Main thread only. */
#include "mh_service.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "metahall_tools.h"

#define SERVICE_STATUS_EVERY_S 1.0

typedef struct mh_service {
    bool notify;             /* NOTIFY_SOCKET is set */
    double watchdog_s;       /* the ping period (half of WatchdogSec); 0 = off */
    double watchdog_sent_at; /* < 0: not pinged yet */
    char status[256];        /* the newest STATUS= text */
    bool status_pending;     /* status not sent yet (rate limit) */
    double status_sent_at;
} mh_service;

static mh_service g_service = {.watchdog_sent_at = -1.0, .status_sent_at = -1e9};

/* ---- journald log sink ------------------------------------------------------ */

/* True when stderr is the journal's stream ($JOURNAL_STREAM is "dev:ino" of it). */
static bool stderr_is_journal(void)
{
    const char *env = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) != 0)
        return false;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void journal_sink(mh_log_level level, const char *tag, const char *text, void *user)
{
    const char *prio = level == MH_LOG_ERROR  ? SD_ERR
                       : level == MH_LOG_WARN ? SD_WARNING
                       : level == MH_LOG_INFO ? SD_INFO
                                              : SD_DEBUG;
    fprintf(stderr, "%smetahall[%s]: %s\n", prio, tag, text);
}

/* ---- notify ---------------------------------------------------------------- */

void mh_service_init(void)
{
    mh_service *s = &g_service;
    if (stderr_is_journal())
        mh_log_set_sink(journal_sink, NULL);
    s->notify = getenv("NOTIFY_SOCKET") != NULL;
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
        s->watchdog_s = (double)usec * 1e-6 / 2.0;
    if (s->notify)
        mh_log_debug("service", "systemd notify socket set; watchdog %s", s->watchdog_s > 0 ? "on" : "off");
    if (s->watchdog_s > 0)
        mh_log_info("service", "systemd watchdog: pinging every %.1f s", s->watchdog_s);
}

static void send_status(mh_service *s, double now)
{
    if (s->notify)
        sd_notifyf(0, "STATUS=%s", s->status);
    s->status_pending = false;
    s->status_sent_at = now;
}

void mh_service_ready(const char *status)
{
    mh_service *s = &g_service;
    snprintf(s->status, sizeof s->status, "%s", status ? status : "running");
    if (s->notify)
        sd_notifyf(0, "READY=1\nSTATUS=%s", s->status);
    s->status_pending = false;
    s->status_sent_at = mh_clock_now();
}

void mh_service_frame(double now_s)
{
    mh_service *s = &g_service;
    if (s->watchdog_s > 0 && (s->watchdog_sent_at < 0 || now_s - s->watchdog_sent_at >= s->watchdog_s)) {
        sd_notify(0, "WATCHDOG=1");
        s->watchdog_sent_at = now_s;
    }
    if (s->status_pending) {
        double now = mh_clock_now();
        if (now - s->status_sent_at >= SERVICE_STATUS_EVERY_S)
            send_status(s, now);
    }
}

void mh_service_status(const char *status)
{
    mh_service *s = &g_service;
    if (!status || !strncmp(s->status, status, sizeof s->status - 1))
        return; /* unchanged */
    snprintf(s->status, sizeof s->status, "%s", status);
    s->status_pending = true;
    double now = mh_clock_now();
    if (now - s->status_sent_at >= SERVICE_STATUS_EVERY_S)
        send_status(s, now);
}

void mh_service_stopping(void)
{
    if (g_service.notify)
        sd_notify(0, "STOPPING=1");
}
