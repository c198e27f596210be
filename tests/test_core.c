/* test_core.c - arenas, UTF-8 decoding, PNG round trip and bad PNGs, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <jpeglib.h>

#include "asset/mh_jpeg.h"
#include "asset/mh_png.h"
#include "core/mh_arena.h"
#include "core/mh_error.h"
#include "mh_test.h"
#include "text/mh_text.h"

static void test_arena(void)
{
    mh_arena a = {.block_size = 1024};
    char *p = mh_arena_alloc(&a, 100);
    CHECK(p && ((uintptr_t)p & 15) == 0);
    CHECK(p[0] == 0 && p[99] == 0);
    for (int i = 0; i < 100; i++)
        CHECK(mh_arena_alloc(&a, 100) != NULL); /* spills into new blocks */
    size_t peak = a.peak_total;
    CHECK(peak >= 101 * 100);
    mh_arena_reset(&a);
    CHECK(a.used_total == 0);
    /* after reset one block holds the peak: the same work allocates nothing new */
    void *first = mh_arena_alloc(&a, 100);
    for (int i = 0; i < 100; i++)
        mh_arena_alloc(&a, 100);
    CHECK(first != NULL);
    CHECK(mh_arena_block_count(&a) == 1);
    CHECK(mh_arena_alloc(&a, (size_t)-1) == NULL); /* overflow is refused, not wrapped */
    CHECK(strcmp(mh_arena_strdup(&a, "展厅"), "展厅") == 0);
    mh_arena_free(&a);
    CHECK(a.head == NULL);
}

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* Under ASan the arena poisons what it has not handed out, so a write one
 * byte past an allocation inside a block is caught (issue 15's fuzzer gap). */
static void test_arena_poison(void)
{
    mh_arena a = {0};
    char *p = mh_arena_alloc(&a, 10), *q = mh_arena_alloc(&a, 32);
    CHECK(!__asan_address_is_poisoned(p) && !__asan_address_is_poisoned(p + 9));
    CHECK(__asan_address_is_poisoned(p + 10));   /* the alignment padding */
    CHECK(__asan_address_is_poisoned(q + 32));   /* the redzone before the next one */
    CHECK(__asan_address_is_poisoned(q + 1000)); /* the unused rest of the block */
    mh_arena_reset(&a);
    CHECK(__asan_address_is_poisoned(p));
    mh_arena_free(&a);
}
#else
static void test_arena_poison(void) {}
#endif

static void test_utf8(void)
{
    const char *s = "A展\xF0\x9F\x98\x80";
    CHECK(mh_utf8_next(&s) == 'A');
    CHECK(mh_utf8_next(&s) == 0x5C55);
    CHECK(mh_utf8_next(&s) == 0x1F600);
    CHECK(*s == '\0');
    const char *bad = "\xC0\xAF"
                      "x\xED\xA0\x80"
                      "\xE5\xB1"; /* overlong, surrogate, truncated */
    int n = 0, replaced = 0;
    while (*bad) {
        uint32_t c = mh_utf8_next(&bad);
        replaced += c == 0xFFFD;
        n++;
    }
    CHECK(replaced >= 4);
    CHECK(n < 20);
}

static void test_png(void)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/mh_test_png_%d.png", (int)getpid());
    uint8_t px[4 * 3 * 2];
    for (int i = 0; i < 24; i++)
        px[i] = (uint8_t)(i * 10);
    mh_error err;
    CHECK(mh_png_write(path, px, 3, 2, &err));
    mh_image img;
    CHECK(mh_png_load(path, &img, &err));
    CHECK(img.width == 3 && img.height == 2);
    CHECK(img.rgba && memcmp(img.rgba, px, sizeof px) == 0);
    mh_image_free(&img);
    /* a truncated file is a clear error, not a crash */
    FILE *f = fopen(path, "rb");
    uint8_t buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CHECK(!mh_png_decode(buf, n / 2, "half.png", &img, &err));
    CHECK(strcmp(err.file, "half.png") == 0);
    CHECK_STR_CONTAINS(err.message, "PNG");
    /* a chunk longer than the file is refused before libpng allocates it
     * (the fuzzer's 158-byte file claiming a 1.9 GB tEXt chunk) */
    uint8_t big[64];
    memcpy(big, buf, 33); /* signature + IHDR */
    memcpy(big + 33, "\x75\xa4\x00\x00tEXtabcdefghijklmnop", 24);
    CHECK(!mh_png_decode(big, 57, "big.png", &img, &err));
    CHECK(strcmp(err.where, "byte 33") == 0);
    CHECK_STR_CONTAINS(err.message, "chunk tEXt claims 1973682176 bytes but the file has 16 left");
    CHECK(!mh_png_decode("GIF89a....", 10, "x.gif", &img, &err));
    CHECK_STR_CONTAINS(err.message, "not a PNG");
    CHECK(!mh_png_load("/nonexistent.png", &img, &err));
    CHECK_STR_CONTAINS(err.message, "cannot open");
    remove(path);
}

static void test_jpeg(void)
{
    /* encode a 16x8 image, left half red, right half blue, with libjpeg itself */
    uint8_t rgb[16 * 8 * 3];
    for (int i = 0; i < 16 * 8; i++) {
        bool left = (i % 16) < 8;
        rgb[i * 3] = left ? 230 : 10;
        rgb[i * 3 + 1] = 10;
        rgb[i * 3 + 2] = left ? 10 : 230;
    }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *buf = NULL;
    unsigned long size = 0;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = 16;
    c.image_height = 8;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < 8) {
        JSAMPROW row = rgb + c.next_scanline * 16 * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    mh_image img;
    mh_error err;
    CHECK(mh_jpeg_decode(buf, size, "t.jpg", &img, &err));
    CHECK(img.width == 16 && img.height == 8);
    CHECK(img.rgba && img.rgba[0] > 180 && img.rgba[2] < 60 && img.rgba[3] == 255); /* red, opaque */
    CHECK(img.rgba && img.rgba[15 * 4 + 2] > 180 && img.rgba[15 * 4] < 60);         /* blue */
    mh_image_free(&img);
    CHECK(!mh_jpeg_decode(buf, size / 3, "cut.jpg", &img, &err));
    CHECK(strcmp(err.file, "cut.jpg") == 0);
    CHECK_STR_CONTAINS(err.message, "corrupt JPEG");
    CHECK(!mh_jpeg_decode("not a jpeg", 10, "x.jpg", &img, &err));
    free(buf);
}

static void test_error_text(void)
{
    mh_error e;
    CHECK(!mh_fail(&e, "hall.json", "/booths/3", "expected %s", "a number"));
    char t[256];
    CHECK(strcmp(mh_error_text(&e, t, sizeof t), "hall.json: /booths/3: expected a number") == 0);
    CHECK(!mh_fail(&e, "", "", "plain"));
    CHECK(strcmp(mh_error_text(&e, t, sizeof t), "plain") == 0);
    CHECK(!mh_fail(NULL, "a", "b", "c"));
}

int main(void)
{
    test_arena();
    test_arena_poison();
    test_utf8();
    test_png();
    test_jpeg();
    test_error_text();
    return mh_test_done("test_core");
}
