// maxPool2d / avgPool2d on [N, C, H, W], directly over each plane (no window tensor). Padding
// counts as -inf for max (the window max is then that of its real elements, NaN propagating) and
// as zeros for the average, which divides by the full kernel area (count_include_pad).
// Their input gradients (pool2dBackward) scatter each window's output gradient back: the max's
// evenly over the elements equal to the window max (the max reduction's rule, which the frontend's
// decomposition differentiates), the average's as g / area to every element.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "args.h"
#include "convert.h"
#include "lazy.h"
#include "movement.h"
#include "ops.h"
#include "pool_simd.h"
#include "threadpool.h"

namespace px {
namespace {

struct Span {
  int64_t lo, hi;
};

struct Pool {
  int64_t kh, kw, sh, sw, ph, pw;
  int64_t H, W, oH, oW;
  // The input rows / columns of output row oh / column ow's window, clipped to the padded-away edges.
  Span rows(int64_t oh) const { return clip(oh * sh - ph, kh, H); }
  Span cols(int64_t ow) const { return clip(ow * sw - pw, kw, W); }

 private:
  static Span clip(int64_t lo, int64_t k, int64_t n) { return {lo < 0 ? 0 : lo, lo + k > n ? n : lo + k}; }
};

template <class T>
void max_plane(const T* x, T* o, const Pool& p) {
  const T lowest = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
  for (int64_t oh = 0; oh < p.oH; oh++) {
    const auto [h0, h1] = p.rows(oh);
    for (int64_t ow = 0; ow < p.oW; ow++) {
      const auto [w0, w1] = p.cols(ow);
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
    const auto [h0, h1] = p.rows(oh);
    for (int64_t ow = 0; ow < p.oW; ow++) {
      const auto [w0, w1] = p.cols(ow);
      double s = 0;
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) s += x[h * p.W + w];
      o[oh * p.oW + ow] = static_cast<T>(s) / area;
    }
  }
}

// The larger of a and b, NaN if either is (as a select, which compiles without branches).
template <class T>
inline T nan_max(T a, T b) {
  return (a > b || a != a) ? a : b;
}

// The common 2×2, stride-2, unpadded pooling without bounds checks or data-dependent branches
// (the general loops below mispredict on random data). Rows/columns past 2·oH, 2·oW get no window.
template <class T>
void max_plane_2x2(const T* x, T* o, const Pool& p) {
  for (int64_t oh = 0; oh < p.oH; oh++) {
    const T* r0 = x + 2 * oh * p.W;
    const T* r1 = r0 + p.W;
    T* orow = o + oh * p.oW;
    for (int64_t ow = 0; ow < p.oW; ow++)
      orow[ow] = nan_max(nan_max(r0[2 * ow], r0[2 * ow + 1]), nan_max(r1[2 * ow], r1[2 * ow + 1]));
  }
}

template <class T>
void max_backward_plane_2x2(const T* x, const T* g, T* dx, const Pool& p) {
  if (p.H != 2 * p.oH || p.W != 2 * p.oW)
    for (int64_t i = 0; i < p.H * p.W; i++) dx[i] = 0;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  for (int64_t oh = 0; oh < p.oH; oh++) {
    const T* r0 = x + 2 * oh * p.W;
    const T* r1 = r0 + p.W;
    T* d0 = dx + 2 * oh * p.W;
    T* d1 = d0 + p.W;
    for (int64_t ow = 0; ow < p.oW; ow++) {
      const T a = r0[2 * ow], b = r0[2 * ow + 1], c = r1[2 * ow], d = r1[2 * ow + 1];
      const T m = nan_max(nan_max(a, b), nan_max(c, d));
      const bool is_nan = m != m;
      const int count = (a == m) + (b == m) + (c == m) + (d == m);
      // The decomposition's g·mask/count: a NaN max matches nothing and gives NaN everywhere.
      const T share = is_nan ? nan : g[oh * p.oW + ow] / static_cast<T>(count);
      d0[2 * ow] = (a == m || is_nan) ? share : T(0);
      d0[2 * ow + 1] = (b == m || is_nan) ? share : T(0);
      d1[2 * ow] = (c == m || is_nan) ? share : T(0);
      d1[2 * ow + 1] = (d == m || is_nan) ? share : T(0);
    }
  }
}

// The vector versions of the two functions above (float32 on AVX-512; see pool_simd.h). Other
// element types never get here: the callers test the dtype first.
template <class T>
void max_pool_2x2_plane_simd(const T* x, T* o, const Pool& p) {
#if PX_X86
  if constexpr (std::is_same_v<T, float>) max_pool_2x2_avx512(reinterpret_cast<const float*>(x), reinterpret_cast<float*>(o), p.oH, p.oW, p.W);
#endif
  (void)x, (void)o, (void)p;
}

template <class T>
void max_backward_plane_2x2_simd(const T* x, const T* g, T* dx, const Pool& p) {
  if (p.H != 2 * p.oH || p.W != 2 * p.oW)
    for (int64_t i = 0; i < p.H * p.W; i++) dx[i] = 0;
#if PX_X86
  if constexpr (std::is_same_v<T, float>)
    max_pool_2x2_backward_avx512(reinterpret_cast<const float*>(x), reinterpret_cast<const float*>(g), reinterpret_cast<float*>(dx), p.oH, p.oW, p.W);
#endif
  (void)x, (void)g, (void)p;
}

template <class T>
void max_backward_plane(const T* x, const T* g, T* dx, const Pool& p) {
  const T neg_inf = -std::numeric_limits<T>::infinity();
  for (int64_t i = 0; i < p.H * p.W; i++) dx[i] = 0;
  for (int64_t oh = 0; oh < p.oH; oh++) {
    const auto [h0, h1] = p.rows(oh);
    for (int64_t ow = 0; ow < p.oW; ow++) {
      const auto [w0, w1] = p.cols(ow);
      // Branch-free passes (a branch per element mispredicts on random data): the max, whether
      // a NaN is in the window, then the ties.
      T m = neg_inf;
      bool nan = false;
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) {
          const T v = x[h * p.W + w];
          nan |= v != v;
          m = v > m ? v : m;
        }
      const T go = g[oh * p.oW + ow];
      if (nan) {
        // A NaN max equals nothing: the decomposition's g·0/0 is NaN over the whole window.
        for (int64_t h = h0; h < h1; h++)
          for (int64_t w = w0; w < w1; w++) dx[h * p.W + w] += std::numeric_limits<T>::quiet_NaN();
        continue;
      }
      int64_t count = 0;
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) count += x[h * p.W + w] == m;
      // A window of -inf ties with its padding (also -inf), which takes its shares with it.
      if (m == neg_inf) count += p.kh * p.kw - (h1 - h0) * (w1 - w0);
      const T share = go / static_cast<T>(count);
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) dx[h * p.W + w] += x[h * p.W + w] == m ? share : T(0);
    }
  }
}

