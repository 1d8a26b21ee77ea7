// Products with a thin side: a handful of output columns (a layer with one or two outputs), a
// handful of rows, or a handful of steps of k (an outer product). The packed GEMM rounds a thin
// side up to a whole register tile, 32 columns for 1 with AVX-512, and packs the wide operand for
// nothing; these loops read both operands once, in place. Written once with vector extensions and
// instantiated per instruction set like the micro-kernels (gemm_avx512.cc, gemm_avx2.cc, gemm.cc).
#pragma once

#include "gemm.h"
#include "simd.h"

namespace px {

// Up to this many columns (dot) or rows / steps (axpy) count as thin.
constexpr int THIN = 16;

// C[i, j] (at c[i·crs + j·ccs]) = (accumulate ? C : 0) + dot(A row i, Bᵀ row j) for rows
// [i0, i1) and j < n <= THIN: A's rows contiguous (lda apart), Bᵀ's rows contiguous (ldbt apart).
// The n dot products of a row run side by side, each in its own vector accumulator.
template <class T, class V>
PX_INLINE void thin_dot(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* a, int64_t lda, const T* bt, int64_t ldbt,
                        T* c, int64_t crs, int64_t ccs, bool accumulate) {
  constexpr int L = sizeof(V) / sizeof(T);
  for (int64_t i = i0; i < i1; i++) {
    const T* ar = a + i * lda;
    V part[THIN];
    for (int j = 0; j < THIN; j++) part[j] = V{};
    int64_t p = 0;
    for (; p + L <= k; p += L) {
      const V va = vload<V>(ar + p);
      for (int64_t j = 0; j < n; j++) part[j] += va * vload<V>(bt + j * ldbt + p);
    }
    for (int64_t j = 0; j < n; j++) {
      T s = 0;
      for (int l = 0; l < L; l++) s += part[j][l];
      for (int64_t q = p; q < k; q++) s += ar[q] * bt[j * ldbt + q];
      T* cp = c + i * crs + j * ccs;
      *cp = accumulate ? *cp + s : s;
    }
  }
}

// C[i, :] (at c[i·crs + j·ccs]) = (accumulate ? C : 0) + Σ_p A[i, p]·B[p, :] for rows [i0, i1):
// B's rows contiguous (ldb apart), each step one scaled row of B added up. Columns go in blocks
// of eight vectors held in registers; the last few through a row of `scratch` (n values).
template <class T, class V>
PX_INLINE void thin_axpy(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* a, int64_t ars, int64_t acs, const T* b,
                         int64_t ldb, T* c, int64_t crs, int64_t ccs, bool accumulate, T* scratch) {
  constexpr int L = sizeof(V) / sizeof(T);
  constexpr int NV = 8;
  for (int64_t i = i0; i < i1; i++) {
    T* crow = c + i * crs;
    int64_t j0 = 0;
    for (; j0 + NV * L <= n; j0 += NV * L) {
      V acc[NV];
      for (int v = 0; v < NV; v++) acc[v] = V{};
      for (int64_t p = 0; p < k; p++) {
        const T s = a[i * ars + p * acs];
        const T* br = b + p * ldb + j0;
        for (int v = 0; v < NV; v++) acc[v] += s * vload<V>(br + v * L);
      }
      for (int v = 0; v < NV; v++)
        for (int l = 0; l < L; l++) {
          T* cp = crow + (j0 + v * L + l) * ccs;
          *cp = accumulate ? *cp + acc[v][l] : acc[v][l];
        }
    }
    if (j0 == n) continue;
    T* row = scratch;
    for (int64_t j = j0; j < n; j++) row[j - j0] = 0;
    for (int64_t p = 0; p < k; p++) {
      const T s = a[i * ars + p * acs];
      const T* br = b + p * ldb;
      for (int64_t j = j0; j < n; j++) row[j - j0] += s * br[j];
    }
    for (int64_t j = j0; j < n; j++) {
      T* cp = crow + j * ccs;
      *cp = accumulate ? *cp + row[j - j0] : row[j - j0];
    }
  }
}

}  // namespace px

// Defines `NAME_dot` / `NAME_axpy` for one (T, V) under a target attribute, matching GemmConfig's
// ThinDot / ThinAxpy.
#define PX_DEFINE_THIN(NAME, TARGET, T, V)                                                                        \
  TARGET void NAME##_dot(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* a, int64_t lda, const T* bt,      \
                         int64_t ldbt, T* c, int64_t crs, int64_t ccs, bool acc) {                                \
    px::thin_dot<T, V>(i0, i1, n, k, a, lda, bt, ldbt, c, crs, ccs, acc);                                        \
  }                                                                                                              \
  TARGET void NAME##_axpy(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* a, int64_t ars, int64_t acs,     \
                          const T* b, int64_t ldb, T* c, int64_t crs, int64_t ccs, bool acc, T* scratch) {        \
    px::thin_axpy<T, V>(i0, i1, n, k, a, ars, acs, b, ldb, c, crs, ccs, acc, scratch);                           \
  }
