// maxPool2d / avgPool2d on [N, C, H, W], directly over each plane (no window tensor). Padding
// counts as -inf for max (the window max is then that of its real elements, NaN propagating) and
// as zeros for the average, which divides by the full kernel area (count_include_pad).
#include <cmath>
#include <limits>
#include <string>

#include "args.h"
#include "convert.h"
#include "movement.h"
#include "ops.h"
#include "threadpool.h"

namespace px {
namespace {

struct Pool {
  int64_t kh, kw, sh, sw, ph, pw;
  int64_t H, W, oH, oW;
};

template <class T>
void max_plane(const T* x, T* o, const Pool& p) {
  const T lowest = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
  for (int64_t oh = 0; oh < p.oH; oh++) {
    int64_t h0 = oh * p.sh - p.ph, h1 = h0 + p.kh;
    if (h0 < 0) h0 = 0;
    if (h1 > p.H) h1 = p.H;
    for (int64_t ow = 0; ow < p.oW; ow++) {
      int64_t w0 = ow * p.sw - p.pw, w1 = w0 + p.kw;
      if (w0 < 0) w0 = 0;
      if (w1 > p.W) w1 = p.W;
      T m = lowest;
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) {
          T v = x[h * p.W + w];
          if (v > m || v != v) m = v;
        }
      o[oh * p.oW + ow] = m;
    }
  }
}

template <class T>
void avg_plane(const T* x, T* o, const Pool& p) {
  const T area = static_cast<T>(p.kh * p.kw);
  for (int64_t oh = 0; oh < p.oH; oh++) {
    int64_t h0 = oh * p.sh - p.ph, h1 = h0 + p.kh;
    if (h0 < 0) h0 = 0;
    if (h1 > p.H) h1 = p.H;
    for (int64_t ow = 0; ow < p.oW; ow++) {
      int64_t w0 = ow * p.sw - p.pw, w1 = w0 + p.kw;
      if (w0 < 0) w0 = 0;
      if (w1 > p.W) w1 = p.W;
      double s = 0;
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) s += x[h * p.W + w];
      o[oh * p.oW + ow] = static_cast<T>(s) / area;
    }
  }
}

}  // namespace

napi_value op_pool2d(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "pool2d";
  bool is_max = arg_int(env, argv[0], 0, 1, op, "kind") == 0;
  Handle* xin = unwrap_handle(env, argv[1], ctx, op);
  int64_t prm[6];
  if (arg_int_list(env, argv[2], prm, 6, 0, int64_t(1) << 24, op, "params") != 6) fail(ErrKind::Argument, "pool2d: params must be [kH, kW, sH, sW, pH, pW]");
  const char* name = is_max ? "maxPool2d" : "avgPool2d";
  if (xin->rank != 4) fail(ErrKind::Shape, std::string(name) + ": expected input [N, C, H, W], got " + fmt_shape(xin->rank, xin->shape));
  if (prm[0] < 1 || prm[1] < 1 || prm[2] < 1 || prm[3] < 1) fail(ErrKind::Argument, std::string(name) + ": kernel and stride must be positive");
  if (xin->dtype == DType::BOOL || (!is_max && !is_float(xin->dtype))) fail(ErrKind::DType, std::string(name) + ": unsupported dtype " + dtype_name(xin->dtype));
  Pool p{prm[0], prm[1], prm[2], prm[3], prm[4], prm[5], xin->shape[2], xin->shape[3], 0, 0};
  if (p.H + 2 * p.ph < p.kh || p.W + 2 * p.pw < p.kw) fail(ErrKind::Shape, std::string(name) + ": kernel is larger than the padded input " + fmt_shape(4, xin->shape));
  p.oH = (p.H + 2 * p.ph - p.kh) / p.sh + 1;
  p.oW = (p.W + 2 * p.pw - p.kw) / p.sw + 1;
  int64_t want[4] = {xin->shape[0], xin->shape[1], p.oH, p.oW}, shape[MAX_RANK];
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, 4, want, name);
  Handle* out = new_handle(ctx, xin->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0 && (p.H == 0 || p.W == 0)) {
    // Windows of padding only: -inf (the lowest int32) for max, 0 for the average.
    with_dtype(xin->dtype, [&](auto t) {
      using T = decltype(t);
      const T v = !is_max ? T(0) : std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
      for (int64_t i = 0; i < out->size; i++) out->data<T>()[i] = v;
    });
  } else if (out->size > 0) {
    bool owned = false;
    const Handle* x = dense_input(ctx, xin, &owned, op);
    int64_t planes = xin->shape[0] * xin->shape[1];
    with_dtype(x->dtype, [&](auto t) {
      using T = decltype(t);
      const T* px = x->data<T>();
      T* po = out->data<T>();
      int nt = threads_for(planes * p.oH * p.oW * p.kh * p.kw, 1 << 15);
      parallel_for(planes, nt, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; i++) {
          if (is_max) max_plane<T>(px + i * p.H * p.W, po + i * p.oH * p.oW, p);
          else avg_plane<T>(px + i * p.H * p.W, po + i * p.oH * p.oW, p);
        }
      });
    });
    if (owned) free_unwrapped(const_cast<Handle*>(x));
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
