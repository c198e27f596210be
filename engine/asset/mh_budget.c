/* mh_budget.c - budget defaults, names and ceilings. */
#include "mh_budget.h"

#include <stddef.h>

typedef struct budget_field {
    const char *name;
    size_t offset;
    uint32_t def, ceiling;
} budget_field;

static const budget_field FIELDS[MH_BUDGET_FIELDS] = {
    {"json_bytes", offsetof(mh_budget, json_bytes), 16u << 20, 256u << 20},
    {"json_values", offsetof(mh_budget, json_values), 500000, 20000000},
    {"file_bytes", offsetof(mh_budget, file_bytes), 256u << 20, 2047u << 20},
    {"vertices", offsetof(mh_budget, vertices), 1000000, 50000000},
    {"indices", offsetof(mh_budget, indices), 3000000, 150000000},
    {"triangles", offsetof(mh_budget, triangles), 1000000, 50000000},
    {"image_pixels", offsetof(mh_budget, image_pixels), 4096u * 4096u, 8192u * 8192u},
    {"texture_pixels", offsetof(mh_budget, texture_pixels), 32u << 20, 512u << 20},
    {"texture_size", offsetof(mh_budget, texture_size), 2048, 8192},
    {"hall_vertices", offsetof(mh_budget, hall_vertices), 4000000, 200000000},
    {"hall_triangles", offsetof(mh_budget, hall_triangles), 4000000, 200000000},
    {"shapes", offsetof(mh_budget, shapes), 4096, 65536},
    {"warn_triangles", offsetof(mh_budget, warn_triangles), 100000, 50000000},
    {"warn_texture_bytes", offsetof(mh_budget, warn_texture_bytes), 24u << 20, 2047u << 20},
    {"warn_draw_calls", offsetof(mh_budget, warn_draw_calls), 32, 1000000},
};

static const budget_field *find(const mh_budget *b, const uint32_t *field)
{
    size_t off = (size_t)((const char *)field - (const char *)b);
    for (int i = 0; i < MH_BUDGET_FIELDS; i++)
        if (FIELDS[i].offset == off)
            return &FIELDS[i];
    return NULL;
}

mh_budget mh_budget_defaults(mh_budget b)
{
    for (int i = 0; i < MH_BUDGET_FIELDS; i++) {
        uint32_t *v = (uint32_t *)((char *)&b + FIELDS[i].offset);
        if (*v == 0)
            *v = FIELDS[i].def;
    }
    return b;
}

const char *mh_budget_name(const mh_budget *b, const uint32_t *field)
{
    const budget_field *f = find(b, field);
    return f ? f->name : NULL;
}

uint32_t *mh_budget_field(mh_budget *b, int i, const char **out_name, uint32_t *out_ceiling)
{
    *out_name = FIELDS[i].name;
    *out_ceiling = FIELDS[i].ceiling;
    return (uint32_t *)((char *)b + FIELDS[i].offset);
}
