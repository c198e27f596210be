/* fuzz_png.c - libFuzzer target: any bytes as a PNG. */
#include <stddef.h>
#include <stdint.h>

#include "asset/mh_png.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_image img;
    mh_error err;
    if (mh_png_decode(data, size, "fuzz.png", &img, &err))
        mh_image_free(&img);
    return 0;
}