template <class T>
void avg_backward_plane(const T* g, T* dx, const Pool& p) {
  const T area = static_cast<T>(p.kh * p.kw);
  for (int64_t i = 0; i < p.H * p.W; i++) dx[i] = 0;
  for (int64_t oh = 0; oh < p.oH; oh++) {
    const auto [h0, h1] = p.rows(oh);
    for (int64_t ow = 0; ow < p.oW; ow++) {
      const auto [w0, w1] = p.cols(ow);
      const T share = g[oh * p.oW + ow] / area;
      for (int64_t h = h0; h < h1; h++)
        for (int64_t w = w0; w < w1; w++) dx[h * p.W + w] += share;
    }
  }
}

}  // namespace

napi_value op_pool2d(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "pool2d";
  bool is_max = arg_int(env, argv[0], 0, 1, op, "kind") == 0;
  Handle* xin = unwrap_lazy(env, argv[1], ctx, op);
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
    const int64_t planes = xin->shape[0] * xin->shape[1], plane = p.H * p.W;
    const int nt = threads_for(planes * p.oH * p.oW * p.kh * p.kw, 1 << 15);
    with_dtype(xin->dtype, [&](auto t) {
      using T = decltype(t);
      T* po = out->data<T>();
      const bool two = is_float(xin->dtype) && p.kh == 2 && p.kw == 2 && p.sh == 2 && p.sw == 2 && p.ph == 0 && p.pw == 0;
      const bool simd = std::is_same_v<T, float> && g_isa == Isa::Avx512;
      auto pool_plane = [&](const T* px, int64_t i) {
        if (is_max && two && simd) max_pool_2x2_plane_simd(px, po + i * p.oH * p.oW, p);
        else if (is_max && two) max_plane_2x2<T>(px, po + i * p.oH * p.oW, p);
        else if (is_max) max_plane<T>(px, po + i * p.oH * p.oW, p);
        else avg_plane<T>(px, po + i * p.oH * p.oW, p);
      };
      if (xin->expr && !xin->expr->st) {
        // A pending expression (the relu before the pool) is computed a plane at a time, each
        // pooled while it is still in cache, rather than all stored first and read back.
        materialize_with(xin, [&](const Program& prog, char* data) {
          const size_t scratch = scratch_bytes(prog);
          std::vector<char> buf(scratch * static_cast<size_t>(nt));
          T* px = reinterpret_cast<T*>(data);
          // Planes in groups of about 8K elements (32 KB of float32: L1-resident), as one run()
          // is worth a few hundred elements of setup.
          const int64_t per = std::max<int64_t>(1, 8192 / std::max<int64_t>(plane, 1));
          parallel_chunks((planes + per - 1) / per, nt, [&](int64_t c, int slot) {
            const int64_t i0 = c * per, i1 = std::min(planes, i0 + per);
            run(prog, i0 * plane, i1 * plane, px + i0 * plane, buf.data() + scratch * static_cast<size_t>(slot));
            for (int64_t i = i0; i < i1; i++) pool_plane(px + i * plane, i);
          });
        });
        return;
      }
      if (xin->expr) materialize(xin);
      bool owned = false;
      const Handle* x = dense_input(ctx, xin, &owned, op);
      const T* px = x->data<T>();
      parallel_for(planes, nt, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; i++) pool_plane(px + i * plane, i);
      });
      if (owned) free_unwrapped(const_cast<Handle*>(x));
    });
  }
  return wrap_handle(env, guard.release());
}

