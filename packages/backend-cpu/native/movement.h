// Dense copies of strided views (used wherever a kernel needs its input laid out densely).
#pragma once

#include "common.h"
#include "handle.h"

namespace px {

// Writes the values of view `src` densely (row-major) into dst. Multithreaded for large views.
void copy_to_dense(const Handle* src, void* dst);
// Copies `rank`-d elements of `elem` bytes between strided layouts (strides in elements).
void copy_strided(void* dst, const int64_t* dst_strides, const void* src, const int64_t* src_strides, int rank,
                  const int64_t* shape, size_t elem);
// src itself when dense, else a fresh dense copy (the caller owns the returned handle only when
// *owned is set).
const Handle* dense_input(Context* ctx, const Handle* src, bool* owned, const char* op);

}  // namespace px
