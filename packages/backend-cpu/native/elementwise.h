// Operator functors of the elementwise primitives, shared by the row kernels (ops_elementwise.cc).
// Semantics follow the reference backend: int32 arithmetic wraps, int32 division truncates with
// x/0 = 0, maximum/minimum propagate NaN, pow follows C99 (pow(1, NaN) = 1).
#pragma once

#include <cmath>
#include <cstdint>

#include "common.h"

namespace px {

// Codes shared with src/codes.ts.
enum BinaryOp { B_ADD = 0, B_SUB, B_MUL, B_DIV, B_POW, B_MAX, B_MIN, NUM_BINARY };
enum CompareOp { C_EQ = 0, C_NE, C_LT, C_LE, C_GT, C_GE, NUM_COMPARE };

PX_INLINE int32_t wrap_add(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
PX_INLINE int32_t wrap_sub(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); }
PX_INLINE int32_t wrap_mul(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b)); }

PX_INLINE int32_t int_div(int32_t a, int32_t b) {
  if (b == 0) return 0;
  if (b == -1) return wrap_sub(0, a);  // -2^31 / -1 wraps to -2^31
  return a / b;
}

// Integer power with wrap-around; a negative exponent gives the truncated real power.
PX_INLINE int32_t int_pow(int32_t x, int32_t y) {
  if (y < 0) {
    if (x == 1) return 1;
    if (x == -1) return (y & 1) ? -1 : 1;
    return 0;
  }
  uint32_t result = 1, base = static_cast<uint32_t>(x);
  uint32_t e = static_cast<uint32_t>(y);
  while (e) {
    if (e & 1) result *= base;
    base *= base;
    e >>= 1;
  }
  return static_cast<int32_t>(result);
}

template <class T>
struct AddF { static PX_INLINE T f(T a, T b) { return a + b; } };
template <class T>
struct SubF { static PX_INLINE T f(T a, T b) { return a - b; } };
template <class T>
struct MulF { static PX_INLINE T f(T a, T b) { return a * b; } };
template <class T>
struct DivF { static PX_INLINE T f(T a, T b) { return a / b; } };
template <class T>
struct PowF { static PX_INLINE T f(T a, T b) { return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b))); } };
template <class T>
struct MaxF { static PX_INLINE T f(T a, T b) { return (a > b || a != a) ? a : b; } };
template <class T>
struct MinF { static PX_INLINE T f(T a, T b) { return (a < b || a != a) ? a : b; } };

struct AddI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return wrap_add(a, b); } };
struct SubI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return wrap_sub(a, b); } };
struct MulI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return wrap_mul(a, b); } };
struct DivI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return int_div(a, b); } };
struct PowI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return int_pow(a, b); } };
struct MaxI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return a > b ? a : b; } };
struct MinI { static PX_INLINE int32_t f(int32_t a, int32_t b) { return a < b ? a : b; } };

// bool arithmetic on 0/1, stored as (result != 0).
struct OrB { static PX_INLINE uint8_t f(uint8_t a, uint8_t b) { return a | b; } };
struct XorB { static PX_INLINE uint8_t f(uint8_t a, uint8_t b) { return a ^ b; } };
struct AndB { static PX_INLINE uint8_t f(uint8_t a, uint8_t b) { return a & b; } };
struct DivB { static PX_INLINE uint8_t f(uint8_t a, uint8_t b) { return b == 0 ? 0 : a; } };
struct PowB { static PX_INLINE uint8_t f(uint8_t a, uint8_t b) { return b == 0 ? 1 : a; } };

template <class T>
struct EqF { static PX_INLINE uint8_t f(T a, T b) { return a == b; } };
template <class T>
struct NeF { static PX_INLINE uint8_t f(T a, T b) { return a != b; } };
template <class T>
struct LtF { static PX_INLINE uint8_t f(T a, T b) { return a < b; } };
template <class T>
struct LeF { static PX_INLINE uint8_t f(T a, T b) { return a <= b; } };
template <class T>
struct GtF { static PX_INLINE uint8_t f(T a, T b) { return a > b; } };
template <class T>
struct GeF { static PX_INLINE uint8_t f(T a, T b) { return a >= b; } };

}  // namespace px
