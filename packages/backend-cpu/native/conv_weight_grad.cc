// The weight gradient of a convolution, dW [O, C/g, kh, kw] for input x [N, C, H, W] and output
// gradient g [N, O, oH, oW], as one long product per group over the batch:
//   dWᵀ_grp [taps, O/g] = patches [taps, pixels] · gᵀ [pixels, O/g],
// where the pixels are every output position of every image. Per image, k would be one image's
// pixels and C (taps × O/g) would be read and written again for each image; over the batch, k is
// long, C stays in registers for a whole cache block of k, and threads share C's tiles (or k's
// parts, gemm_split_k, when C is small).
//
// The input is first copied channels-last and zero-padded, xt [n, Hp, Wp, C]. A tap (c, i, j)
// and a pixel (n, oh, ow) then meet at xt[pixel + tap], with
//   tap   = (i·dh·Wp + j·dw)·C + grp·C/g + c,
//   pixel = n·Hp·Wp·C + (oh·sh·Wp + ow·sw)·C,
// and taps taken in (i, j, c) order are runs of consecutive addresses (kw·C/g long when dw = 1
// and groups = 1), so the GEMM reads its row panels of taps straight from xt through these offset
// tables (MatRef::roff, coff), as the forward convolution reads its pixels. Any stride works: it
// only spaces the pixels. g is read in place as gᵀ [pixels, O/g] through a third table (a
// pixel's place in g), and transposed run by run of pixels as the GEMM packs it.
// The batch goes in chunks of images whose buffers stay within CHUNK_BYTES; chunks are fixed by
// the shapes, so the result does not depend on the thread count.
#include <algorithm>
#include <cstring>

#include "conv.h"
#include "gemm.h"
#include "threadpool.h"

namespace px {
namespace {

constexpr int64_t CHUNK_BYTES = 16 << 20;

// xt [Hp, Wp, C] = one image x [C, H, W] channels-last, zero-padded by (ph, pw), through `tmp`
// (H·W·C elements: the image transposed whole, then its rows copied to their padded places).
template <class T>
void pad_channels_last(const T* x, const Conv& p, int64_t Hp, int64_t Wp, T* tmp, T* xt) {
  transpose_pack_ld(x, p.H * p.W, p.C, p.H * p.W, p.C, tmp);
  std::memset(xt, 0, Hp * Wp * p.C * sizeof(T));
  for (int64_t h = 0; h < p.H; h++) std::memcpy(xt + ((h + p.ph) * Wp + p.pw) * p.C, tmp + h * p.W * p.C, p.W * p.C * sizeof(T));
}

}  // namespace

// Its register tiles hold 32 output channels of a group (16 in float64); with few of them and
// few input channels (a depthwise convolution), most of each tile would be padding, and dot
// products per image (im2col, then a thin GEMM) waste nothing.
bool conv_weight_grad_batched_fits(const Conv& p) { return p.O / p.groups >= 8 || p.C / p.groups >= 16; }

template <class T>
void conv2d_weight_grad_batched(const Conv& p, const T* x, const T* g, T* out) {
  const int64_t Hp = p.H + 2 * p.ph, Wp = p.W + 2 * p.pw, plane = Hp * Wp * p.C;
  const int64_t Cg = p.C / p.groups, Og = p.O / p.groups, K = Cg * p.kh * p.kw, P = p.oH * p.oW;
  const int64_t per_image = plane * static_cast<int64_t>(sizeof(T)) + 2 * P * static_cast<int64_t>(sizeof(int64_t));
  const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(p.N, CHUNK_BYTES / per_image));
  Scratch<T> xt(1, chunk * plane);
  Scratch<T> res(1, p.groups * K * Og);  // dWᵀ per group, taps in (i, j, c) order
  Scratch<int64_t> offsets(1, K + 2 * chunk * P);
  int64_t* tap = offsets.p;
  int64_t* pixel = offsets.p + K;
  int64_t* grad_at = pixel + chunk * P;  // pixel q's gradient in g, less the chunk's first image
  for (int64_t i = 0; i < p.kh; i++)
    for (int64_t j = 0; j < p.kw; j++)
      for (int64_t c = 0; c < Cg; c++) tap[(i * p.kw + j) * Cg + c] = (i * p.dh * Wp + j * p.dw) * p.C + c;
  for (int64_t n = 0; n < chunk; n++)
    for (int64_t oh = 0; oh < p.oH; oh++)
      for (int64_t ow = 0; ow < p.oW; ow++) {
        const int64_t q = (n * p.oH + oh) * p.oW + ow;
        pixel[q] = n * plane + (oh * p.sh * Wp + ow * p.sw) * p.C;
        grad_at[q] = n * p.O * P + oh * p.oW + ow;
      }
  const int nt = threads_for(p.N * p.O * P * K, GEMM_PARALLEL_MIN);
  Scratch<T> tmp(nt, p.H * p.W * p.C);
  for (int64_t n0 = 0; n0 < p.N; n0 += chunk) {
    const int64_t cnt = std::min(chunk, p.N - n0);
    parallel_chunks(cnt, nt, [&](int64_t n, int slot) {
      pad_channels_last(x + (n0 + n) * p.C * p.H * p.W, p, Hp, Wp, tmp.p + slot * p.H * p.W * p.C, xt.p + n * plane);
    });
    for (int64_t grp = 0; grp < p.groups; grp++) {
      const MatRef<T> patches{xt.p + grp * Cg, 0, 0, tap, pixel};
      const MatRef<T> grad_t{g + (n0 * p.O + grp * Og) * P, 0, P, grad_at};
      gemm<T>(K, Og, cnt * P, patches, grad_t, res.p + grp * K * Og, Og, n0 > 0, nt);
    }
  }
  // out [grp·Og + o, c, i, j] = res [grp, (i, j, c), o].
  for (int64_t grp = 0; grp < p.groups; grp++)
    for (int64_t o = 0; o < Og; o++)
      for (int64_t c = 0; c < Cg; c++)
        for (int64_t i = 0; i < p.kh; i++)
          for (int64_t j = 0; j < p.kw; j++)
            out[(((grp * Og + o) * Cg + c) * p.kh + i) * p.kw + j] = res.p[(grp * K + (i * p.kw + j) * Cg + c) * Og + o];
}

template void conv2d_weight_grad_batched<float>(const Conv&, const float*, const float*, float*);
template void conv2d_weight_grad_batched<double>(const Conv&, const double*, const double*, double*);

}  // namespace px
