// The register-blocked micro-kernel, written once with vector extensions and instantiated per
// instruction set (inside functions carrying the matching target attribute) and per row count.
#pragma once

#include <utility>

#include "gemm.h"
#include "gemm_thin.h"
#include "simd.h"

namespace px {

// R rows of the tile, MR values per step in the A panel, NV vectors of type V per row of B.
// A's values for step p are at ap + p·MR (a packed panel), or, with `step`, at ap + step[p].
template <class T, class V, int R, int MR, int NV>
PX_INLINE void micro_kernel(int64_t kc, const T* PX_RESTRICT ap, const int64_t* PX_RESTRICT step, const T* PX_RESTRICT bp,
                            T* PX_RESTRICT c, int64_t ldc, bool accumulate) {
  constexpr int L = sizeof(V) / sizeof(T);
  constexpr int NR = NV * L;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int i = 0; i < R; i++) {
    // The tile of C is read or written after the loop: its lines are fetched during it.
    __builtin_prefetch(c + i * ldc, 1);
    __builtin_prefetch(c + i * ldc + NR - 1, 1);
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) acc[i][v] = V{};
  }
  for (int64_t p = 0; p < kc; p++) {
    V b[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) b[v] = vload<V>(bp + v * L);
    const T* a = step ? ap + step[p] : ap + p * MR;
#pragma GCC unroll 16
    for (int i = 0; i < R; i++) {
      const T ai = a[i];  // scalar × vector: a broadcast folded into the FMA
#pragma GCC unroll 8
      for (int v = 0; v < NV; v++) acc[i][v] += ai * b[v];
    }
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

// Defines kernel functions `NAME<R>` (packed A) and `NAME##_at<R>` (A in place) for one
// (T, V, MR, NV) under a target attribute. The packed kernel passes a null step, which the
// compiler folds away: the two are separate functions with their own inner loops.
#define PX_DEFINE_KERNELS(NAME, TARGET, T, V, MR, NV)                                                      \
  template <int R>                                                                                        \
  TARGET void NAME(int64_t kc, const T* ap, const T* bp, T* c, int64_t ldc, bool accumulate) {            \
    px::micro_kernel<T, V, R, MR, NV>(kc, ap, nullptr, bp, c, ldc, accumulate);                          \
  }                                                                                                       \
  template <int R>                                                                                        \
  TARGET void NAME##_at(int64_t kc, const T* a, const int64_t* step, const T* bp, T* c, int64_t ldc,      \
                        bool accumulate) {                                                                \
    px::micro_kernel<T, V, R, MR, NV>(kc, a, step, bp, c, ldc, accumulate);                              \
  }

// Everything one instruction set contributes to its GemmConfigs: float32 and float64 micro-kernels
// (MR rows, NV vectors of VF / VD per row of B), the thin-product loops, and `fill_kernels`,
// which stores them in the two configs.
#define PX_DEFINE_GEMM_ISA(TARGET, VF, VD, MR, NV)                                     \
  PX_DEFINE_KERNELS(k_f32, TARGET, float, VF, MR, NV)                                 \
  PX_DEFINE_KERNELS(k_f64, TARGET, double, VD, MR, NV)                                \
  PX_DEFINE_THIN(t_f32, TARGET, float, VF)                                            \
  PX_DEFINE_THIN(t_f64, TARGET, double, VD)                                           \
  template <int... R>                                                                 \
  void fill_kernels(GemmConfig<float>* f, GemmConfig<double>* d, std::integer_sequence<int, R...>) { \
    ((f->kernel[R + 1] = k_f32<R + 1>), ...);                                         \
    ((d->kernel[R + 1] = k_f64<R + 1>), ...);                                         \
    ((f->kernel_at[R + 1] = k_f32_at<R + 1>), ...);                                   \
    ((d->kernel_at[R + 1] = k_f64_at<R + 1>), ...);                                   \
    f->thin_dot = t_f32_dot;                                                          \
    f->thin_axpy = t_f32_axpy;                                                        \
    d->thin_dot = t_f64_dot;                                                          \
    d->thin_axpy = t_f64_axpy;                                                        \
  }
