// mh_draco.cpp - the only C++ in metahall: libdraco's decoder behind the C
// interface of mh_draco.h. No exceptions cross it (libdraco reports through
// Status values).
#include "mh_draco.h"

#include <cstdio>
#include <cstring>
#include <memory>

#include "draco/compression/decode.h"

struct mh_draco_mesh {
    std::unique_ptr<draco::Mesh> mesh;
};

extern "C" mh_draco_mesh *mh_draco_decode(const void *data, size_t size, char *err, size_t err_size)
{
    draco::DecoderBuffer buffer;
    buffer.Init(static_cast<const char *>(data), size);
    auto type = draco::Decoder::GetEncodedGeometryType(&buffer);
    if (!type.ok() || type.value() != draco::TRIANGULAR_MESH) {
        std::snprintf(err, err_size, "the Draco data is not a triangle mesh");
        return nullptr;
    }
    draco::Decoder decoder;
    auto result = decoder.DecodeMeshFromBuffer(&buffer);
    if (!result.ok()) {
        std::snprintf(err, err_size, "the Draco data does not decode");
        return nullptr;
    }
    auto *m = new (std::nothrow) mh_draco_mesh;
    if (!m) {
        std::snprintf(err, err_size, "out of memory");
        return nullptr;
    }
    m->mesh = std::move(result).value();
    return m;
}

extern "C" void mh_draco_free(mh_draco_mesh *m) { delete m; }

extern "C" uint32_t mh_draco_point_count(const mh_draco_mesh *m) { return m->mesh->num_points(); }

extern "C" uint32_t mh_draco_face_count(const mh_draco_mesh *m) { return m->mesh->num_faces(); }

extern "C" void mh_draco_indices(const mh_draco_mesh *m, uint32_t *out)
{
    for (draco::FaceIndex f(0); f < m->mesh->num_faces(); ++f) {
        const auto &face = m->mesh->face(f);
        for (int k = 0; k < 3; k++)
            *out++ = face[k].value();
    }
}

extern "C" int mh_draco_attribute_comps(const mh_draco_mesh *m, uint32_t unique_id)
{
    const draco::PointAttribute *a = m->mesh->GetAttributeByUniqueId(unique_id);
    return a ? a->num_components() : 0;
}

template <typename T>
static bool convert(const draco::PointAttribute *a, uint32_t points, int comps, void *out)
{
    T *o = static_cast<T *>(out);
    for (draco::PointIndex p(0); p < points; ++p)
        if (!a->ConvertValue<T>(a->mapped_index(p), static_cast<int8_t>(comps), o + static_cast<size_t>(p.value()) * comps))
            return false;
    return true;
}

extern "C" bool mh_draco_attribute(const mh_draco_mesh *m, uint32_t unique_id, int gl_type, int comps, void *out)
{
    const draco::PointAttribute *a = m->mesh->GetAttributeByUniqueId(unique_id);
    if (!a || comps < 1 || comps > 4)
        return false;
    uint32_t n = m->mesh->num_points();
    switch (gl_type) {
    case 5120: return convert<int8_t>(a, n, comps, out);
    case 5121: return convert<uint8_t>(a, n, comps, out);
    case 5122: return convert<int16_t>(a, n, comps, out);
    case 5123: return convert<uint16_t>(a, n, comps, out);
    case 5125: return convert<uint32_t>(a, n, comps, out);
    case 5126: return convert<float>(a, n, comps, out);
    default: return false;
    }
}
