/* mh_config.c - reads the kiosk's INI-style configuration file line by line
 * and hands each "key = value" to the caller (mh_options.c applies them as if
 * they were command-line options). */
#include "mh_config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define LINE_MAX_BYTES 1024

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* A value may be quoted ("a b" or 'a b') to keep spaces or a '#'. */
static bool unquote(char *v, const char *path, int line, mh_error *err)
{
    size_t n = strlen(v);
    if (n == 0 || (v[0] != '"' && v[0] != '\''))
        return true;
    if (n < 2 || v[n - 1] != v[0]) {
        char where[32];
        snprintf(where, sizeof where, "line %d", line);
        return mh_fail(err, path, where, "the value's closing quote %c is missing", v[0]);
    }
    memmove(v, v + 1, n - 2);
    v[n - 2] = '\0';
    return true;
}

/* Strips a comment that starts with " #" or " ;" outside quotes. */
static void strip_comment(char *s)
{
    char quote = 0;
    for (char *p = s; *p; p++) {
        if (quote) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if ((*p == '#' || *p == ';') && (p == s || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            return;
        }
    }
}

static bool parse_line(char *raw, const char *path, int line, mh_config_fn fn, void *user, mh_error *err)
{
    char where[32];
    snprintf(where, sizeof where, "line %d", line);
    strip_comment(raw);
    char *s = trim(raw);
    if (!*s)
        return true;
    if (*s == '[') {
        if (strcmp(s, "[metahall]") == 0)
            return true;
        return mh_fail(err, path, where, "unknown section %.60s (the only section is [metahall])", s);
    }
    char *eq = strchr(s, '=');
    if (!eq)
        return mh_fail(err, path, where, "expected \"key = value\", got \"%.60s\"", s);
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    if (!*key)
        return mh_fail(err, path, where, "a setting has no key before '='");
    for (const char *k = key; *k; k++)
        if (!islower((unsigned char)*k) && !isdigit((unsigned char)*k) && *k != '-' && *k != '_')
            return mh_fail(err, path, where, "\"%.60s\" is not a key (lower-case letters, digits and -)", key);
    if (!unquote(value, path, line, err))
        return false;
    for (char *k = key; *k; k++)
        if (*k == '_')
            *k = '-'; /* kiosk_id and kiosk-id are the same key */
    return fn(user, key, value, line, err);
}

bool mh_config_load(const char *path, mh_config_fn fn, void *user, mh_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return mh_fail(err, path, "", "cannot open the configuration file");
    char buf[LINE_MAX_BYTES + 2];
    int line = 0;
    bool ok = true;
    while (ok && fgets(buf, sizeof buf, f)) {
        line++;
        size_t n = strlen(buf);
        if (n == sizeof buf - 1 && buf[n - 1] != '\n' && !feof(f)) {
            char where[32];
            snprintf(where, sizeof where, "line %d", line);
            ok = mh_fail(err, path, where, "line longer than %d bytes", LINE_MAX_BYTES);
            break;
        }
        ok = ok && parse_line(buf, path, line, fn, user, err);
    }
    if (ok && ferror(f))
        ok = mh_fail(err, path, "", "read error");
    fclose(f);
    return ok;
}
