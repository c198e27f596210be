/* fuzz_command.c - libFuzzer target: any bytes as operator command lines
 * (what TCP, UDP, the Unix socket and MQTT hand to mh_commander_exec). The
 * input is split at '\n'; each piece runs through a commander with no engine
 * (parsing, validation, STATUS, QUIT's authorisation). Aborts unless every
 * reply is one line "OK ..." or "ERR <3-digit code> ...". */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control/mh_command.h"

static double fuzz_clock(void) { return 1.0; }

static void fuzz_check_reply(const mh_reply *r)
{
    size_t n = strnlen(r->text, sizeof r->text);
    if (n == sizeof r->text || memchr(r->text, '\n', n) || memchr(r->text, '\r', n) || r->ticket != 0)
        abort();
    bool ok = strncmp(r->text, "OK", 2) == 0 && (r->text[2] == ' ' || r->text[2] == '\0');
    bool err = strncmp(r->text, "ERR ", 4) == 0 && n >= 8 && r->text[4] >= '1' && r->text[4] <= '5' &&
               r->text[5] >= '0' && r->text[5] <= '9' && r->text[6] >= '0' && r->text[6] <= '9' && r->text[7] == ' ';
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
        char *line = malloc(len ? len : 1);   /* exact size: ASan sees any read past it */
        if (!line)
            return 0;
        memcpy(line, p, len);
        mh_reply r;
        memset(&r, 0x55, sizeof r);
        mh_commander_exec(c, line, len, flags, &r);
        fuzz_check_reply(&r);
        free(line);
        p += len + 1;
    }
    return 0;
}
