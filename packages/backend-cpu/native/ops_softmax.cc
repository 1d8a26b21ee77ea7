// softmax / logSoftmax / logsumexp over one axis, fused: one pass for the max, one for the sum of
// exps (SIMD exp for float32, sums in double), one for the output. Results follow the
// decomposition in @plexus/tensor exactly in the special cases: the shift is the row max, or 0
// when that max is not finite (so a row of -inf gives NaN / NaN / -inf, and NaN propagates).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "args.h"
#include "movement.h"
#include "ops.h"
#include "threadpool.h"
#include "vmath.h"

namespace px {
namespace {

enum SoftmaxKind { S_SOFTMAX = 0, S_LOG_SOFTMAX, S_LOGSUMEXP };

template <class T>
PX_INLINE T row_max(const T* x, int64_t n, int64_t s) {
  T m = -std::numeric_limits<T>::infinity();
  for (int64_t i = 0; i < n; i++) {
    T v = x[i * s];
    if (v > m || v != v) m = v;
    if (m != m) break;
  }
  return m;
}

// exp(x - shift) into e (contiguous), returns the sum in double.
PX_INLINE double exp_shifted(const float* x, int64_t n, float shift, float* e) {
  for (int64_t i = 0; i < n; i++) e[i] = x[i] - shift;
  exp_f32(e, e, n);
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += e[i];
  return s;
}
PX_INLINE double exp_shifted(const double* x, int64_t n, double shift, double* e) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) {
    e[i] = std::exp(x[i] - shift);
    s += e[i];
  }
  return s;
}

// Rows along the last axis (inner == 1): the common case (class scores).
template <class T>
void softmax_rows(int kind, const T* x, int64_t rows, int64_t len, T* out) {
  int nt = threads_for(rows * len, 1 << 13);
  parallel_for(rows, nt, 1, [&](int64_t b, int64_t e) {
    std::vector<T> tmp(kind == S_LOGSUMEXP || kind == S_LOG_SOFTMAX ? static_cast<size_t>(len) : 0);
    for (int64_t r = b; r < e; r++) {
      const T* xr = x + r * len;
      T m = row_max(xr, len, 1);
      T shift = std::isfinite(m) ? m : T(0);
      if (kind == S_SOFTMAX) {
        T* o = out + r * len;
        T s = static_cast<T>(exp_shifted(xr, len, shift, o));
        for (int64_t i = 0; i < len; i++) o[i] = o[i] / s;
      } else {
        T s = static_cast<T>(exp_shifted(xr, len, shift, tmp.data()));
        T ls = std::log(s);
        if (kind == S_LOGSUMEXP) {
          out[r] = ls + shift;
        } else {
          T* o = out + r * len;
          for (int64_t i = 0; i < len; i++) o[i] = (xr[i] - shift) - ls;
        }
      }
    }
  });
}

// A middle axis: [outer, len, inner], reduced along len for each of the inner columns.
template <class T>
void softmax_columns(int kind, const T* x, int64_t outer, int64_t len, int64_t inner, T* out) {
  int nt = threads_for(outer * len * inner, 1 << 13);
  parallel_for(outer, nt, 1, [&](int64_t b, int64_t e) {
    std::vector<T> shift(static_cast<size_t>(inner));
    std::vector<double> sum(static_cast<size_t>(inner));
    for (int64_t o = b; o < e; o++) {
      const T* xo = x + o * len * inner;
      for (int64_t j = 0; j < inner; j++) {
        T m = row_max(xo + j, len, inner);
        shift[j] = std::isfinite(m) ? m : T(0);
        sum[j] = 0;
      }
      for (int64_t k = 0; k < len; k++)
        for (int64_t j = 0; j < inner; j++) sum[j] += static_cast<T>(std::exp(static_cast<double>(xo[k * inner + j] - shift[j])));
      if (kind == S_LOGSUMEXP) {
        for (int64_t j = 0; j < inner; j++) out[o * inner + j] = std::log(static_cast<T>(sum[j])) + shift[j];
        continue;
      }
      T* oo = out + o * len * inner;
      for (int64_t k = 0; k < len; k++) {
        for (int64_t j = 0; j < inner; j++) {
          T d = xo[k * inner + j] - shift[j];
          T s = static_cast<T>(sum[j]);
          oo[k * inner + j] = kind == S_SOFTMAX ? static_cast<T>(std::exp(static_cast<double>(d))) / s : d - std::log(s);
        }
      }
    }
  });
}

}  // namespace

napi_value op_softmax(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "softmax";
  int kind = static_cast<int>(arg_int(env, argv[0], 0, 2, op, "kind"));
  Handle* xin = unwrap_handle(env, argv[1], ctx, op);
  if (!is_float(xin->dtype)) fail(ErrKind::DType, std::string("softmax: expected a float32 or float64 input, got ") + dtype_name(xin->dtype));
  int64_t axis = arg_int(env, argv[2], 0, xin->rank > 0 ? xin->rank - 1 : 0, op, "axis");
  int64_t want[MAX_RANK], shape[MAX_RANK];
  int wrank = 0;
  for (int d = 0; d < xin->rank; d++)
    if (kind != S_LOGSUMEXP || d != axis) want[wrank++] = xin->shape[d];
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, wrank, want, op);
  Handle* out = new_handle(ctx, xin->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    int64_t len = xin->rank == 0 ? 1 : xin->shape[axis], outer = 1, inner = 1;
    for (int d = 0; d < axis; d++) outer *= xin->shape[d];
    for (int d = static_cast<int>(axis) + 1; d < xin->rank; d++) inner *= xin->shape[d];
    if (len == 0) {
      // logsumexp over nothing: log(0) = -inf (softmax outputs are empty then).
      if (xin->dtype == DType::F32) for (int64_t i = 0; i < out->size; i++) out->data<float>()[i] = -std::numeric_limits<float>::infinity();
      else for (int64_t i = 0; i < out->size; i++) out->data<double>()[i] = -std::numeric_limits<double>::infinity();
    } else {
      bool owned = false;
      const Handle* x = dense_input(ctx, xin, &owned, op);
      if (x->dtype == DType::F32) {
        if (inner == 1) softmax_rows<float>(kind, x->data<float>(), outer, len, out->data<float>());
        else softmax_columns<float>(kind, x->data<float>(), outer, len, inner, out->data<float>());
      } else {
        if (inner == 1) softmax_rows<double>(kind, x->data<double>(), outer, len, out->data<double>());
        else softmax_columns<double>(kind, x->data<double>(), outer, len, inner, out->data<double>());
      }
      if (owned) free_unwrapped(const_cast<Handle*>(x));
    }
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
