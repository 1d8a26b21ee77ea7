// The register-blocked micro-kernel, written once with vector extensions and instantiated per
// instruction set (inside functions carrying the matching target attribute) and per row count.
#pragma once

#include "gemm.h"
#include "simd.h"

namespace px {

// R rows of the tile, MR values per step in the A panel, NV vectors of type V per row of B.
template <class T, class V, int R, int MR, int NV>
PX_INLINE void micro_kernel(int64_t kc, const T* PX_RESTRICT ap, const T* PX_RESTRICT bp, T* PX_RESTRICT c,
                            int64_t ldc, bool accumulate) {
  constexpr int L = sizeof(V) / sizeof(T);
  constexpr int NR = NV * L;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int i = 0; i < R; i++)
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) acc[i][v] = V{};
  for (int64_t p = 0; p < kc; p++) {
    V b[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) b[v] = vload<V>(bp + v * L);
#pragma GCC unroll 16
    for (int i = 0; i < R; i++) {
      const T a = ap[i];  // scalar × vector: a broadcast folded into the FMA
#pragma GCC unroll 8
      for (int v = 0; v < NV; v++) acc[i][v] += a * b[v];
    }
    ap += MR;
    bp += NR;
  }
#pragma GCC unroll 16
  for (int i = 0; i < R; i++) {
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) {
      T* cp = c + i * ldc + v * L;
      V r = acc[i][v];
      if (accumulate) r += vload<V>(cp);
      vstore(cp, r);
    }
  }
}

}  // namespace px

// Defines kernel functions `prefix_r<R>` for one (T, V, MR, NV) under a target attribute, and a
// function filling GemmConfig::kernel with them.
#define PX_DEFINE_KERNELS(NAME, TARGET, T, V, MR, NV)                                                      \
  template <int R>                                                                                        \
  TARGET void NAME(int64_t kc, const T* ap, const T* bp, T* c, int64_t ldc, bool accumulate) {            \
    px::micro_kernel<T, V, R, MR, NV>(kc, ap, bp, c, ldc, accumulate);                                   \
  }
