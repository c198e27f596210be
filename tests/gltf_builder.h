/* gltf_builder.h - for the glTF tests: a binary buffer built in memory and
 * written into a glTF JSON text as a base64 data URI, and small PNGs as data
 * URIs, so every test file is made by the test itself (header-only). */
#ifndef GLTF_BUILDER_H
#define GLTF_BUILDER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_png.h"

typedef struct gb_bin {
    uint8_t *data;
    size_t size, cap;
} gb_bin;

/* Appends n bytes 4-byte aligned; returns their offset. */
static inline size_t gb_add(gb_bin *b, const void *p, size_t n)
{
    size_t off = (b->size + 3) & ~(size_t)3;
    if (off + n > b->cap) {
        b->cap = (off + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
    }
    memset(b->data + b->size, 0, off - b->size);
    memcpy(b->data + off, p, n);
    b->size = off + n;
    return off;
}

static inline char *gb_base64(const void *data, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *d = data;
    char *o = malloc(n / 3 * 4 + 8), *p = o;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
        *p++ = t[v >> 18 & 63];
        *p++ = t[v >> 12 & 63];
        *p++ = i + 1 < n ? t[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? t[v & 63] : '=';
    }
    *p = '\0';
    return o;
}

/* "data:application/octet-stream;base64,..." of the buffer (free() it). */
static inline char *gb_uri(const gb_bin *b)
{
    char *enc = gb_base64(b->data, b->size), *o = malloc(strlen(enc) + 64);
    sprintf(o, "data:application/octet-stream;base64,%s", enc);
    free(enc);
    return o;
}

/* A w x h PNG of one colour as a data URI (free() it). */
static inline char *gb_png_uri(int w, int h, const uint8_t rgba[4])
{
    uint8_t *px = malloc((size_t)w * h * 4);
    for (int i = 0; i < w * h; i++)
        memcpy(px + 4 * i, rgba, 4);
    uint8_t *png = NULL;
    size_t size = 0;
    mh_error err;
    char *o = NULL;
    if (mh_png_encode(px, w, h, &png, &size, &err)) {
        char *enc = gb_base64(png, size);
        o = malloc(strlen(enc) + 32);
        sprintf(o, "data:image/png;base64,%s", enc);
        free(enc);
    }
    free(png);
    free(px);
    return o;
}

/* printf into a malloc'ed string (free() it). */
static inline char *gb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *gb_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* The issue with this code and pointer, or NULL (prints them all when not found). */
static inline const mh_gltf_issue *gb_issue(const mh_gltf_report *r, const char *code, const char *ptr)
{
    for (int i = 0; i < r->count; i++)
        if (!strcmp(r->issues[i].code, code) && (!ptr || !strcmp(r->issues[i].pointer, ptr)))
            return &r->issues[i];
    for (int i = 0; i < r->count; i++)
        fprintf(stderr, "  issue: %s %s %s: %s\n", r->issues[i].error ? "error" : "warning", r->issues[i].code,
                r->issues[i].pointer, r->issues[i].message);
    return NULL;
}

#endif
