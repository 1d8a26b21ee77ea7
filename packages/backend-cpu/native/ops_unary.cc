// Elementwise unary math. float32 exp/log/tanh/sigmoid/erf run on SIMD polynomials (vmath.h); the
// simple ops (neg, abs, sqrt, rounding, ...) are vectorised by the compiler per instruction set;
// the rest call the C library in double, which is what the reference backend computes.
#include <cmath>
#include <string>

#include "args.h"
#include "convert.h"
#include "elementwise.h"
#include "kernels.h"
#include "lazy.h"
#include "ops.h"
#include "strided.h"
#include "threadpool.h"
#include "vmath.h"

namespace px {
namespace {

// Codes shared with src/codes.ts.
enum UnaryOp {
  U_NEG = 0, U_ABS, U_SIGN, U_EXP, U_LOG, U_LOG1P, U_EXPM1, U_SQRT, U_RSQRT, U_SIN, U_COS, U_TANH, U_SIGMOID,
  U_ERF, U_FLOOR, U_CEIL, U_ROUND, NUM_UNARY
};

constexpr int64_t GRAIN = 1 << 14;  // transcendental ops cost more per element than arithmetic

template <class T> struct UNeg { static PX_INLINE T f(T x) { return -x; } };
template <class T> struct UAbs { static PX_INLINE T f(T x) { return std::fabs(x); } };
template <class T> struct USign { static PX_INLINE T f(T x) { return x > 0 ? T(1) : x < 0 ? T(-1) : x; } };
template <class T> struct USqrt { static PX_INLINE T f(T x) { return std::sqrt(x); } };
template <class T> struct URsqrt { static PX_INLINE T f(T x) { return T(1) / std::sqrt(x); } };
template <class T> struct UFloor { static PX_INLINE T f(T x) { return std::floor(x); } };
template <class T> struct UCeil { static PX_INLINE T f(T x) { return std::ceil(x); } };
// Half to even with the sign of zero kept: nearbyint in the default rounding mode.
template <class T> struct URound { static PX_INLINE T f(T x) { return std::nearbyint(x); } };
// The C library in double, rounded once to T.
template <class T> struct UExp { static PX_INLINE T f(T x) { return T(std::exp(double(x))); } };
template <class T> struct ULog { static PX_INLINE T f(T x) { return T(std::log(double(x))); } };
template <class T> struct ULog1p { static PX_INLINE T f(T x) { return T(std::log1p(double(x))); } };
template <class T> struct UExpm1 { static PX_INLINE T f(T x) { return T(std::expm1(double(x))); } };
template <class T> struct USin { static PX_INLINE T f(T x) { return T(std::sin(double(x))); } };
template <class T> struct UCos { static PX_INLINE T f(T x) { return T(std::cos(double(x))); } };
template <class T> struct UTanh { static PX_INLINE T f(T x) { return T(std::tanh(double(x))); } };
template <class T> struct UErf { static PX_INLINE T f(T x) { return T(std::erf(double(x))); } };
// Never overflows: exp is only taken of a non-positive number.
template <class T> struct USigmoid {
  static PX_INLINE T f(T x) {
    double d = double(x);
    if (d >= 0) return T(1.0 / (1.0 + std::exp(-d)));
    double e = std::exp(d);
    return T(e / (1.0 + e));
  }
};

// int32: neg/abs wrap like two's complement; other ops go through double like a JS store.
struct INeg { static PX_INLINE int32_t f(int32_t x) { return wrap_sub(0, x); } };
struct IAbs { static PX_INLINE int32_t f(int32_t x) { return x < 0 ? wrap_sub(0, x) : x; } };
struct ISign { static PX_INLINE int32_t f(int32_t x) { return (x > 0) - (x < 0); } };
template <template <class> class F, class T>
struct ViaDouble { static PX_INLINE T f(T x) { return Convert<T>::from(F<double>::f(double(x))); } };


template <class F, class T>
PX_INLINE void un_row(void* out, const void* xv, int64_t sx, int64_t n) {
  T* PX_RESTRICT o = static_cast<T*>(out);
  const T* PX_RESTRICT x = static_cast<const T*>(xv);
  if (sx == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = F::f(x[i]);
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = F::f(x[i * sx]);
  }
}

template <class F, class T>
void un_portable(void* o, const void* x, int64_t sx, int64_t n) { un_row<F, T>(o, x, sx, n); }
template <class F, class T>
PX_TARGET_AVX2 void un_avx2(void* o, const void* x, int64_t sx, int64_t n) { un_row<F, T>(o, x, sx, n); }
template <class F, class T>
PX_TARGET_AVX512 void un_avx512(void* o, const void* x, int64_t sx, int64_t n) { un_row<F, T>(o, x, sx, n); }

template <class F, class T>
UnRow pick() {
  switch (g_isa) {
    case Isa::Avx512: return un_avx512<F, T>;
    case Isa::Avx2: return un_avx2<F, T>;
    default: return un_portable<F, T>;
  }
}

// float32 rows through a vmath kernel; strided rows are gathered into a small buffer first.
template <void (*K)(float*, const float*, int64_t)>
void vm_row(void* out, const void* xv, int64_t sx, int64_t n) {
  float* o = static_cast<float*>(out);
  const float* x = static_cast<const float*>(xv);
  if (sx == 1) {
    K(o, x, n);
    return;
  }
  float buf[256];
  for (int64_t i = 0; i < n; i += 256) {
    int64_t m = n - i < 256 ? n - i : 256;
    for (int64_t j = 0; j < m; j++) buf[j] = x[(i + j) * sx];
    K(o + i, buf, m);
  }
}

template <class T>
UnRow float_row(int op) {
  const bool f32 = sizeof(T) == 4;
  switch (op) {
    case U_NEG: return pick<UNeg<T>, T>();
    case U_ABS: return pick<UAbs<T>, T>();
    case U_SIGN: return pick<USign<T>, T>();
    case U_EXP: return f32 ? vm_row<exp_f32> : pick<UExp<T>, T>();
    case U_LOG: return f32 ? vm_row<log_f32> : pick<ULog<T>, T>();
    case U_LOG1P: return pick<ULog1p<T>, T>();
    case U_EXPM1: return pick<UExpm1<T>, T>();
    case U_SQRT: return pick<USqrt<T>, T>();
    case U_RSQRT: return pick<URsqrt<T>, T>();
    case U_SIN: return pick<USin<T>, T>();
    case U_COS: return pick<UCos<T>, T>();
    case U_TANH: return f32 ? vm_row<tanh_f32> : pick<UTanh<T>, T>();
    case U_SIGMOID: return f32 ? vm_row<sigmoid_f32> : pick<USigmoid<T>, T>();
    case U_ERF: return f32 ? vm_row<erf_f32> : pick<UErf<T>, T>();
    case U_FLOOR: return pick<UFloor<T>, T>();
    case U_CEIL: return pick<UCeil<T>, T>();
    default: return pick<URound<T>, T>();
  }
}

template <class T>
UnRow int_row(int op) {
  switch (op) {
    case U_NEG: return pick<ViaDouble<UNeg, T>, T>();
    case U_ABS: return pick<ViaDouble<UAbs, T>, T>();
    case U_SIGN: return pick<ViaDouble<USign, T>, T>();
    case U_EXP: return pick<ViaDouble<UExp, T>, T>();
    case U_LOG: return pick<ViaDouble<ULog, T>, T>();
    case U_LOG1P: return pick<ViaDouble<ULog1p, T>, T>();
    case U_EXPM1: return pick<ViaDouble<UExpm1, T>, T>();
    case U_SQRT: return pick<ViaDouble<USqrt, T>, T>();
    case U_RSQRT: return pick<ViaDouble<URsqrt, T>, T>();
    case U_SIN: return pick<ViaDouble<USin, T>, T>();
    case U_COS: return pick<ViaDouble<UCos, T>, T>();
    case U_TANH: return pick<ViaDouble<UTanh, T>, T>();
    case U_SIGMOID: return pick<ViaDouble<USigmoid, T>, T>();
    case U_ERF: return pick<ViaDouble<UErf, T>, T>();
    case U_FLOOR: return pick<ViaDouble<UFloor, T>, T>();
    case U_CEIL: return pick<ViaDouble<UCeil, T>, T>();
    default: return pick<ViaDouble<URound, T>, T>();
  }
}

UnRow unary_row(int op, DType dt) {
  switch (dt) {
    case DType::F32: return float_row<float>(op);
    case DType::F64: return float_row<double>(op);
    case DType::I32:
      if (op == U_NEG) return pick<INeg, int32_t>();
      if (op == U_ABS) return pick<IAbs, int32_t>();
      if (op == U_SIGN) return pick<ISign, int32_t>();
      return int_row<int32_t>(op);
    default: return int_row<uint8_t>(op);
  }
}

}  // namespace

UnRow kernel_unary(int op, DType dtype) { return unary_row(op, dtype); }

napi_value op_unary(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "unary";
  int code = static_cast<int>(arg_int(env, argv[0], 0, NUM_UNARY - 1, op, "op code"));
  Handle* x = unwrap_lazy(env, argv[1], ctx, op);
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[2], shape, op);
  check_out_shape(rank, shape, x->rank, x->shape, op);
  Handle* ins[1] = {x};
  if (want_lazy(ins, 1, x->size)) {
    Expr* in[1] = {expr_of(x)};
    return wrap_handle(env, new_lazy(ctx, expr_node(ExprOp::Unary, code, x->dtype, rank, shape, in, 1)));
  }
  materialize(x);
  Handle* out = new_handle(ctx, x->dtype, rank, shape, op);
  if (out->size > 0) {
    UnRow row = unary_row(code, x->dtype);
    size_t e = dtype_size(x->dtype);
    const int64_t* strides[2] = {out->strides, x->strides};
    Walk<2> w = make_walk<2>(rank, shape, strides);
    char* o = out->raw();
    const char* px = x->raw();
    int64_t n = out->size;
    parallel_for(n, threads_for(n, GRAIN), 64, [&](int64_t b, int64_t end) {
      int64_t zero[2] = {0, 0};
      walk_range<2>(w, b, end, zero, [&](const int64_t* off, int64_t len) {
        row(o + off[0] * e, px + off[1] * e, w.inner_stride(1), len);
      });
    });
  }
  return wrap_handle(env, out);
}

}  // namespace px
