/* fuzz_command.c - libFuzzer target: any bytes as operator command lines
 * (what TCP, UDP, the Unix socket and MQTT hand to mh_commander_exec). The
 * input is split at '\n'; each piece runs through a commander with no engine
 * (parsing, validation, STATUS, QUIT's authorisation). Aborts unless every
 * reply is one line "OK ..." or "ERR <3-digit code> ...", after the
 * request's "#ID " when it had one. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control/mh_command.h"

static double fuzz_clock(void) { return 1.0; }

static void fuzz_check_reply(const mh_reply *r)
{
    const char *t = mh_reply_line(r);
    size_t n = r->line ? strlen(t) : strnlen(t, sizeof r->text);
    if (n == sizeof r->text || memchr(t, '\n', n) || memchr(t, '\r', n) || r->ticket != 0)
        abort();
    if (r->id[0]) { /* "#ID " first */
        size_t id = strlen(r->id);
        if (t[0] != '#' || strncmp(t + 1, r->id, id) != 0 || t[id + 1] != ' ')
            abort();
        t += id + 2;
        n -= id + 2;
    }
    bool ok = strncmp(t, "OK", 2) == 0 && (t[2] == ' ' || t[2] == '\0');
    bool err = strncmp(t, "ERR ", 4) == 0 && n >= 8 && t[4] >= '1' && t[4] <= '5' && t[5] >= '0' && t[5] <= '9' &&
               t[6] >= '0' && t[6] <= '9' && t[7] == ' ';
    if (!ok && !err)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mh_commander *c;
    if (!c)
        c = mh_commander_create(&(mh_commander_desc){.kiosk_id = "fuzz", .hall_name = "fuzz", .now = fuzz_clock});
    unsigned flags = size && (data[0] & 1) ? MH_CMD_AUTHED : 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        char *line = malloc(len ? len : 1); /* exact size: ASan sees any read past it */
        if (!line)
            return 0;
        memcpy(line, p, len);
        mh_reply r;
        memset(&r, 0x55, sizeof r);
        mh_commander_exec(c, line, len, flags, &r);
        fuzz_check_reply(&r);
        mh_reply_release(&r);
        free(line);
        p += len + 1;
    }
    return 0;
}
