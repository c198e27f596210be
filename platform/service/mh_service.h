/* mh_service.h - living under systemd: readiness, watchdog, journald logs.
 *
 * All calls are no-ops when not started by systemd (no NOTIFY_SOCKET), so
 * the kiosk runs the same from a terminal. */
#ifndef MH_SERVICE_H
#define MH_SERVICE_H

#include <stdbool.h>

/* Reads NOTIFY_SOCKET / WATCHDOG_USEC; when stderr is the journal
 * (JOURNAL_STREAM) switches the log to journald priority prefixes. */
void mh_service_init(void);
/* READY=1 with a STATUS= line, once the first frame is presented. */
void mh_service_ready(const char *status);
/* Once per frame: sends WATCHDOG=1 at half the watchdog interval (only
 * while frames are being produced, so a hung render loop gets restarted). */
void mh_service_frame(double now_s);
/* STATUS= line shown by systemctl status (rate-limited). */
void mh_service_status(const char *status);
/* STOPPING=1 at a clean shutdown. */
void mh_service_stopping(void);

#endif
