// Portable SIMD through GCC/Clang vector extensions. The same templated kernel is instantiated
// with 4-lane vectors for the portable build (SSE2 on x86-64, NEON on aarch64), 8 lanes inside
// __attribute__((target("avx2,fma"))) functions and 16 lanes inside AVX-512 ones, so one source
// serves every instruction set and the compiler emits the native instructions of each.
#pragma once

#include <cstdint>
#include <cstring>

#include "common.h"

namespace px {

typedef float v4sf __attribute__((vector_size(16)));
typedef float v8sf __attribute__((vector_size(32)));
typedef float v16sf __attribute__((vector_size(64)));
typedef int32_t v4si __attribute__((vector_size(16)));
typedef int32_t v8si __attribute__((vector_size(32)));
typedef int32_t v16si __attribute__((vector_size(64)));
typedef double v2df __attribute__((vector_size(16)));
typedef double v4df __attribute__((vector_size(32)));
typedef double v8df __attribute__((vector_size(64)));
typedef int64_t v2di __attribute__((vector_size(16)));
typedef int64_t v4di __attribute__((vector_size(32)));
typedef int64_t v8di __attribute__((vector_size(64)));

// Lane types and counts of a float vector type.
template <class V>
struct VecTraits;
template <>
struct VecTraits<v4sf> {
  typedef v4si I;
  static constexpr int N = 4;
};
template <>
struct VecTraits<v8sf> {
  typedef v8si I;
  static constexpr int N = 8;
};
template <>
struct VecTraits<v16sf> {
  typedef v16si I;
  static constexpr int N = 16;
};

template <class V>
PX_INLINE V vload(const void* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
PX_INLINE void vstore(void* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
// Every lane set to x. For compile-time constants only: with a run-time x the addition to zero
// is real (0 + x is not x for x = -0) and costs an add; multiply a vector by the scalar instead.
template <class V, class T>
PX_INLINE V vsplat(T x) {
  V v = {};
  return v + x;
}

}  // namespace px
