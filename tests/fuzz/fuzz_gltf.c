/* fuzz_gltf.c - libFuzzer target: any bytes as a .gltf or .glb (no external
 * files). The loader must reject or load, never crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>

#include "asset/mh_gltf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_arena arena = {0};
    mh_gltf_model model;
    mh_gltf_report report;
    mh_gltf_load_memory(data, size, NULL, &arena, &model, &report);
    mh_arena_free(&arena);
    return 0;
}
