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
// than a few dozen output channels do; with few, the transposing copy would cost more than that. The
// weight gradient needs the patch matrix the other way round, taps as rows; there a tap's row is
// contiguous only on the padded width (q = oh·Wp + ow), so it runs over that grid with the
// gradient's dropped columns set to zero: (kw − 1)·dw extra columns of Wp, which
// `weight_grad_padded_fits` keeps to a quarter of the work.
#include <cstring>

#include "conv.h"
#include "gemm.h"
#include "threadpool.h"

namespace px {
namespace {

struct Padded {
  int64_t Hp, Wp;
  int64_t plane;  // elements of one padded channel group, plus the slack the weight gradient reads past it
};

Padded padded_geometry(const Conv& p) {
  const int64_t Hp = p.H + 2 * p.ph, Wp = p.W + 2 * p.pw;
  return {Hp, Wp, (p.C / p.groups) * Hp * Wp + (p.kw - 1) * p.dw};
}

// tap[(c·kh + i)·kw + j] = c·Hp·Wp + i·dh·Wp + j·dw.
void tap_offsets(const Conv& p, const Padded& g, int64_t* tap) {
  const int64_t Cg = p.C / p.groups;
  for (int64_t c = 0; c < Cg; c++)
    for (int64_t i = 0; i < p.kh; i++)
      for (int64_t j = 0; j < p.kw; j++) tap[(c * p.kh + i) * p.kw + j] = c * g.Hp * g.Wp + i * p.dh * g.Wp + j * p.dw;
}

// xp = channels [c0, c0 + Cg) of one image, zero-padded; the slack after them zeroed too.
template <class T>
void pad_image(const T* x, const Conv& p, const Padded& g, T* xp) {
  const int64_t Cg = p.C / p.groups;
  std::memset(xp, 0, g.plane * sizeof(T));
  for (int64_t c = 0; c < Cg; c++)
    for (int64_t h = 0; h < p.H; h++)
      std::memcpy(xp + (c * g.Hp + h + p.ph) * g.Wp + p.pw, x + (c * p.H + h) * p.W, p.W * sizeof(T));
}

// dst [cols, rows] = src [rows, cols]ᵀ, in blocks of 16 rows that stay in L1 while every column
// of them is written.
template <class T>
void transpose_into(const T* src, int64_t rows, int64_t cols, T* dst) {
  for (int64_t r0 = 0; r0 < rows; r0 += 16) {
    const int64_t r1 = r0 + 16 < rows ? r0 + 16 : rows;
    for (int64_t c = 0; c < cols; c++)
      for (int64_t r = r0; r < r1; r++) dst[c * rows + r] = src[r * cols + c];
  }
}

}  // namespace

bool conv_stride1_fits(const Conv& p) { return p.sh == 1 && p.sw == 1; }

bool weight_grad_padded_fits(const Conv& p) { return conv_stride1_fits(p) && 4 * (p.kw - 1) * p.dw <= p.W + 2 * p.pw; }

template <class T>
void conv2d_stride1(const Conv& p, const T* x, const T* w, const T* bias, int64_t bias_stride, T* out) {
  const Padded g = padded_geometry(p);
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups, K = Cg * p.kh * p.kw, P = p.oH * p.oW;
  Scratch<int64_t> offsets(1, K + P);
  int64_t* tap = offsets.p;
  int64_t* pixel = offsets.p + K;
  tap_offsets(p, g, tap);
  for (int64_t oh = 0; oh < p.oH; oh++)
    for (int64_t ow = 0; ow < p.oW; ow++) pixel[oh * p.oW + ow] = oh * g.Wp + ow;
  int nt = threads_for(p.N * p.O * P * K, GEMM_PARALLEL_MIN);
  const bool per_image = p.N >= 2 * nt;
  const int slots = per_image ? nt : 1;
  const bool transposed = K >= 64;
  const int64_t per_slot = g.plane + (transposed ? P * Og : 0);
  Scratch<T> scratch(slots, per_slot);
  auto image = [&](int64_t n, T* xp, int gemm_threads) {
    T* res = xp + g.plane;  // outᵀ [P, Og]
    for (int64_t grp = 0; grp < p.groups; grp++) {
      pad_image(x + (n * p.C + grp * Cg) * p.H * p.W, p, g, xp);
      const T* wg = w + grp * Og * K;  // [Og, K] row-major
      T* og = out + (n * p.O + grp * Og) * P;
      if (transposed) {
        gemm<T>(P, Og, K, MatRef<T>{xp, 0, 0, pixel, tap}, MatRef<T>{wg, 1, K}, res, Og, false, gemm_threads);
        transpose_into(res, P, Og, og);
      } else {
        gemm<T>(Og, P, K, MatRef<T>{wg, K, 1}, MatRef<T>{xp, 0, 0, tap, pixel}, og, P, false, gemm_threads);
      }
      if (bias)
        for (int64_t o = 0; o < Og; o++) {
          const T bv = bias[(grp * Og + o) * bias_stride];
          for (int64_t q = 0; q < P; q++) og[o * P + q] += bv;
        }
    }
  };
  if (per_image) {
    parallel_chunks(p.N, nt, [&](int64_t n, int slot) { image(n, scratch.p + static_cast<int64_t>(slot) * per_slot, 1); });
  } else {
    for (int64_t n = 0; n < p.N; n++) image(n, scratch.p, nt);
  }
}

// dWᵀ_grp [K, Og] += patches [K, Q] · gwᵀ [Q, Og] per image, with Q = oH·Wp (the padded width)
// and gw the gradient placed on that grid (zeros in the dropped columns, so they add nothing).
template <class T>
void conv2d_weight_grad_padded(const Conv& p, const T* x, const T* g, T* out) {
  const Padded pg = padded_geometry(p);
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups, K = Cg * p.kh * p.kw, P = p.oH * p.oW, Q = p.oH * pg.Wp;
  Scratch<int64_t> tap(1, K);
  tap_offsets(p, pg, tap.p);
  const int nt = threads_for(p.N * p.O * Q * K, GEMM_PARALLEL_MIN);
  // work: the padded image, then gw (its dropped columns stay zero: only valid ones are written).
  auto image = [&](int64_t n, T* xp, T* acc, int gemm_threads) {
    T* gw = xp + pg.plane;
    for (int64_t grp = 0; grp < p.groups; grp++) {
      pad_image(x + (n * p.C + grp * Cg) * p.H * p.W, p, pg, xp);
      const T* gn = g + (n * p.O + grp * Og) * P;
      for (int64_t o = 0; o < Og; o++)
        for (int64_t oh = 0; oh < p.oH; oh++) std::memcpy(gw + o * Q + oh * pg.Wp, gn + (o * p.oH + oh) * p.oW, p.oW * sizeof(T));
      // gw is [Og, Q] row-major; its transpose [Q, Og] is read with strides (1, Q).
      gemm<T>(K, Og, Q, MatRef<T>{xp, 0, 1, tap.p}, MatRef<T>{gw, 1, Q}, acc + grp * K * Og, Og, true, gemm_threads);
    }
  };
  weight_grad_over_batch<T>(p, K, nt, pg.plane + Og * Q, image, out);
}

template void conv2d_stride1<float>(const Conv&, const float*, const float*, const float*, int64_t, float*);
template void conv2d_stride1<double>(const Conv&, const double*, const double*, const double*, int64_t, double*);
template void conv2d_weight_grad_padded<float>(const Conv&, const float*, const float*, float*);
template void conv2d_weight_grad_padded<double>(const Conv&, const double*, const double*, double*);

}  // namespace px
