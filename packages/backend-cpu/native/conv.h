// What the convolution kernels share: the geometry of one convolution and per-thread scratch.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "alloc.h"
#include "common.h"
#include "threadpool.h"

namespace px {

struct Conv {
  int64_t N, C, H, W;     // input
  int64_t O, kh, kw;      // output channels, kernel
  int64_t sh, sw, ph, pw, dh, dw, groups;
  int64_t oH, oW;         // output (conv2d) or input-side (convTranspose2d: H, W) spatial size
};

// Scratch per thread, allocated before the threads start (workers never allocate).
template <class T>
struct Scratch {
  T* p = nullptr;
  size_t bytes = 0;
  Scratch(int nt, int64_t per_thread) : bytes(static_cast<size_t>(nt) * static_cast<size_t>(per_thread > 0 ? per_thread : 1) * sizeof(T)) {
    p = static_cast<T*>(storage_alloc(bytes));
    if (!p) fail(ErrKind::Backend, "conv: out of memory for " + std::to_string(bytes) + " bytes of scratch");
  }
  ~Scratch() { storage_free(p, bytes); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// out [groups·Og, K] = the sum over `slots` per-thread accumulators of dWᵀ, each [groups, K, Og]
// at acc + s·stride: the last step of a weight gradient whose images were spread over threads.
template <class T>
void sum_transposed(const T* acc, int slots, int64_t stride, int64_t groups, int64_t K, int64_t Og, T* out) {
  for (int64_t grp = 0; grp < groups; grp++)
    for (int64_t o = 0; o < Og; o++)
      for (int64_t k = 0; k < K; k++) {
        T v = 0;
        for (int s = 0; s < slots; s++) v += acc[s * stride + (grp * K + k) * Og + o];
        out[(grp * Og + o) * K + k] = v;
      }
}

// A weight gradient's loop over the batch: image(n, work, acc, gemm_threads) adds image n's dWᵀ
// to acc [groups, K, O/g], with `work` (work_elems, zeroed once) as its scratch; then the
// accumulators are summed into out. The batch is cut into fixed parts, each accumulating in its
// own buffer, summed in part order, so the result does not depend on which thread ran which
// image (a buffer per thread would make it vary with scheduling, from run to run). A batch too
// small to share uses one buffer and the threads inside each GEMM.
template <class T, class Image>
void weight_grad_over_batch(const Conv& p, int64_t K, int nt, int64_t work_elems, const Image& image, T* out) {
  const int64_t acc_elems = p.O * K;
  const bool per_image = p.N >= 2 * nt;
  const int slots = per_image ? nt : 1;
  const int64_t parts = per_image ? std::min<int64_t>(p.N, 4 * static_cast<int64_t>(nt)) : 1;
  Scratch<T> work(slots, work_elems);
  Scratch<T> acc(static_cast<int>(parts), acc_elems);
  std::memset(work.p, 0, work.bytes);
  std::memset(acc.p, 0, acc.bytes);
  if (per_image) {
    parallel_chunks(parts, nt, [&](int64_t part, int slot) {
      for (int64_t n = part * p.N / parts; n < (part + 1) * p.N / parts; n++) image(n, work.p + slot * work_elems, acc.p + part * acc_elems, 1);
    });
  } else {
    for (int64_t n = 0; n < p.N; n++) image(n, work.p, acc.p, nt);
  }
  sum_transposed(acc.p, static_cast<int>(parts), acc_elems, p.groups, K, p.O / p.groups, out);
}

// Stride-1 convolutions without im2col (conv_stride1.cc), for a Conv that conv_stride1_fits:
// out [N, O, oH, oW] = conv2d(x, w) + bias.
bool conv_stride1_fits(const Conv& p);
template <class T>
void conv2d_stride1(const Conv& p, const T* x, const T* w, const T* bias, int64_t bias_stride, T* out);

// The weight gradient out [O, C/groups, kh, kw] of any Conv, for g [N, O, p.oH, p.oW], as one
// product over the batch (conv_weight_grad.cc); conv_weight_grad_batched_fits says when that
// beats a product per image.
bool conv_weight_grad_batched_fits(const Conv& p);
template <class T>
void conv2d_weight_grad_batched(const Conv& p, const T* x, const T* g, T* out);

}  // namespace px
