// Stride-1 convolutions without an im2col copy.
//
// Each image (and group) is copied once into a zero-padded plane xp [C/g, Hp, Wp]. The patch
// matrix's element (output pixel q = (oh, ow), kernel tap k = (c, i, j)) is then
// xp[pixel[q] + tap[k]], with pixel[q] = oh·Wp + ow and tap[k] = c·Hp·Wp + i·dh·Wp + j·dw, and
// the GEMM packs its panels straight from the image through those offset tables (MatRef::roff,
// coff): the columns of a panel are runs of pixels along an image row, so packing is a few short
// copies per tap instead of a patch matrix written and read again.
//
// conv2d computes out [O/g, pixels] = W · patchesᵀ straight into the output when the kernel is
// small (K = C/g·kh·kw taps), and otherwise outᵀ [pixels, O/g] = patches · Wᵀ, transposed into out
// afterwards: with many taps the GEMM dominates, and pixels as rows fill its register tiles better
// than a few dozen output channels do; with few, the transposing copy would cost more than that.
// With pixels as rows, a few images go through one product, so that they share one packing of
// Wᵀ. (The weight gradient reads the input channels-last instead: conv_weight_grad.cc.)
#include <algorithm>
#include <cstring>

#include "conv.h"
#include "gemm.h"
#include "threadpool.h"

namespace px {
namespace {

struct Padded {
  int64_t Hp, Wp;
  int64_t plane;  // elements of one padded channel group
};

Padded padded_geometry(const Conv& p) {
  const int64_t Hp = p.H + 2 * p.ph, Wp = p.W + 2 * p.pw;
  return {Hp, Wp, (p.C / p.groups) * Hp * Wp};
}

// tap[(c·kh + i)·kw + j] = c·Hp·Wp + i·dh·Wp + j·dw.
void tap_offsets(const Conv& p, const Padded& g, int64_t* tap) {
  const int64_t Cg = p.C / p.groups;
  for (int64_t c = 0; c < Cg; c++)
    for (int64_t i = 0; i < p.kh; i++)
      for (int64_t j = 0; j < p.kw; j++) tap[(c * p.kh + i) * p.kw + j] = c * g.Hp * g.Wp + i * p.dh * g.Wp + j * p.dw;
}

// xp = channels [c0, c0 + Cg) of one image, zero-padded.
template <class T>
void pad_image(const T* x, const Conv& p, const Padded& g, T* xp) {
  const int64_t Cg = p.C / p.groups;
  std::memset(xp, 0, g.plane * sizeof(T));
  for (int64_t c = 0; c < Cg; c++)
    for (int64_t h = 0; h < p.H; h++)
      std::memcpy(xp + (c * g.Hp + h + p.ph) * g.Wp + p.pw, x + (c * p.H + h) * p.W, p.W * sizeof(T));
}

}  // namespace

bool conv_stride1_fits(const Conv& p) { return p.sh == 1 && p.sw == 1; }

template <class T>
void conv2d_stride1(const Conv& p, const T* x, const T* w, const T* bias, int64_t bias_stride, T* out) {
  const Padded g = padded_geometry(p);
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups, K = Cg * p.kh * p.kw, P = p.oH * p.oW;
  const int nt = threads_for(p.N * p.O * P * K, GEMM_PARALLEL_MIN);
  const bool transposed = K >= 64;
  // Images per product: with pixels as rows, several images' pixels share one packing of Wᵀ, as
  // many as keep their padded planes and outᵀ within a core's L2 cache while every thread still
  // gets two batches of images.
  int64_t nb = 1;
  if (transposed) {
    const int64_t fit = (512 << 10) / ((g.plane + P * Og) * static_cast<int64_t>(sizeof(T)));
    nb = std::max<int64_t>(1, std::min(fit, p.N / (2 * nt)));
  }
  const int64_t batches = (p.N + nb - 1) / nb;
  const bool per_batch = batches >= 2 * nt;
  const int slots = per_batch ? nt : 1;
  Scratch<int64_t> offsets(1, K + nb * P);
  int64_t* tap = offsets.p;
  int64_t* pixel = offsets.p + K;  // pixel q of image i of a batch: in the i-th padded plane
  tap_offsets(p, g, tap);
  for (int64_t i = 0; i < nb; i++)
    for (int64_t oh = 0; oh < p.oH; oh++)
      for (int64_t ow = 0; ow < p.oW; ow++) pixel[(i * p.oH + oh) * p.oW + ow] = i * g.plane + oh * g.Wp + ow;
  const int64_t per_slot = nb * (g.plane + (transposed ? P * Og : 0));
  Scratch<T> scratch(slots, per_slot);
  auto batch = [&](int64_t n0, T* xp, int gemm_threads) {
    const int64_t cnt = std::min(nb, p.N - n0);
    T* res = xp + nb * g.plane;  // outᵀ [cnt·P, Og]
    for (int64_t grp = 0; grp < p.groups; grp++) {
      for (int64_t i = 0; i < cnt; i++) pad_image(x + ((n0 + i) * p.C + grp * Cg) * p.H * p.W, p, g, xp + i * g.plane);
      const T* wg = w + grp * Og * K;  // [Og, K] row-major
      if (transposed) gemm<T>(cnt * P, Og, K, MatRef<T>{xp, 0, 0, pixel, tap}, MatRef<T>{wg, 1, K}, res, Og, false, gemm_threads);
      for (int64_t i = 0; i < cnt; i++) {
        T* og = out + ((n0 + i) * p.O + grp * Og) * P;
        if (transposed) transpose_pack_ld(res + i * P * Og, Og, P, Og, P, og);
        else gemm<T>(Og, P, K, MatRef<T>{wg, K, 1}, MatRef<T>{xp, 0, 0, tap, pixel}, og, P, false, gemm_threads);
        if (bias)
          for (int64_t o = 0; o < Og; o++) {
            const T bv = bias[(grp * Og + o) * bias_stride];
            for (int64_t q = 0; q < P; q++) og[o * P + q] += bv;
          }
      }
    }
  };
  if (per_batch) {
    parallel_chunks(batches, nt, [&](int64_t b, int slot) { batch(b * nb, scratch.p + static_cast<int64_t>(slot) * per_slot, 1); });
  } else {
    for (int64_t b = 0; b < batches; b++) batch(b * nb, scratch.p, nt);
  }
}

template void conv2d_stride1<float>(const Conv&, const float*, const float*, const float*, int64_t, float*);
template void conv2d_stride1<double>(const Conv&, const double*, const double*, const double*, int64_t, double*);

}  // namespace px
