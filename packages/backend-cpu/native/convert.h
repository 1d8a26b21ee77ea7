// Element conversions with the semantics of the reference backend (JS typed-array stores):
// float to int32 truncates toward zero with NaN/±inf giving 0 and out-of-range values wrapping
// modulo 2^32; anything to bool is x != 0 (so NaN is true); bool is stored as one byte 0/1.
#pragma once

#include <cmath>
#include <cstdint>

#include "common.h"
#include "handle.h"

namespace px {

PX_INLINE int32_t to_int32_slow(double x) {
  if (!std::isfinite(x)) return 0;
  double m = std::fmod(std::trunc(x), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

PX_INLINE int32_t to_int32(double x) {
  if (x > -2147483649.0 && x < 2147483648.0) return static_cast<int32_t>(x);
  return to_int32_slow(x);
}

template <class To>
struct Convert {
  template <class From>
  static PX_INLINE To from(From v) {
    return static_cast<To>(v);
  }
};
template <>
struct Convert<int32_t> {
  static PX_INLINE int32_t from(float v) { return to_int32(v); }
  static PX_INLINE int32_t from(double v) { return to_int32(v); }
  static PX_INLINE int32_t from(int32_t v) { return v; }
  static PX_INLINE int32_t from(uint8_t v) { return v; }
};
template <>
struct Convert<uint8_t> {
  template <class From>
  static PX_INLINE uint8_t from(From v) {
    return v != 0 ? 1 : 0;
  }
};

// Calls f(T{}) with the C++ element type of `d`.
template <class F>
PX_INLINE decltype(auto) with_dtype(DType d, F&& f) {
  switch (d) {
    case DType::F32: return f(float{});
    case DType::F64: return f(double{});
    case DType::I32: return f(int32_t{});
    default: return f(uint8_t{});
  }
}

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() { return DType::F32; }
template <>
constexpr DType dtype_of<double>() { return DType::F64; }
template <>
constexpr DType dtype_of<int32_t>() { return DType::I32; }
template <>
constexpr DType dtype_of<uint8_t>() { return DType::BOOL; }

// Converts n contiguous elements from one dtype to another (the write path and dense casts).
void convert_dense(void* dst, DType to, const void* src, DType from, int64_t n);
// Casts a strided view into a dense output of another dtype.
void convert_view(void* dst, DType to, const Handle* src);

}  // namespace px
