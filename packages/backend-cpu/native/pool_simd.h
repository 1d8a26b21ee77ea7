// Vector kernels for the 2×2 / stride-2 / unpadded float32 max pooling (pool_avx512.cc). Each
// works on one [2·oH, W] plane (W >= 2·oW); callers pick them when g_isa is Avx512.
#pragma once

#include <cstdint>

#include "common.h"

namespace px {

#if PX_X86
void max_pool_2x2_avx512(const float* x, float* o, int64_t oH, int64_t oW, int64_t W);
// dx's rows 0..2·oH (columns 0..2·oW) from x and the output gradient g; the caller zeroes the rest.
void max_pool_2x2_backward_avx512(const float* x, const float* g, float* dx, int64_t oH, int64_t oW, int64_t W);
#endif

}  // namespace px