// (kind, x | null, g, params, shape): x is needed for max only; shape is the input's.
napi_value op_pool2d_backward(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "pool2dBackward";
  bool is_max = arg_int(env, argv[0], 0, 1, op, "kind") == 0;
  const char* name = is_max ? "maxPool2dBackward" : "avgPool2dBackward";
  Handle* xin = is_max ? unwrap_handle(env, argv[1], ctx, op) : nullptr;
  Handle* gin = unwrap_handle(env, argv[2], ctx, op);
  int64_t prm[6];
  if (arg_int_list(env, argv[3], prm, 6, 0, int64_t(1) << 24, op, "params") != 6) fail(ErrKind::Argument, std::string(name) + ": params must be [kH, kW, sH, sW, pH, pW]");
  if (prm[0] < 1 || prm[1] < 1 || prm[2] < 1 || prm[3] < 1) fail(ErrKind::Argument, std::string(name) + ": kernel and stride must be positive");
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[4], shape, op);
  if (rank != 4) fail(ErrKind::Shape, std::string(name) + ": expected an output [N, C, H, W], got " + fmt_shape(rank, shape));
  if (!is_float(gin->dtype) || (xin && xin->dtype != gin->dtype)) fail(ErrKind::DType, std::string(name) + ": expected float32 or float64 inputs of one dtype, got " + dtype_name(gin->dtype));
  if (xin) check_out_shape(rank, shape, xin->rank, xin->shape, name);
  Pool p{prm[0], prm[1], prm[2], prm[3], prm[4], prm[5], shape[2], shape[3], 0, 0};
  if (p.H + 2 * p.ph < p.kh || p.W + 2 * p.pw < p.kw) fail(ErrKind::Shape, std::string(name) + ": kernel is larger than the padded input " + fmt_shape(4, shape));
  p.oH = (p.H + 2 * p.ph - p.kh) / p.sh + 1;
  p.oW = (p.W + 2 * p.pw - p.kw) / p.sw + 1;
  int64_t want[4] = {shape[0], shape[1], p.oH, p.oW};
  if (gin->rank != 4 || gin->shape[0] != want[0] || gin->shape[1] != want[1] || gin->shape[2] != want[2] || gin->shape[3] != want[3]) {
    fail(ErrKind::Shape, std::string(name) + ": gradOutput must be " + fmt_shape(4, want) + ", got " + fmt_shape(gin->rank, gin->shape));
  }
  Handle* out = new_handle(ctx, gin->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    bool ox = false, og = false;
    const Handle* x = xin ? dense_input(ctx, xin, &ox, op) : nullptr;
    const Handle* g = dense_input(ctx, gin, &og, op);
    int64_t planes = shape[0] * shape[1];
    auto run = [&](auto t) {
      using T = decltype(t);
      const T* pg = g->data<T>();
      T* po = out->data<T>();
      const T* px = x ? x->data<T>() : nullptr;
      int nt = threads_for(planes * (p.H * p.W + p.oH * p.oW * p.kh * p.kw), 1 << 15);
      const bool two = p.kh == 2 && p.kw == 2 && p.sh == 2 && p.sw == 2 && p.ph == 0 && p.pw == 0;
      const bool simd = std::is_same_v<T, float> && g_isa == Isa::Avx512;
      parallel_for(planes, nt, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; i++) {
          if (is_max && two && simd) max_backward_plane_2x2_simd(px + i * p.H * p.W, pg + i * p.oH * p.oW, po + i * p.H * p.W, p);
          else if (is_max && two) max_backward_plane_2x2<T>(px + i * p.H * p.W, pg + i * p.oH * p.oW, po + i * p.H * p.W, p);
          else if (is_max) max_backward_plane<T>(px + i * p.H * p.W, pg + i * p.oH * p.oW, po + i * p.H * p.W, p);
          else avg_backward_plane<T>(pg + i * p.oH * p.oW, po + i * p.H * p.W, p);
        }
      });
    };
    if (g->dtype == DType::F32) run(float{});
    else run(double{});
    if (ox) free_unwrapped(const_cast<Handle*>(x));
    if (og) free_unwrapped(const_cast<Handle*>(g));
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
