// float32 exp, log, tanh and sigmoid on whole vectors (Cephes polynomials, about 1 ulp) and erf
// (a rational approximation), so the activations and softmax of training run at SIMD speed.
// float64 uses the C library instead.
#pragma once

#include <cmath>
#include <limits>

#include "simd.h"

namespace px {

template <class V>
PX_INLINE V vexp(V x) {
  typedef typename VecTraits<V>::I VI;
  const float hi = 88.72283935546875f;
  const float lo = -103.97208f;
  V xc = x > hi ? vsplat<V>(hi) : x;  // NaN fails both tests and stays NaN
  xc = xc < lo ? vsplat<V>(lo) : xc;
  V t = xc * 1.44269504088896341f + 12582912.0f;  // round to nearest by the 1.5·2^23 trick
  V n = t - 12582912.0f;
  V r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  V z = r * r;
  V p = vsplat<V>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * z + r + 1.0f;
  // 2^n in two halves, so results down to the subnormal range come out right.
  VI ni = __builtin_convertvector(n, VI);
  VI n1 = ni >> 1;
  VI n2 = ni - n1;
  V s1 = (V)((n1 + 127) << 23);
  V s2 = (V)((n2 + 127) << 23);
  V res = p * s1 * s2;
  res = x > hi ? vsplat<V>(std::numeric_limits<float>::infinity()) : res;
  res = x < lo ? vsplat<V>(0.0f) : res;
  return res;
}

template <class V>
PX_INLINE V vlog(V x) {
  typedef typename VecTraits<V>::I VI;
  VI sub = x < 1.17549435e-38f;  // subnormal (or <= 0): scale into the normal range first
  V xs = sub ? x * 8388608.0f : x;
  VI xi = (VI)xs;
  VI e = ((xi >> 23) & 0xff) - 126;
  e = sub ? e - 23 : e;
  V m = (V)((xi & 0x007fffff) | 0x3f000000);  // mantissa in [0.5, 1)
  VI below = m < 0.707106781186547524f;
  V f = below ? m + m - 1.0f : m - 1.0f;
  e = e + below;  // `below` is -1 where true
  V z = f * f;
  V y = vsplat<V>(7.0376836292e-2f);
  y = y * f - 1.1514610310e-1f;
  y = y * f + 1.1676998740e-1f;
  y = y * f - 1.2420140846e-1f;
  y = y * f + 1.4249322787e-1f;
  y = y * f - 1.6668057665e-1f;
  y = y * f + 2.0000714765e-1f;
  y = y * f - 2.4999993993e-1f;
  y = y * f + 3.3333331174e-1f;
  y = y * f * z;
  V fe = __builtin_convertvector(e, V);
  y = y + fe * -2.12194440e-4f;
  y = y - z * 0.5f;
  V res = f + y + fe * 0.693359375f;
  const float inf = std::numeric_limits<float>::infinity();
  res = x == 0.0f ? vsplat<V>(-inf) : res;
  res = x < 0.0f ? vsplat<V>(std::numeric_limits<float>::quiet_NaN()) : res;
  res = x == inf ? vsplat<V>(inf) : res;
  res = x != x ? x : res;
  return res;
}

template <class V>
PX_INLINE V vcopysign(V magnitude, V sign) {
  typedef typename VecTraits<V>::I VI;
  return (V)(((VI)magnitude & 0x7fffffff) | ((VI)sign & (int32_t)0x80000000u));
}

template <class V>
PX_INLINE V vtanh(V x) {
  typedef typename VecTraits<V>::I VI;
  V ax = (V)((VI)x & 0x7fffffff);
  V z = x * x;
  V p = vsplat<V>(-5.70498872745e-3f);
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  V small = p * z * x + x;
  V e = vexp(ax + ax);
  V big = vcopysign(1.0f - 2.0f / (e + 1.0f), x);  // e = inf gives exactly ±1
  return ax < 0.625f ? small : big;
}

template <class V>
PX_INLINE V vsigmoid(V x) {
  return 1.0f / (1.0f + vexp(-x));
}

// erf as x·P(x²)/Q(x²) on [-4, 4] (beyond, erf is ±1 in float32): the rational approximation of
// Eigen and XLA. Relative error below 5e-7 over the normal floats (a few ulp just below ±1),
// checked against the C library's erf in double; x is factored out so tiny inputs keep their
// precision, and NaN fails both clamps and stays NaN.
template <class V>
PX_INLINE V verf(V a) {
  V x = a > 4.0f ? vsplat<V>(4.0f) : a;
  x = x < -4.0f ? vsplat<V>(-4.0f) : x;
  V x2 = x * x;
  V p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
  p = p * x2 - 2.10102402082508e-06f;
  p = p * x2 - 5.69250639462346e-05f;
  p = p * x2 - 7.34990630326855e-04f;
  p = p * x2 - 2.95459980854025e-03f;
  p = p * x2 - 1.60960333262415e-02f;
  V q = x2 * -1.45660718464996e-05f - 2.13374055278905e-04f;
  q = q * x2 - 1.68282697438203e-03f;
  q = q * x2 - 7.37332916720468e-03f;
  q = q * x2 - 1.42647390514189e-02f;
  return x * (p / q);
}

// Row kernels over contiguous float32 arrays, one per instruction set (vmath.cc).
void exp_f32(float* out, const float* x, int64_t n);
void log_f32(float* out, const float* x, int64_t n);
void tanh_f32(float* out, const float* x, int64_t n);
void sigmoid_f32(float* out, const float* x, int64_t n);
void erf_f32(float* out, const float* x, int64_t n);

}  // namespace px
