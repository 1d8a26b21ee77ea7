// The GEMM driver: cache blocking, packing, and the split of C between threads. The micro-kernels
// live in gemm_avx512.cc, gemm_avx2.cc and (portable, also NEON on aarch64) here.
#include "gemm.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "alloc.h"
#include "gemm_kernel.h"
#include "threadpool.h"

#if PX_X86
#include <immintrin.h>
#endif

namespace px {
namespace {

// dst[k·W + r] = rows[r][k] for r < R, k < K: the transposing copy both packings need when the
// source rows are contiguous along k (row-major A, a transposed B, a convolution's patch rows).
// 8×8 blocks go through AVX registers; edges are copied element by element.
#if PX_X86
PX_TARGET_AVX2 void transpose_pack_avx2(const float* const* src, int R, int64_t K, int64_t W, float* dst) {
  int64_t k0 = 0;
  for (; k0 + 8 <= K; k0 += 8) {
    for (int r0 = 0; r0 < R; r0 += 8) {
      const int rows = R - r0 < 8 ? R - r0 : 8;
      __m256 v[8];
      for (int i = 0; i < 8; i++) v[i] = i < rows ? _mm256_loadu_ps(src[r0 + i] + k0) : _mm256_setzero_ps();
      // 8×8 transpose: unpack pairs, then 64-bit pairs, then 128-bit halves.
      __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
      __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
      __m256 t4 = _mm256_unpacklo_ps(v[4], v[5]), t5 = _mm256_unpackhi_ps(v[4], v[5]);
      __m256 t6 = _mm256_unpacklo_ps(v[6], v[7]), t7 = _mm256_unpackhi_ps(v[6], v[7]);
      __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
      __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
      __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
      __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
      __m256 o[8];
      o[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
      o[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
      o[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
      o[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
      o[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
      o[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
      o[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
      o[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
      if (rows == 8) {
        for (int j = 0; j < 8; j++) _mm256_storeu_ps(dst + (k0 + j) * W + r0, o[j]);
      } else {
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(rows), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        for (int j = 0; j < 8; j++) _mm256_maskstore_ps(dst + (k0 + j) * W + r0, mask, o[j]);
      }
    }
  }
  for (; k0 < K; k0++)
    for (int r = 0; r < R; r++) dst[k0 * W + r] = src[r][k0];
}
#endif

template <class T>
void transpose_pack(const T* const* src, int R, int64_t K, int64_t W, T* dst) {
#if PX_X86
  if (sizeof(T) == 4 && (g_isa == Isa::Avx2 || g_isa == Isa::Avx512)) {
    transpose_pack_avx2(reinterpret_cast<const float* const*>(src), R, K, W, reinterpret_cast<float*>(dst));
    return;
  }
#endif
  for (int r = 0; r < R; r++) {
    const T* s = src[r];
    for (int64_t k = 0; k < K; k++) dst[k * W + r] = s[k];
  }
}

}  // namespace

template <class T>
void transpose_pack_ld(const T* src, int64_t ld, int64_t R, int64_t K, int64_t W, T* dst) {
  const T* rows[32];
  for (int64_t r0 = 0; r0 < R; r0 += 32) {
    const int n = static_cast<int>(std::min<int64_t>(32, R - r0));
    for (int i = 0; i < n; i++) rows[i] = src + (r0 + i) * ld;
    transpose_pack(rows, n, K, W, dst + r0);
  }
}

template void transpose_pack_ld<float>(const float*, int64_t, int64_t, int64_t, int64_t, float*);
template void transpose_pack_ld<double>(const double*, int64_t, int64_t, int64_t, int64_t, double*);

namespace {

#if defined(__aarch64__)
// NEON has 32 128-bit registers: an 8×12 float tile (24 accumulators) and 8×6 for double.
constexpr int P_MR = 8, P_NV = 3;
#else
// SSE2 has 16: a 4×8 float tile (8 accumulators).
constexpr int P_MR = 4, P_NV = 2;
#endif

PX_DEFINE_GEMM_ISA(, v4sf, v2df, P_MR, P_NV)

struct Configs {
  GemmConfig<float> f32[3];
  GemmConfig<double> f64[3];
  bool have[3];
  Configs() {
    gemm_config_portable(&f32[0], &f64[0]);
    have[0] = true;
    have[1] = gemm_config_avx2(&f32[1], &f64[1]);
    have[2] = gemm_config_avx512(&f32[2], &f64[2]);
  }
};

const Configs& configs() {
  static const Configs c;
  return c;
}

template <class T>
const GemmConfig<T>& config_for_isa();
template <>
const GemmConfig<float>& config_for_isa<float>() {
  const Configs& c = configs();
  int i = g_isa == Isa::Avx512 && c.have[2] ? 2 : (g_isa == Isa::Avx512 || g_isa == Isa::Avx2) && c.have[1] ? 1 : 0;
  return c.f32[i];
}
template <>
const GemmConfig<double>& config_for_isa<double>() {
  const Configs& c = configs();
  int i = g_isa == Isa::Avx512 && c.have[2] ? 2 : (g_isa == Isa::Avx512 || g_isa == Isa::Avx2) && c.have[1] ? 1 : 0;
  return c.f64[i];
}

// dst[p·W + j] = src[p·ld + j] for p < K, j < W: whole rows of a panel. The panel widths in use
// are compile-time constants here, so each row is a few vector moves rather than a memcpy call.
template <int W, class T>
void copy_rows_fixed(const T* src, int64_t ld, int64_t K, T* dst) {
  for (int64_t p = 0; p < K; p++) {
    const T* s = src + p * ld;
    T* d = dst + p * W;
#pragma GCC unroll 32
    for (int j = 0; j < W; j++) d[j] = s[j];
  }
}

template <class T>
void copy_rows(const T* src, int64_t ld, int64_t K, int W, T* dst) {
  switch (W) {
    case 4: return copy_rows_fixed<4>(src, ld, K, dst);
    case 6: return copy_rows_fixed<6>(src, ld, K, dst);
    case 8: return copy_rows_fixed<8>(src, ld, K, dst);
    case 12: return copy_rows_fixed<12>(src, ld, K, dst);
    case 14: return copy_rows_fixed<14>(src, ld, K, dst);
    case 16: return copy_rows_fixed<16>(src, ld, K, dst);
    case 32: return copy_rows_fixed<32>(src, ld, K, dst);
    default:
      for (int64_t p = 0; p < K; p++) std::memcpy(dst + p * W, src + p * ld, W * sizeof(T));
  }
}

// dst[p·W + j] = base[off[p] + j] for p < K, j < cols (zero-padded to W): panels of a
// convolution's patch matrix, whose rows of taps / columns of pixels lie anywhere in the image.
template <int W, class T>
void copy_rows_at_fixed(const T* base, const int64_t* off, int64_t K, T* dst) {
  for (int64_t p = 0; p < K; p++) {
    const T* s = base + off[p];
    T* d = dst + p * W;
#pragma GCC unroll 32
    for (int j = 0; j < W; j++) d[j] = s[j];
  }
}

template <class T>
void copy_rows_at(const T* base, const int64_t* off, int64_t K, int cols, int W, T* dst) {
  if (cols == W) {
    switch (W) {
      case 8: return copy_rows_at_fixed<8>(base, off, K, dst);
      case 14: return copy_rows_at_fixed<14>(base, off, K, dst);
      case 16: return copy_rows_at_fixed<16>(base, off, K, dst);
      case 32: return copy_rows_at_fixed<32>(base, off, K, dst);
      default: break;
    }
  }
  for (int64_t p = 0; p < K; p++) {
    std::memcpy(dst + p * W, base + off[p], cols * sizeof(T));
    for (int j = cols; j < W; j++) dst[p * W + j] = T(0);
  }
}

// The lanes of a panel as runs of consecutive addresses: run r is lanes [start[r], start[r + 1]).
struct Runs {
  int count = 0;
  int start[33];
};

Runs find_runs(const int64_t* lane, int lanes) {
  Runs r;
  for (int l = 0; l < lanes; l++)
    if (l == 0 || lane[l] != lane[l - 1] + 1) r.start[r.count++] = l;
  r.start[r.count] = lanes;
  return r;
}

#if PX_X86
// pack_runs for float32 panels of 16 or 32 lanes: each 16 lanes of a row are gathered
// from the runs that cover them by masked loads, which leave memory under masked-off lanes
// untouched.
PX_TARGET_AVX512 void pack_runs_avx512(const float* base, const int64_t* step, int64_t K, const int64_t* lane, const Runs& runs,
                                       int W, float* dst) {
  // Pieces of the runs, in lane order: each within one group of 16 lanes, which it fills from
  // base[step[p] + off + t] (t the lane within the group) where its mask is set.
  __mmask16 mask[64];
  int64_t off[64];
  int first[3] = {0, 0, 0};  // pieces of group v: first[v] .. first[v + 1] - 1 (W is 16 or 32)
  int n = 0;
  for (int v = 0; v < W / 16; v++) {
    first[v] = n;
    for (int r = 0; r < runs.count; r++) {
      const int lo = std::max(runs.start[r], v * 16), hi = std::min(runs.start[r + 1], v * 16 + 16);
      if (lo >= hi) continue;
      mask[n] = static_cast<__mmask16>(((1u << (hi - v * 16)) - 1) & ~((1u << (lo - v * 16)) - 1));
      off[n++] = lane[runs.start[r]] - runs.start[r] + v * 16;
    }
  }
  first[W / 16] = n;
  for (int64_t p = 0; p < K; p++) {
    const float* s = base + step[p];
    for (int v = 0; v < W / 16; v++) {
      __m512 acc = _mm512_setzero_ps();
      for (int i = first[v]; i < first[v + 1]; i++) acc = _mm512_mask_loadu_ps(acc, mask[i], s + off[i]);
      _mm512_storeu_ps(dst + p * W + v * 16, acc);
    }
  }
}
#endif

// dst[p·W + l] = base[step[p] + lane[l]] for p < K, l < lanes (zero-padded to W): a panel of an
// operand given by offset tables. Lanes come in runs of consecutive addresses (pixels along an
// image row); each run is one copy per step.
template <class T>
void pack_runs(const T* base, const int64_t* step, int64_t K, const int64_t* lane, int lanes, int W, T* dst) {
  const Runs runs = find_runs(lane, lanes);
  if (runs.count == 1) return copy_rows_at(base + lane[0], step, K, lanes, W, dst);
#if PX_X86
  if (sizeof(T) == 4 && g_isa == Isa::Avx512 && (W == 16 || W == 32)) {
    pack_runs_avx512(reinterpret_cast<const float*>(base), step, K, lane, runs, W, reinterpret_cast<float*>(dst));
    return;
  }
#endif
  for (int64_t p = 0; p < K; p++) {
    T* d = dst + p * W;
    for (int r = 0; r < runs.count; r++) {
      const T* src = base + step[p] + lane[runs.start[r]] - runs.start[r];
      for (int l = runs.start[r]; l < runs.start[r + 1]; l++) d[l] = src[l];
    }
    for (int l = lanes; l < W; l++) d[l] = T(0);
  }
}

// dst[p·W + j] = base[off[p] + j·ld] for p < K, j < cols (zero-padded to W): a panel of the
// transpose of rows `ld` apart whose steps lie anywhere (a gradient [O, pixels] over a batch of
// images), transposed a run of consecutive steps at a time.
template <class T>
void transpose_pack_runs(const T* base, int64_t ld, const int64_t* off, int64_t K, int cols, int W, T* dst) {
  const T* rows[32];
  for (int64_t p0 = 0, p1; p0 < K; p0 = p1) {
    for (p1 = p0 + 1; p1 < K && off[p1] == off[p1 - 1] + 1;) p1++;
    for (int j = 0; j < cols; j++) rows[j] = base + off[p0] + j * ld;
    transpose_pack(rows, cols, p1 - p0, W, dst + p0 * W);
  }
  if (cols < W)
    for (int64_t p = 0; p < K; p++)
      for (int j = cols; j < W; j++) dst[p * W + j] = T(0);
}

// A[i0.., p0..] into panels of mr rows: panel r holds, for each step p, its mr row values. (A given
// by offset tables is never packed: gemm_block reads it in place.)
template <class T>
void pack_a(const MatRef<T>& a, int64_t i0, int64_t mc, int64_t p0, int64_t kc, int mr, T* out) {
  for (int64_t ir = 0; ir < mc; ir += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - ir);
    T* dst = out + ir * kc;
    const T* src = a.p + (i0 + ir) * a.rs + p0 * a.cs;
    if (a.rs == 1) {
      // Column-major A (a transposed view): each step's rows are contiguous.
      if (rows == mr) {
        copy_rows(src, a.cs, kc, mr, dst);
      } else {
        for (int64_t p = 0; p < kc; p++) {
          const T* s = src + p * a.cs;
          for (int64_t i = 0; i < rows; i++) dst[p * mr + i] = s[i];
        }
      }
    } else if (a.cs == 1) {
      transpose_pack_ld(src, a.rs, static_cast<int>(rows), kc, mr, dst);
    } else {
      for (int64_t p = 0; p < kc; p++)
        for (int64_t i = 0; i < rows; i++) dst[p * mr + i] = src[i * a.rs + p * a.cs];
    }
  }
}

// B[p0.., j0..] into panels of nr columns, zero-padded to nr.
template <class T>
void pack_b(const MatRef<T>& b, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int nr, T* out) {
  for (int64_t jr = 0; jr < nc; jr += nr) {
    const int64_t cols = std::min<int64_t>(nr, nc - jr);
    T* dst = out + jr * kc;
    if (b.roff) {
      if (b.coff) pack_runs(b.p, b.roff + p0, kc, b.coff + j0 + jr, static_cast<int>(cols), nr, dst);
      else if (b.cs == 1) copy_rows_at(b.p + j0 + jr, b.roff + p0, kc, static_cast<int>(cols), nr, dst);
      else transpose_pack_runs(b.p + (j0 + jr) * b.cs, b.cs, b.roff + p0, kc, static_cast<int>(cols), nr, dst);
      continue;
    }
    const T* src = b.p + p0 * b.rs + (j0 + jr) * b.cs;
    if (b.cs == 1 && cols == nr) {
      copy_rows(src, b.rs, kc, nr, dst);
    } else if (b.cs == 1) {
      for (int64_t p = 0; p < kc; p++) {
        std::memcpy(dst + p * nr, src + p * b.rs, cols * sizeof(T));
        for (int64_t j = cols; j < nr; j++) dst[p * nr + j] = T(0);
      }
    } else if (b.rs == 1) {
      // Row-major storage of Bᵀ (a transposed weight): read each column contiguously.
      transpose_pack_ld(src, b.cs, static_cast<int>(cols), kc, nr, dst);
      if (cols < nr)
        for (int64_t p = 0; p < kc; p++)
          for (int64_t j = cols; j < nr; j++) dst[p * nr + j] = T(0);
    } else {
      for (int64_t p = 0; p < kc; p++)
        for (int64_t j = 0; j < nr; j++) dst[p * nr + j] = j < cols ? src[p * b.rs + j * b.cs] : T(0);
    }
  }
}

// Operands packed once for all tiles (when tiles would otherwise each pack the same one): all of
// A in row panels, each kc block after the previous (offset pc·mpad), or all of B in column panels
// (offset pc·npad). Null when each tile packs its own.
template <class T>
struct Shared {
  const T* a = nullptr;
  int64_t mpad = 0;
  const T* b = nullptr;
  int64_t npad = 0;
};

// One thread's block C[m0..m1, n0..n1), with its own packing buffers.
template <class T>
void gemm_block(const GemmConfig<T>& cfg, int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t k,
                const MatRef<T>& a, const MatRef<T>& b, T* c, int64_t ldc, bool accumulate, T* apack, T* bpack,
                const Shared<T>& shared) {
  const int mr = cfg.mr, nr = cfg.nr;
  alignas(64) T tile[16 * 64];
  for (int64_t jc = n0; jc < n1; jc += cfg.nc) {
    const int64_t nc = std::min<int64_t>(cfg.nc, n1 - jc);
    for (int64_t pc = 0; pc < k; pc += cfg.kc) {
      const int64_t kc = std::min<int64_t>(cfg.kc, k - pc);
      const bool acc = accumulate || pc > 0;
      // Panels of B for columns jc.. (shared panels start at column 0, so jc is a multiple of nr).
      const T* bblock = shared.b ? shared.b + pc * shared.npad + jc * kc : bpack;
      if (!shared.b) pack_b(b, pc, kc, jc, nc, nr, bpack);
      for (int64_t ic = m0; ic < m1; ic += cfg.mc) {
        const int64_t mc = std::min<int64_t>(cfg.mc, m1 - ic);
        const T* ablock = shared.a ? shared.a + pc * shared.mpad + ic * kc : apack;
        // A given by pixel and tap tables is read in place, panel by panel (see below).
        const bool in_place = a.roff && a.coff;
        if (!shared.a && !in_place) pack_a(a, ic, mc, pc, kc, mr, apack);
        for (int64_t jr = 0; jr < nc; jr += nr) {
          const int64_t cols = std::min<int64_t>(nr, nc - jr);
          const T* bp = bblock + jr * kc;
          // A read in place goes in panels that are runs of consecutive addresses (a run of
          // pixels along an image row, of taps along a kernel row), ended early where a run ends.
          for (int64_t ir = 0, rows; ir < mc; ir += rows) {
            rows = std::min<int64_t>(mr, mc - ir);
            const int64_t* ro = in_place ? a.roff + ic + ir : nullptr;
            if (in_place)
              for (int64_t i = 1; i < rows; i++)
                if (ro[i] != ro[i - 1] + 1) rows = i;
            const T* ap = ablock + ir * kc;
            T* cp = c + (ic + ir) * ldc + (jc + jr);
            auto kernel = [&](T* out, int64_t ld, bool accum) {
              if (in_place) cfg.kernel_at[rows](kc, a.p + ro[0], a.coff + pc, bp, out, ld, accum);
              else cfg.kernel[rows](kc, ap, bp, out, ld, accum);
            };
            if (cols == nr) {
              kernel(cp, ldc, acc);
            } else {
              // A partial tile: compute all nr columns into a scratch tile, keep the valid ones.
              kernel(tile, nr, false);
              for (int i = 0; i < rows; i++)
                for (int64_t j = 0; j < cols; j++) cp[i * ldc + j] = acc ? cp[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
            }
          }
        }
      }
    }
  }
}

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// The thin-product loops (gemm_thin.h) when they suit the shapes: a few columns of C with A's
// rows contiguous (dot products), or a few rows of C or steps of k with B's rows contiguous
// (scaled rows of B added up; those loops read B once per row, so a few rows only while B stays
// in the core's L2 cache, or up to 4).
// C[i, j] is at c[i·crs + j·ccs]. False when neither applies.
template <class T>
bool gemm_thin(const GemmConfig<T>& cfg, int64_t m, int64_t n, int64_t k, const MatRef<T>& a, const MatRef<T>& b, T* c,
               int64_t crs, int64_t ccs, bool accumulate, int nt) {
  const bool dot = n <= THIN && a.cs == 1;
  const bool b_cached = k * n * static_cast<int64_t>(sizeof(T)) <= (512 << 10);
  const bool axpy = (m <= 4 || k <= THIN || (m <= THIN && b_cached)) && b.cs == 1;
  if (!dot && !axpy) return false;
  if (m * n * k < GEMM_PARALLEL_MIN) nt = 1;
  const int64_t chunks = std::min<int64_t>(m, 4 * static_cast<int64_t>(nt));
  const int64_t per = (m + chunks - 1) / chunks;
  if (dot) {
    // Bᵀ's rows are B's columns: read in place when contiguous, else copied.
    const T* bt = b.p;
    int64_t ldbt = b.cs;
    T* copy = nullptr;
    const size_t bytes = static_cast<size_t>(n * k) * sizeof(T);
    if (b.rs != 1 && k > 1) {
      copy = static_cast<T*>(storage_alloc(bytes));
      if (!copy) throw std::bad_alloc();
      for (int64_t j = 0; j < n; j++)
        for (int64_t p = 0; p < k; p++) copy[j * k + p] = b.p[p * b.rs + j * b.cs];
      bt = copy;
      ldbt = k;
    }
    parallel_chunks(chunks, nt, [&](int64_t q, int) {
      cfg.thin_dot(q * per, std::min(m, (q + 1) * per), n, k, a.p, a.rs, bt, ldbt, c, crs, ccs, accumulate);
    });
    if (copy) storage_free(copy, bytes);
    return true;
  }
  // A row accumulator per thread for the last columns.
  const size_t bytes = static_cast<size_t>(nt * n) * sizeof(T);
  T* scratch = static_cast<T*>(storage_alloc(bytes));
  if (!scratch) throw std::bad_alloc();
  parallel_chunks(chunks, nt, [&](int64_t q, int slot) {
    cfg.thin_axpy(q * per, std::min(m, (q + 1) * per), n, k, a.p, a.rs, a.cs, b.p, b.rs, c, crs, ccs, accumulate,
                  scratch + slot * n);
  });
  storage_free(scratch, bytes);
  return true;
}

}  // namespace

void gemm_config_portable(GemmConfig<float>* f, GemmConfig<double>* d) {
  *f = GemmConfig<float>{P_MR, P_NV * 4, 256, P_MR * 32, 512, {}, {}, nullptr, nullptr};
  *d = GemmConfig<double>{P_MR, P_NV * 2, 256, P_MR * 24, 256, {}, {}, nullptr, nullptr};
  fill_kernels(f, d, std::make_integer_sequence<int, P_MR>{});
}

template <class T>
void gemm_split_k(int64_t m, int64_t n, int64_t k, const MatRef<T>& a, const MatRef<T>& b, T* out, int64_t ldc,
                  bool accumulate, int nt);

// gemm, where split_k allows splitting k (gemm_split_k's parts do not split again).
template <class T>
void gemm_impl(int64_t m, int64_t n, int64_t k, MatRef<T> a, MatRef<T> b, T* out, int64_t ldc, bool accumulate, int nt,
               bool split_k) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; i++) std::memset(out + i * ldc, 0, n * sizeof(T));
    return;
  }
  // Strides of size-1 dims are arbitrary; make them the unit ones so the packing fast paths apply.
  if (m == 1) a.rs = 1;
  if (k == 1) {
    a.cs = 1;
    b.rs = 1;
  }
  if (n == 1) b.cs = 1;
  const GemmConfig<T>& cfg = config_for_isa<T>();
  // A thin product, as it is or transposed (Cᵀ = Bᵀ·Aᵀ, written into C through swapped strides);
  // never the convolutions' operands given by offset tables.
  const bool tables = a.roff || a.coff || b.roff || b.coff;
  if (!tables && gemm_thin(cfg, m, n, k, a, b, out, ldc, 1, accumulate, nt)) return;
  if (!tables && gemm_thin(cfg, n, m, k, MatRef<T>{b.p, b.cs, b.rs}, MatRef<T>{a.p, a.cs, a.rs}, out, 1, ldc, accumulate, nt)) return;
  if (m * n * k < GEMM_PARALLEL_MIN) nt = 1;
  if (split_k && k >= SPLIT_K_MIN && m * n <= SPLIT_K_MAX_C) return gemm_split_k(m, n, k, a, b, out, ldc, accumulate, nt);
  // C is cut into tiles that threads claim one at a time (a descheduled thread delays nothing).
  // One thread takes all of C, packing each B panel once. With several, tiles are halved (the
  // longer side, down to 4 register tiles) until there are two per thread; each tile packs its
  // own operands, which square-ish tiles keep to a few percent of the work.
  int64_t tile_m = m, tile_n = n;
  if (nt > 1) {
    const int64_t want = 2 * static_cast<int64_t>(nt);
    for (;;) {
      int64_t count = ((m + tile_m - 1) / tile_m) * ((n + tile_n - 1) / tile_n);
      if (count >= want) break;
      const bool can_n = tile_n > 4 * cfg.nr, can_m = tile_m > 4 * cfg.mr;
      if (can_n && (tile_n >= tile_m || !can_m)) tile_n = round_up((tile_n + 1) / 2, cfg.nr);
      else if (can_m) tile_m = round_up((tile_m + 1) / 2, cfg.mr);
      else break;
    }
  }
  const int64_t tiles_m = (m + tile_m - 1) / tile_m, tiles_n = (n + tile_n - 1) / tile_n;
  const int64_t chunks = tiles_m * tiles_n;
  if (chunks < nt) nt = static_cast<int>(chunks);
  // An operand every tile would pack alike (A when only columns are split, B when only rows
  // are) is packed once, up front, when it is not too big.
  Shared<T> shared;
  const int64_t mpad = round_up(m, cfg.mr), npad = round_up(n, cfg.nr);
  const bool share_a = !(a.roff && a.coff) && chunks > 1 && tiles_m == 1 && cfg.mc >= m && mpad * k * static_cast<int64_t>(sizeof(T)) <= (8 << 20);
  const bool share_b = chunks > 1 && tiles_n == 1 && cfg.nc >= n && npad * k * static_cast<int64_t>(sizeof(T)) <= (8 << 20);
  // Per-thread packing buffers, allocated here so that worker threads never allocate.
  const int64_t kc = std::min<int64_t>(cfg.kc, k);
  const int64_t a_elems = share_a ? 0 : round_up(std::min<int64_t>(cfg.mc, tile_m), cfg.mr) * kc;
  const int64_t b_elems = share_b ? 0 : round_up(std::min<int64_t>(cfg.nc, tile_n), cfg.nr) * kc;
  const int64_t shared_elems = (share_a ? mpad * k : 0) + (share_b ? npad * k : 0);
  const size_t bytes = (static_cast<size_t>(nt) * (a_elems + b_elems) + shared_elems) * sizeof(T) + 64;
  T* scratch = static_cast<T*>(storage_alloc(bytes));
  if (!scratch) throw std::bad_alloc();
  T* shared_mem = scratch + static_cast<int64_t>(nt) * (a_elems + b_elems);
  const int64_t kblocks = (k + cfg.kc - 1) / cfg.kc;
  if (share_a) {
    shared.a = shared_mem;
    shared.mpad = mpad;
    T* dst = shared_mem;
    parallel_chunks(kblocks, nt, [&](int64_t q, int) {
      const int64_t pc = q * cfg.kc;
      pack_a(a, 0, m, pc, std::min<int64_t>(cfg.kc, k - pc), cfg.mr, dst + pc * mpad);
    });
    shared_mem += mpad * k;
  }
  if (share_b) {
    shared.b = shared_mem;
    shared.npad = npad;
    T* dst = shared_mem;
    parallel_chunks(kblocks, nt, [&](int64_t q, int) {
      const int64_t pc = q * cfg.kc;
      pack_b(b, pc, std::min<int64_t>(cfg.kc, k - pc), 0, n, cfg.nr, dst + pc * npad);
    });
  }
  parallel_chunks(chunks, nt, [&](int64_t c, int slot) {
    const int64_t m0 = (c / tiles_n) * tile_m, n0 = (c % tiles_n) * tile_n;
    const int64_t m1 = std::min(m, m0 + tile_m), n1 = std::min(n, n0 + tile_n);
    T* apack = scratch + static_cast<int64_t>(slot) * (a_elems + b_elems);
    gemm_block(cfg, m0, m1, n0, n1, k, a, b, out, ldc, accumulate, apack, apack + a_elems, shared);
  });
  storage_free(scratch, bytes);
}

// A product with a small C and a long k (a weight gradient over a large batch: [64, 4096]·
// [4096, 64]) leaves threads little or nothing to do when C is split. k is split instead, into
// SPLIT_K_PARTS ranges whatever the thread count (so the result does not depend on it): the first
// range is multiplied into C, the others into buffers added to C afterwards, in order.
template <class T>
void gemm_split_k(int64_t m, int64_t n, int64_t k, const MatRef<T>& a, const MatRef<T>& b, T* out, int64_t ldc,
                  bool accumulate, int nt) {
  const int64_t parts = SPLIT_K_PARTS;
  const size_t bytes = static_cast<size_t>((parts - 1) * m * n) * sizeof(T);
  T* partial = static_cast<T*>(storage_alloc(bytes));
  if (!partial) throw std::bad_alloc();
  parallel_chunks(parts, nt, [&](int64_t q, int) {
    const int64_t k0 = k * q / parts, k1 = k * (q + 1) / parts;
    // A's columns and B's rows from k0 on, through the k-side offset tables where there are some.
    MatRef<T> aq = a, bq = b;
    if (a.coff) aq.coff += k0;
    else aq.p += k0 * a.cs;
    if (b.roff) bq.roff += k0;
    else bq.p += k0 * b.rs;
    if (q == 0) gemm_impl(m, n, k1 - k0, aq, bq, out, ldc, accumulate, 1, false);
    else gemm_impl(m, n, k1 - k0, aq, bq, partial + (q - 1) * m * n, n, false, 1, false);
  });
  for (int64_t q = 1; q < parts; q++) {
    const T* src = partial + (q - 1) * m * n;
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) out[i * ldc + j] += src[i * n + j];
  }
  storage_free(partial, bytes);
}

template <class T>
void gemm(int64_t m, int64_t n, int64_t k, MatRef<T> a, MatRef<T> b, T* out, int64_t ldc, bool accumulate, int nt) {
  gemm_impl(m, n, k, a, b, out, ldc, accumulate, nt, true);
}

template void gemm<float>(int64_t, int64_t, int64_t, MatRef<float>, MatRef<float>, float*, int64_t, bool, int);
template void gemm<double>(int64_t, int64_t, int64_t, MatRef<double>, MatRef<double>, double*, int64_t, bool, int);

}  // namespace px
