// General matrix multiply C = A·B (or C += A·B) for float32 and float64, in the style of
// BLIS/GotoBLAS: B is packed into NR-wide column panels (KC×NC, L2-resident), A into MR-tall row
// panels (MC×KC), and a register-blocked micro-kernel computes one MR×NR tile of C with SIMD FMAs.
// A and B are read through arbitrary strides, so a transposed view (what autograd's matmul rule
// passes) is packed directly: no transpose copy is ever made.
#pragma once

#include <cstdint>

#include "common.h"

namespace px {

// A micro-kernel: C[0..R, 0..NR) (row stride ldc) = (accumulate ? C : 0) + Ap·Bp over kc steps,
// where Ap holds MR values per step (R of them used) and Bp NR values per step.
template <class T>
using MicroKernel = void (*)(int64_t kc, const T* ap, const T* bp, T* c, int64_t ldc, bool accumulate);

// The same reading A in place: step p's R values at a[step[p]], ..., a[step[p] + R − 1] (a run of
// pixels of a convolution's padded image, seen from kernel tap p), so that panel is never packed.
template <class T>
using MicroKernelAt = void (*)(int64_t kc, const T* a, const int64_t* step, const T* bp, T* c, int64_t ldc, bool accumulate);

// The thin-product loops of gemm_thin.h.
template <class T>
using ThinDot = void (*)(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* a, int64_t lda, const T* bt, int64_t ldbt,
                         T* c, int64_t crs, int64_t ccs, bool accumulate);
template <class T>
using ThinAxpy = void (*)(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* a, int64_t ars, int64_t acs, const T* b,
                          int64_t ldb, T* c, int64_t crs, int64_t ccs, bool accumulate, T* scratch);

template <class T>
struct GemmConfig {
  int mr, nr;       // register tile
  int64_t kc, mc, nc;  // cache blocks (mc a multiple of mr, nc of nr)
  MicroKernel<T> kernel[17];  // kernel[r] computes r rows, 1 <= r <= mr
  MicroKernelAt<T> kernel_at[17];
  ThinDot<T> thin_dot;
  ThinAxpy<T> thin_axpy;
};

// The configuration for the current instruction set (gemm_avx512.cc, gemm_avx2.cc, gemm.cc).
bool gemm_config_avx512(GemmConfig<float>* f, GemmConfig<double>* d);
bool gemm_config_avx2(GemmConfig<float>* f, GemmConfig<double>* d);
void gemm_config_portable(GemmConfig<float>* f, GemmConfig<double>* d);

// A strided matrix operand: element (i, j) at p[i*rs + j*cs]; with offset tables, roff[i] and
// coff[j] replace i*rs and j*cs. That is how a stride-1 convolution reads its input without an
// im2col copy: element (pixel q, kernel tap k) of its patch matrix is the padded image at
// pixel_offset[q] + tap_offset[k] (conv_stride1.cc).
template <class T>
struct MatRef {
  const T* p;
  int64_t rs, cs;
  const int64_t* roff = nullptr;
  const int64_t* coff = nullptr;
};

// C (dense rows, row stride ldc) = A[m,k]·B[k,n], or C += A·B when accumulate, on up to nt threads.
template <class T>
void gemm(int64_t m, int64_t n, int64_t k, MatRef<T> a, MatRef<T> b, T* c, int64_t ldc, bool accumulate, int nt);

// dst[k·W + r] = src[r·ld + k] for r < R, k < K: a transposing copy of R rows contiguous along k,
// `ld` apart (8×8 blocks in AVX registers for float32 where the machine has them).
template <class T>
void transpose_pack_ld(const T* src, int64_t ld, int64_t R, int64_t K, int64_t W, T* dst);

// Multiply-adds below which a product runs single-threaded.
constexpr int64_t GEMM_PARALLEL_MIN = 64 * 64 * 64;
// Products with at most SPLIT_K_MAX_C elements of C and at least SPLIT_K_MIN steps of k are
// computed as SPLIT_K_PARTS products over ranges of k, added up (gemm.cc, gemm_split_k).
constexpr int64_t SPLIT_K_MIN = 1024;
constexpr int64_t SPLIT_K_MAX_C = 128 * 128;
constexpr int64_t SPLIT_K_PARTS = 4;

}  // namespace px
