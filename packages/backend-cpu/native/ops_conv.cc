// conv2d and convTranspose2d on [N, C, H, W] through the GEMM kernels.
//   conv2d:          per image and group, im2col into [C/g·kH·kW, oH·oW] and
//                    out[n, group] = W_g [O/g, C/g·kH·kW] · cols.
//   convTranspose2d: per image and group, cols = W_gᵀ · x_g (W_g read transposed, no copy), then
//                    col2im adds each column into the output window it came from.
//   conv2dWeightGrad: one product over the whole batch with the input read channels-last
//                    (conv_weight_grad.cc), or for depthwise-like groups, per image and group,
//                    im2col of x and dW_gᵀ [C/g·kH·kW, O/g] += cols · g_gᵀ (g read transposed).
// Images are spread over threads (each with its own column buffer); a single image uses the
// threads inside the GEMM instead. Stride-1 convolutions (and so stride-1 transposed ones, as
// convolutions with the flipped weight) skip im2col: conv_stride1.cc reads the image in place.
#include <cstring>
#include <string>
#include <vector>

#include "alloc.h"
#include "args.h"
#include "conv.h"
#include "gemm.h"
#include "movement.h"
#include "ops.h"
#include "threadpool.h"

namespace px {
namespace {

// cols[(c·kh + i)·kw + j][oh·oW + ow] = x[c][oh·sh − ph + i·dh][ow·sw − pw + j·dw] (0 outside);
// rows of cols are `ld` apart (several images' columns lie side by side).
template <class T>
void im2col(const T* x, int64_t C, int64_t H, int64_t W, const Conv& p, T* cols, int64_t ld) {
  for (int64_t c = 0; c < C; c++) {
    for (int64_t i = 0; i < p.kh; i++) {
      for (int64_t j = 0; j < p.kw; j++) {
        T* row = cols + ((c * p.kh + i) * p.kw + j) * ld;
        for (int64_t oh = 0; oh < p.oH; oh++) {
          T* r = row + oh * p.oW;
          int64_t ih = oh * p.sh - p.ph + i * p.dh;
          if (ih < 0 || ih >= H) {
            std::memset(r, 0, p.oW * sizeof(T));
            continue;
          }
          const T* xr = x + (c * H + ih) * W;
          int64_t off = j * p.dw - p.pw;
          if (p.sw == 1) {
            // Valid ow: 0 <= ow + off < W.
            int64_t lo = off < 0 ? -off : 0, hi = W - off < p.oW ? W - off : p.oW;
            if (hi < lo) hi = lo;
            // Short runs (a row of a small image): a plain loop beats a memcpy call.
            for (int64_t ow = 0; ow < lo && ow < p.oW; ow++) r[ow] = 0;
            const T* src = xr + off;
            for (int64_t ow = lo; ow < hi; ow++) r[ow] = src[ow];
            for (int64_t ow = hi > lo ? hi : lo; ow < p.oW; ow++) r[ow] = 0;
          } else {
            for (int64_t ow = 0; ow < p.oW; ow++) {
              int64_t iw = ow * p.sw + off;
              r[ow] = iw >= 0 && iw < W ? xr[iw] : T(0);
            }
          }
        }
      }
    }
  }
}

// The inverse scatter of im2col: out[o][h·sh − ph + i·dh][w·sw − pw + j·dw] += cols[(o·kh + i)·kw + j][h·W + w],
// rows of cols `ld` apart.
template <class T>
void col2im(const T* cols, int64_t ld, int64_t O, int64_t H, int64_t W, const Conv& p, int64_t outH, int64_t outW, T* out) {
  for (int64_t o = 0; o < O; o++) {
    T* plane = out + o * outH * outW;
    for (int64_t i = 0; i < p.kh; i++) {
      for (int64_t j = 0; j < p.kw; j++) {
        const T* row = cols + ((o * p.kh + i) * p.kw + j) * ld;
        for (int64_t h = 0; h < H; h++) {
          int64_t oh = h * p.sh - p.ph + i * p.dh;
          if (oh < 0 || oh >= outH) continue;
          T* orow = plane + oh * outW;
          const T* r = row + h * W;
          for (int64_t w = 0; w < W; w++) {
            int64_t ow = w * p.sw - p.pw + j * p.dw;
            if (ow >= 0 && ow < outW) orow[ow] += r[w];
          }
        }
      }
    }
  }
}

template <class T>
void add_bias(T* out, const T* bias, int64_t bias_stride, int64_t O, int64_t P) {
  for (int64_t o = 0; o < O; o++) {
    T b = bias[o * bias_stride];
    T* r = out + o * P;
    for (int64_t i = 0; i < P; i++) r[i] += b;
  }
}

// Images per GEMM: as many as keep the GEMM's operands within a core's L2 cache (at least one).
int64_t images_per_batch(int64_t n, int64_t per_image_elems, size_t elem) {
  int64_t nb = static_cast<int64_t>((512u << 10) / (static_cast<size_t>(per_image_elems > 0 ? per_image_elems : 1) * elem));
  return nb < 1 ? 1 : nb > n ? n : nb;
}

// Small batches of images: their im2col columns side by side, [C/g·kH·kW, nb·oH·oW], one GEMM per
// group and batch (operands stay in L2), then each image's rows copied out. Threads take whole
// batches when there are enough of them, else share each GEMM.
template <class T>
void conv2d_run(const Conv& p, const T* x, const T* w, const T* bias, int64_t bias_stride, T* out) {
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups;
  const int64_t K = Cg * p.kh * p.kw, P = p.oH * p.oW;
  const int64_t nb = images_per_batch(p.N, (K + Og) * P, sizeof(T));
  const int64_t batches = (p.N + nb - 1) / nb;
  int nt = threads_for(p.N * p.O * P * K, GEMM_PARALLEL_MIN);
  const bool per_batch = batches >= 2 * nt;
  const int slots = per_batch ? nt : 1;
  Scratch<T> scratch(slots, (K + Og) * nb * P);
  auto batch = [&](int64_t n0, T* cols, int gemm_threads) {
    T* res = cols + K * nb * P;
    const int64_t cnt = p.N - n0 < nb ? p.N - n0 : nb;
    const int64_t ld = cnt * P;
    for (int64_t g = 0; g < p.groups; g++) {
      for (int64_t i = 0; i < cnt; i++) im2col(x + ((n0 + i) * p.C + g * Cg) * p.H * p.W, Cg, p.H, p.W, p, cols + i * P, ld);
      gemm<T>(Og, ld, K, MatRef<T>{w + g * Og * K, K, 1}, MatRef<T>{cols, ld, 1}, res, ld, false, gemm_threads);
      for (int64_t i = 0; i < cnt; i++) {
        for (int64_t o = 0; o < Og; o++) {
          T* dst = out + ((n0 + i) * p.O + g * Og + o) * P;
          std::memcpy(dst, res + o * ld + i * P, P * sizeof(T));
          if (bias) {
            const T bv = bias[(g * Og + o) * bias_stride];
            for (int64_t q = 0; q < P; q++) dst[q] += bv;
          }
        }
      }
    }
  };
  if (per_batch) {
    parallel_chunks(batches, nt, [&](int64_t b, int slot) { batch(b * nb, scratch.p + static_cast<int64_t>(slot) * (K + Og) * nb * P, 1); });
  } else {
    for (int64_t b = 0; b < batches; b++) batch(b * nb, scratch.p, nt);
  }
}

// Small batches of images: x gathered as [C/g, nb·H·W], cols = W_gᵀ · x in one GEMM per group and
// batch, then col2im of each image's columns into its output.
template <class T>
void conv_transpose2d_run(const Conv& p, const T* x, const T* w, const T* bias, int64_t bias_stride, T* out, int64_t outH,
                          int64_t outW) {
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups;
  const int64_t R = Og * p.kh * p.kw, HW = p.H * p.W, P = outH * outW;
  const int64_t nb = images_per_batch(p.N, (R + Cg) * HW, sizeof(T));
  const int64_t batches = (p.N + nb - 1) / nb;
  int nt = threads_for(p.N * p.C * R * HW, GEMM_PARALLEL_MIN);
  const bool per_batch = batches >= 2 * nt;
  const int slots = per_batch ? nt : 1;
  Scratch<T> scratch(slots, (R + Cg) * nb * HW);
  auto batch = [&](int64_t n0, T* cols, int gemm_threads) {
    T* xs = cols + R * nb * HW;
    const int64_t cnt = p.N - n0 < nb ? p.N - n0 : nb;
    const int64_t ld = cnt * HW;
    std::memset(out + n0 * p.O * P, 0, cnt * p.O * P * sizeof(T));
    for (int64_t g = 0; g < p.groups; g++) {
      for (int64_t c = 0; c < Cg; c++)
        for (int64_t i = 0; i < cnt; i++) std::memcpy(xs + c * ld + i * HW, x + ((n0 + i) * p.C + g * Cg + c) * HW, HW * sizeof(T));
      // W_g is [Cg, R] row-major; its transpose [R, Cg] is read with strides (1, R).
      gemm<T>(R, ld, Cg, MatRef<T>{w + g * Cg * R, 1, R}, MatRef<T>{xs, ld, 1}, cols, ld, false, gemm_threads);
      for (int64_t i = 0; i < cnt; i++) col2im(cols + i * HW, ld, Og, p.H, p.W, p, outH, outW, out + ((n0 + i) * p.O + g * Og) * P);
    }
    if (bias)
      for (int64_t i = 0; i < cnt; i++) add_bias(out + (n0 + i) * p.O * P, bias, bias_stride, p.O, P);
  };
  if (per_batch) {
    parallel_chunks(batches, nt, [&](int64_t b, int slot) { batch(b * nb, scratch.p + static_cast<int64_t>(slot) * (R + Cg) * nb * HW, 1); });
  } else {
    for (int64_t b = 0; b < batches; b++) batch(b * nb, scratch.p, nt);
  }
}

// The weight gradient: per image and group, dWᵀ [K, O/g] += cols · gᵀ (the transposed form keeps
// the im2col columns the GEMM's row-major A operand), over the batch by weight_grad_over_batch.
template <class T>
void conv2d_weight_grad_run(const Conv& p, const T* x, const T* g, T* out) {
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups;
  const int64_t K = Cg * p.kh * p.kw, P = p.oH * p.oW;
  const int nt = threads_for(p.N * p.O * P * K, GEMM_PARALLEL_MIN);
  auto image = [&](int64_t n, T* cols, T* acc, int gemm_threads) {
    for (int64_t grp = 0; grp < p.groups; grp++) {
      im2col(x + (n * p.C + grp * Cg) * p.H * p.W, Cg, p.H, p.W, p, cols, P);
      // g_n,grp is [Og, P] row-major; its transpose [P, Og] is read with strides (1, P).
      gemm<T>(K, Og, P, MatRef<T>{cols, P, 1}, MatRef<T>{g + (n * p.O + grp * Og) * P, 1, P}, acc + grp * K * Og, Og, true,
              gemm_threads);
    }
  };
  weight_grad_over_batch<T>(p, K, nt, K * P, image, out);
}

// int32 convolutions (rare: no GEMM), with two's-complement wrap like every int32 op.
void conv2d_int(const Conv& p, const int32_t* x, const int32_t* w, const int32_t* bias, int64_t bs, int32_t* out) {
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups;
  for (int64_t n = 0; n < p.N; n++)
    for (int64_t o = 0; o < p.O; o++) {
      const int64_t g = o / Og;
      for (int64_t oh = 0; oh < p.oH; oh++)
        for (int64_t ow = 0; ow < p.oW; ow++) {
          uint32_t acc = bias ? static_cast<uint32_t>(bias[o * bs]) : 0u;
          for (int64_t c = 0; c < Cg; c++)
            for (int64_t i = 0; i < p.kh; i++) {
              int64_t ih = oh * p.sh - p.ph + i * p.dh;
              if (ih < 0 || ih >= p.H) continue;
              for (int64_t j = 0; j < p.kw; j++) {
                int64_t iw = ow * p.sw - p.pw + j * p.dw;
                if (iw < 0 || iw >= p.W) continue;
                acc += static_cast<uint32_t>(x[((n * p.C + g * Cg + c) * p.H + ih) * p.W + iw]) *
                       static_cast<uint32_t>(w[((o * Cg + c) * p.kh + i) * p.kw + j]);
              }
            }
          out[((n * p.O + o) * p.oH + oh) * p.oW + ow] = static_cast<int32_t>(acc);
        }
    }
}

void conv_transpose2d_int(const Conv& p, const int32_t* x, const int32_t* w, const int32_t* bias, int64_t bs, int32_t* out,
                          int64_t outH, int64_t outW) {
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups;
  std::vector<uint32_t> acc(static_cast<size_t>(p.O * outH * outW));
  for (int64_t n = 0; n < p.N; n++) {
    for (int64_t o = 0; o < p.O; o++)
      for (int64_t q = 0; q < outH * outW; q++) acc[o * outH * outW + q] = bias ? static_cast<uint32_t>(bias[o * bs]) : 0u;
    for (int64_t c = 0; c < p.C; c++) {
      const int64_t g = c / Cg;
      for (int64_t h = 0; h < p.H; h++)
        for (int64_t wi = 0; wi < p.W; wi++) {
          uint32_t v = static_cast<uint32_t>(x[((n * p.C + c) * p.H + h) * p.W + wi]);
          for (int64_t og = 0; og < Og; og++)
            for (int64_t i = 0; i < p.kh; i++) {
              int64_t oh = h * p.sh - p.ph + i * p.dh;
              if (oh < 0 || oh >= outH) continue;
              for (int64_t j = 0; j < p.kw; j++) {
                int64_t ow = wi * p.sw - p.pw + j * p.dw;
                if (ow < 0 || ow >= outW) continue;
                acc[((g * Og + og) * outH + oh) * outW + ow] += v * static_cast<uint32_t>(w[((c * Og + og) * p.kh + i) * p.kw + j]);
              }
            }
        }
    }
    for (int64_t q = 0; q < p.O * outH * outW; q++) out[n * p.O * outH * outW + q] = static_cast<int32_t>(acc[q]);
  }
}

// A stride-1 convTranspose2d is the convolution of x with its weight flipped in space and
// transposed per group, padded by dilation·(kernel − 1) − padding: the equivalent Conv (when that
// padding is not negative and no outputPadding is asked for) and the flipped weight.
bool transpose_as_conv(const Conv& p, int64_t oph, int64_t opw, int64_t outH, int64_t outW, Conv* q) {
  if (p.sh != 1 || p.sw != 1 || oph != 0 || opw != 0 || p.ph > p.dh * (p.kh - 1) || p.pw > p.dw * (p.kw - 1)) return false;
  *q = Conv{p.N, p.C, p.H, p.W, p.O, p.kh, p.kw, 1, 1, p.dh * (p.kh - 1) - p.ph, p.dw * (p.kw - 1) - p.pw, p.dh, p.dw, p.groups, outH, outW};
  return true;
}

// w [C, O/g, kh, kw] (convTranspose2d's layout) into wf [O, C/g, kh, kw], flipped in space.
template <class T>
void flip_transpose_weight(const Conv& p, const T* w, T* wf) {
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups, taps = p.kh * p.kw;
  for (int64_t grp = 0; grp < p.groups; grp++)
    for (int64_t o = 0; o < Og; o++)
      for (int64_t c = 0; c < Cg; c++) {
        const T* src = w + ((grp * Cg + c) * Og + o) * taps;
        T* dst = wf + ((grp * Og + o) * Cg + c) * taps;
        for (int64_t t = 0; t < taps; t++) dst[t] = src[taps - 1 - t];
      }
}

template <class T>
void conv_transpose2d_float(const Conv& p, int64_t oph, int64_t opw, const T* x, const T* w, const T* bias, int64_t bs, T* out,
                            int64_t outH, int64_t outW) {
  Conv q;
  if (transpose_as_conv(p, oph, opw, outH, outW, &q)) {
    Scratch<T> wf(1, p.C * (p.O / p.groups) * p.kh * p.kw);
    flip_transpose_weight(p, w, wf.p);
    conv2d_stride1<T>(q, x, wf.p, bias, bs, out);
  } else {
    conv_transpose2d_run<T>(p, x, w, bias, bs, out, outH, outW);
  }
}

// Shared argument checks; returns the (dense) input, weight and optional bias.
struct ConvArgs {
  Handle* x;
  Handle* w;
  Handle* bias;
  int64_t prm[9];
};

ConvArgs conv_args(napi_env env, napi_value* argv, Context* ctx, const char* op, int nparams) {
  ConvArgs a;
  a.x = unwrap_handle(env, argv[0], ctx, op);
  a.w = unwrap_handle(env, argv[1], ctx, op);
  a.bias = arg_is_nullish(env, argv[2]) ? nullptr : unwrap_handle(env, argv[2], ctx, op);
  // Bounded so that output sizes computed from them cannot overflow.
  if (arg_int_list(env, argv[3], a.prm, 9, 0, int64_t(1) << 24, op, "params") != nparams) fail(ErrKind::Argument, std::string(op) + ": expected " + std::to_string(nparams) + " params");
  if (a.x->dtype == DType::BOOL) fail(ErrKind::DType, std::string(op) + ": expected a float32, float64 or int32 input, got bool");
  if (a.w->dtype != a.x->dtype || (a.bias && a.bias->dtype != a.x->dtype)) fail(ErrKind::DType, std::string(op) + ": weight and bias must have the input's dtype");
  if (a.x->rank != 4) fail(ErrKind::Shape, std::string(op) + ": expected input [N, C, H, W], got " + fmt_shape(a.x->rank, a.x->shape));
  if (a.w->rank != 4) fail(ErrKind::Shape, std::string(op) + ": expected a 4-D weight, got " + fmt_shape(a.w->rank, a.w->shape));
  for (int i = 0; i < 2; i++)
    if (a.prm[i] < 1 || a.prm[4 + i] < 1) fail(ErrKind::Argument, std::string(op) + ": stride and dilation must be positive");
  if (a.prm[6] < 1) fail(ErrKind::Argument, std::string(op) + ": groups must be positive");
  return a;
}

}  // namespace

napi_value op_conv2d(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "conv2d";
  ConvArgs a = conv_args(env, argv, ctx, op, 7);
  Conv p{a.x->shape[0], a.x->shape[1], a.x->shape[2], a.x->shape[3], a.w->shape[0], a.w->shape[2], a.w->shape[3],
         a.prm[0], a.prm[1], a.prm[2], a.prm[3], a.prm[4], a.prm[5], a.prm[6], 0, 0};
  if (p.C != a.w->shape[1] * p.groups || p.O % p.groups != 0) {
    fail(ErrKind::Shape, "conv2d: input " + fmt_shape(4, a.x->shape) + " with groups=" + std::to_string(p.groups) + " does not fit weight " + fmt_shape(4, a.w->shape));
  }
  if (a.bias && (a.bias->rank != 1 || a.bias->shape[0] != p.O)) fail(ErrKind::Shape, "conv2d: bias must be [" + std::to_string(p.O) + "], got " + fmt_shape(a.bias->rank, a.bias->shape));
  int64_t eh = p.H + 2 * p.ph - p.dh * (p.kh - 1) - 1, ew = p.W + 2 * p.pw - p.dw * (p.kw - 1) - 1;
  if (eh < 0 || ew < 0) fail(ErrKind::Shape, "conv2d: the kernel is larger than the padded input " + fmt_shape(4, a.x->shape));
  p.oH = eh / p.sh + 1;
  p.oW = ew / p.sw + 1;
  int64_t want[4] = {p.N, p.O, p.oH, p.oW}, shape[MAX_RANK];
  int rank = arg_shape(env, argv[4], shape, op);
  check_out_shape(rank, shape, 4, want, op);
  Handle* out = new_handle(ctx, a.x->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    bool ox = false, ow = false;
    const Handle* x = dense_input(ctx, a.x, &ox, op);
    const Handle* w = dense_input(ctx, a.w, &ow, op);
    int64_t bs = a.bias ? a.bias->strides[0] : 0;
    const bool stride1 = conv_stride1_fits(p);
    if (x->dtype == DType::F32) (stride1 ? conv2d_stride1<float> : conv2d_run<float>)(p, x->data<float>(), w->data<float>(), a.bias ? a.bias->data<float>() : nullptr, bs, out->data<float>());
    else if (x->dtype == DType::I32) conv2d_int(p, x->data<int32_t>(), w->data<int32_t>(), a.bias ? a.bias->data<int32_t>() : nullptr, bs, out->data<int32_t>());
    else (stride1 ? conv2d_stride1<double> : conv2d_run<double>)(p, x->data<double>(), w->data<double>(), a.bias ? a.bias->data<double>() : nullptr, bs, out->data<double>());
    if (ox) free_unwrapped(const_cast<Handle*>(x));
    if (ow) free_unwrapped(const_cast<Handle*>(w));
  }
  return wrap_handle(env, guard.release());
}

napi_value op_conv_transpose2d(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "convTranspose2d";
  ConvArgs a = conv_args(env, argv, ctx, op, 9);
  const int64_t g = a.prm[6];
  Conv p{a.x->shape[0], a.x->shape[1], a.x->shape[2], a.x->shape[3], a.w->shape[1] * g, a.w->shape[2], a.w->shape[3],
         a.prm[0], a.prm[1], a.prm[2], a.prm[3], a.prm[4], a.prm[5], g, 0, 0};
  const int64_t oph = a.prm[7], opw = a.prm[8];
  if (a.w->shape[0] != p.C || p.C % g != 0) {
    fail(ErrKind::Shape, "convTranspose2d: input " + fmt_shape(4, a.x->shape) + " with groups=" + std::to_string(g) + " does not fit weight " + fmt_shape(4, a.w->shape));
  }
  if (a.bias && (a.bias->rank != 1 || a.bias->shape[0] != p.O)) fail(ErrKind::Shape, "convTranspose2d: bias must be [" + std::to_string(p.O) + "], got " + fmt_shape(a.bias->rank, a.bias->shape));
  if ((oph >= p.sh && oph >= p.dh) || (opw >= p.sw && opw >= p.dw)) fail(ErrKind::Argument, "convTranspose2d: outputPadding must be smaller than stride or dilation");
  int64_t outH = (p.H - 1) * p.sh - 2 * p.ph + p.dh * (p.kh - 1) + oph + 1;
  int64_t outW = (p.W - 1) * p.sw - 2 * p.pw + p.dw * (p.kw - 1) + opw + 1;
  if (p.H < 1 || p.W < 1 || outH < 1 || outW < 1) fail(ErrKind::Shape, "convTranspose2d: no output for input " + fmt_shape(4, a.x->shape));
  int64_t want[4] = {p.N, p.O, outH, outW}, shape[MAX_RANK];
  int rank = arg_shape(env, argv[4], shape, op);
  check_out_shape(rank, shape, 4, want, op);
  Handle* out = new_handle(ctx, a.x->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    bool ox = false, ow = false;
    const Handle* x = dense_input(ctx, a.x, &ox, op);
    const Handle* w = dense_input(ctx, a.w, &ow, op);
    int64_t bs = a.bias ? a.bias->strides[0] : 0;
    if (x->dtype == DType::F32) conv_transpose2d_float<float>(p, oph, opw, x->data<float>(), w->data<float>(), a.bias ? a.bias->data<float>() : nullptr, bs, out->data<float>(), outH, outW);
    else if (x->dtype == DType::I32) conv_transpose2d_int(p, x->data<int32_t>(), w->data<int32_t>(), a.bias ? a.bias->data<int32_t>() : nullptr, bs, out->data<int32_t>(), outH, outW);
    else conv_transpose2d_float<double>(p, oph, opw, x->data<double>(), w->data<double>(), a.bias ? a.bias->data<double>() : nullptr, bs, out->data<double>(), outH, outW);
    if (ox) free_unwrapped(const_cast<Handle*>(x));
    if (ow) free_unwrapped(const_cast<Handle*>(w));
  }
  return wrap_handle(env, guard.release());
}

napi_value op_conv2d_weight_grad(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "conv2dWeightGrad";
  Handle* xin = unwrap_handle(env, argv[0], ctx, op);
  Handle* gin = unwrap_handle(env, argv[1], ctx, op);
  int64_t prm[9];
  if (arg_int_list(env, argv[2], prm, 9, 0, int64_t(1) << 24, op, "params") != 9) fail(ErrKind::Argument, "conv2dWeightGrad: params must be [sH, sW, pH, pW, dH, dW, groups, kH, kW]");
  if (!is_float(xin->dtype) || gin->dtype != xin->dtype) fail(ErrKind::DType, std::string(op) + ": expected float32 or float64 input and gradOutput of one dtype, got " + dtype_name(xin->dtype) + " and " + dtype_name(gin->dtype));
  if (xin->rank != 4 || gin->rank != 4) fail(ErrKind::Shape, std::string(op) + ": expected input [N, C, H, W] and gradOutput [N, O, oH, oW], got " + fmt_shape(xin->rank, xin->shape) + " and " + fmt_shape(gin->rank, gin->shape));
  for (int i = 0; i < 2; i++)
    if (prm[i] < 1 || prm[4 + i] < 1 || prm[7 + i] < 1) fail(ErrKind::Argument, std::string(op) + ": stride, dilation and kernel must be positive");
  Conv p{xin->shape[0], xin->shape[1], xin->shape[2], xin->shape[3], gin->shape[1], prm[7], prm[8],
         prm[0], prm[1], prm[2], prm[3], prm[4], prm[5], prm[6], gin->shape[2], gin->shape[3]};
  if (p.groups < 1 || gin->shape[0] != p.N || p.C % p.groups != 0 || p.O % p.groups != 0) {
    fail(ErrKind::Shape, "conv2dWeightGrad: input " + fmt_shape(4, xin->shape) + " and gradOutput " + fmt_shape(4, gin->shape) + " do not fit groups=" + std::to_string(p.groups));
  }
  // Only windows that exist may be asked for (fewer is fine: convTranspose2d's outputPadding).
  int64_t eh = p.H + 2 * p.ph - p.dh * (p.kh - 1) - 1, ew = p.W + 2 * p.pw - p.dw * (p.kw - 1) - 1;
  if (eh < 0 || ew < 0 || p.oH > eh / p.sh + 1 || p.oW > ew / p.sw + 1) {
    fail(ErrKind::Shape, "conv2dWeightGrad: gradOutput " + fmt_shape(4, gin->shape) + " does not fit the convolution of " + fmt_shape(4, xin->shape));
  }
  int64_t want[4] = {p.O, p.C / p.groups, p.kh, p.kw}, shape[MAX_RANK];
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, 4, want, op);
  Handle* out = new_handle(ctx, xin->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    if (p.N == 0 || p.oH == 0 || p.oW == 0) {
      std::memset(out->raw(), 0, out->size * dtype_size(out->dtype));
    } else {
      bool ox = false, og = false;
      const Handle* x = dense_input(ctx, xin, &ox, op);
      const Handle* g = dense_input(ctx, gin, &og, op);
      const bool batched = conv_weight_grad_batched_fits(p);
      if (x->dtype == DType::F32) (batched ? conv2d_weight_grad_batched<float> : conv2d_weight_grad_run<float>)(p, x->data<float>(), g->data<float>(), out->data<float>());
      else (batched ? conv2d_weight_grad_batched<double> : conv2d_weight_grad_run<double>)(p, x->data<double>(), g->data<double>(), out->data<double>());
      if (ox) free_unwrapped(const_cast<Handle*>(x));
      if (og) free_unwrapped(const_cast<Handle*>(g));
    }
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
