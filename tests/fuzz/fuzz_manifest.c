/* fuzz_manifest.c - libFuzzer target: any bytes as hall.json and as
 * exhibit.json. Exhibits named by a fuzzed hall are looked up under a folder
 * that does not exist, so only the manifest parsers run. */
#include <stddef.h>
#include <stdint.h>

#include "asset/mh_hall_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_arena arena = {0};
    mh_hall_desc hall;
    mh_exhibit_desc exhibit;
    mh_error err;
    mh_hall_parse((const char *)data, size, "/nonexistent/fuzz/hall", &arena, &hall, &err);
    mh_arena_free(&arena);
    mh_exhibit_parse((const char *)data, size, "fuzz/exhibit.json", NULL, &arena, &exhibit, &err);
    mh_arena_free(&arena);
    return 0;
}
