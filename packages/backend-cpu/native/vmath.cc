#include "vmath.h"

namespace px {
namespace {

// Applies F lane-wise over n floats; the tail goes through one padded vector.
template <class V, class F>
PX_INLINE void map_row(float* out, const float* x, int64_t n) {
  constexpr int W = VecTraits<V>::N;
  int64_t i = 0;
  for (; i + W <= n; i += W) vstore(out + i, F::apply(vload<V>(x + i)));
  if (i < n) {
    float buf[W] = {};
    std::memcpy(buf, x + i, (n - i) * sizeof(float));
    V r = F::apply(vload<V>(buf));
    std::memcpy(out + i, &r, (n - i) * sizeof(float));
  }
}

struct FExp { template <class V> static PX_INLINE V apply(V x) { return vexp(x); } };
struct FLog { template <class V> static PX_INLINE V apply(V x) { return vlog(x); } };
struct FTanh { template <class V> static PX_INLINE V apply(V x) { return vtanh(x); } };
struct FSigmoid { template <class V> static PX_INLINE V apply(V x) { return vsigmoid(x); } };
struct FErf { template <class V> static PX_INLINE V apply(V x) { return verf(x); } };

#define PX_VMATH(name, F)                                                                           \
  void name##_portable(float* o, const float* x, int64_t n) { map_row<v4sf, F>(o, x, n); }           \
  PX_TARGET_AVX2 void name##_avx2(float* o, const float* x, int64_t n) { map_row<v8sf, F>(o, x, n); } \
  PX_TARGET_AVX512 void name##_avx512(float* o, const float* x, int64_t n) { map_row<v16sf, F>(o, x, n); }

PX_VMATH(exp, FExp)
PX_VMATH(log, FLog)
PX_VMATH(tanh, FTanh)
PX_VMATH(sigmoid, FSigmoid)
PX_VMATH(erf, FErf)

}  // namespace

#define PX_VMATH_DISPATCH(name)                                      \
  void name##_f32(float* o, const float* x, int64_t n) {             \
    switch (g_isa) {                                                 \
      case Isa::Avx512: return name##_avx512(o, x, n);               \
      case Isa::Avx2: return name##_avx2(o, x, n);                   \
      default: return name##_portable(o, x, n);                      \
    }                                                                \
  }

PX_VMATH_DISPATCH(exp)
PX_VMATH_DISPATCH(log)
PX_VMATH_DISPATCH(tanh)
PX_VMATH_DISPATCH(sigmoid)
PX_VMATH_DISPATCH(erf)

}  // namespace px
