// AVX-512 kernels for the common 2×2, stride-2, unpadded float32 max pooling and its backward.
// The scalar loops of ops_pool.cc do three NaN-aware selects per output; here sixteen outputs
// take two loads per input row, a vertical max, and an even/odd lane split for the horizontal
// one. Rows shorter than sixteen outputs (7 or 14 in a LeNet) use masked loads and stores, so a
// whole row is one vector step with no scalar tail.
#include "pool_simd.h"

#if PX_X86
#include <immintrin.h>
#endif

namespace px {

#if PX_X86
namespace {

// The larger of a and b, NaN when either is (maxps alone returns b when a is NaN).
PX_TARGET_AVX512 inline __m512 nan_max(__m512 a, __m512 b) {
  return _mm512_mask_mov_ps(_mm512_max_ps(a, b), _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), a);
}

PX_TARGET_AVX512 inline __mmask16 first(int64_t n) { return n >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1); }

struct Lanes {
  __m512i even, odd, lo, hi;  // even/odd lanes of a 32-lane pair; interleave of two vectors' halves
};

PX_TARGET_AVX512 inline Lanes lanes() {
  return {_mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30),
          _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31),
          _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23),
          _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)};
}

}  // namespace

PX_TARGET_AVX512 void max_pool_2x2_avx512(const float* x, float* o, int64_t oH, int64_t oW, int64_t W) {
  const Lanes L = lanes();
  for (int64_t oh = 0; oh < oH; oh++) {
    const float* r0 = x + 2 * oh * W;
    const float* r1 = r0 + W;
    float* orow = o + oh * oW;
    for (int64_t ow = 0; ow < oW; ow += 16) {
      const int64_t n = oW - ow < 16 ? oW - ow : 16;
      const __mmask16 m0 = first(2 * n), m1 = first(2 * n - 16 > 0 ? 2 * n - 16 : 0);
      const __m512 a = nan_max(_mm512_maskz_loadu_ps(m0, r0 + 2 * ow), _mm512_maskz_loadu_ps(m0, r1 + 2 * ow));
      const __m512 b = nan_max(_mm512_maskz_loadu_ps(m1, r0 + 2 * ow + 16), _mm512_maskz_loadu_ps(m1, r1 + 2 * ow + 16));
      const __m512 r = nan_max(_mm512_permutex2var_ps(a, L.even, b), _mm512_permutex2var_ps(a, L.odd, b));
      _mm512_mask_storeu_ps(orow + ow, first(n), r);
    }
  }
}

PX_TARGET_AVX512 void max_pool_2x2_backward_avx512(const float* x, const float* g, float* dx, int64_t oH, int64_t oW, int64_t W) {
  const Lanes L = lanes();
  const __m512 one = _mm512_set1_ps(1.0f), nan = _mm512_set1_ps(__builtin_nanf(""));
  for (int64_t oh = 0; oh < oH; oh++) {
    const float* r0 = x + 2 * oh * W;
    const float* r1 = r0 + W;
    float* d0 = dx + 2 * oh * W;
    float* d1 = d0 + W;
    for (int64_t ow = 0; ow < oW; ow += 16) {
      const int64_t n = oW - ow < 16 ? oW - ow : 16;
      const __mmask16 m0 = first(2 * n), m1 = first(2 * n - 16 > 0 ? 2 * n - 16 : 0);
      const __m512 r0a = _mm512_maskz_loadu_ps(m0, r0 + 2 * ow), r0b = _mm512_maskz_loadu_ps(m1, r0 + 2 * ow + 16);
      const __m512 r1a = _mm512_maskz_loadu_ps(m0, r1 + 2 * ow), r1b = _mm512_maskz_loadu_ps(m1, r1 + 2 * ow + 16);
      // The window's four values, one window per lane.
      const __m512 a = _mm512_permutex2var_ps(r0a, L.even, r0b), b = _mm512_permutex2var_ps(r0a, L.odd, r0b);
      const __m512 c = _mm512_permutex2var_ps(r1a, L.even, r1b), d = _mm512_permutex2var_ps(r1a, L.odd, r1b);
      const __m512 m = nan_max(nan_max(a, b), nan_max(c, d));
      const __mmask16 is_nan = _mm512_cmp_ps_mask(m, m, _CMP_UNORD_Q);
      const __mmask16 ka = _mm512_cmp_ps_mask(a, m, _CMP_EQ_OQ) | is_nan, kb = _mm512_cmp_ps_mask(b, m, _CMP_EQ_OQ) | is_nan;
      const __mmask16 kc = _mm512_cmp_ps_mask(c, m, _CMP_EQ_OQ) | is_nan, kd = _mm512_cmp_ps_mask(d, m, _CMP_EQ_OQ) | is_nan;
      // The max's gradient rule: g shared evenly between the tied maxima; a NaN max gives NaN to all four.
      const __m512 count = _mm512_add_ps(_mm512_add_ps(_mm512_maskz_mov_ps(ka, one), _mm512_maskz_mov_ps(kb, one)),
                                         _mm512_add_ps(_mm512_maskz_mov_ps(kc, one), _mm512_maskz_mov_ps(kd, one)));
      const __m512 share = _mm512_mask_mov_ps(_mm512_div_ps(_mm512_maskz_loadu_ps(first(n), g + oh * oW + ow), count), is_nan, nan);
      const __m512 da = _mm512_maskz_mov_ps(ka, share), db = _mm512_maskz_mov_ps(kb, share);
      const __m512 dc = _mm512_maskz_mov_ps(kc, share), dd = _mm512_maskz_mov_ps(kd, share);
      _mm512_mask_storeu_ps(d0 + 2 * ow, m0, _mm512_permutex2var_ps(da, L.lo, db));
      _mm512_mask_storeu_ps(d0 + 2 * ow + 16, m1, _mm512_permutex2var_ps(da, L.hi, db));
      _mm512_mask_storeu_ps(d1 + 2 * ow, m0, _mm512_permutex2var_ps(dc, L.lo, dd));
      _mm512_mask_storeu_ps(d1 + 2 * ow + 16, m1, _mm512_permutex2var_ps(dc, L.hi, dd));
    }
  }
}
#endif

}  // namespace px
