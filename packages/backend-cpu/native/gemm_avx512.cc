// AVX-512 micro-kernels: 14×32 float32 and 14×16 float64 tiles (28 of the 32 zmm registers hold
// the tile, the rest take the B row and the broadcast A value).
#include <utility>

#include "gemm_kernel.h"
#include "gemm_thin.h"

namespace px {
namespace {

#if PX_X86
PX_DEFINE_KERNELS(k_f32, PX_TARGET_AVX512, float, v16sf, 14, 2)
PX_DEFINE_KERNELS(k_f64, PX_TARGET_AVX512, double, v8df, 14, 2)
PX_DEFINE_THIN(t_f32, PX_TARGET_AVX512, float, v16sf)
PX_DEFINE_THIN(t_f64, PX_TARGET_AVX512, double, v8df)

template <int... R>
void fill(GemmConfig<float>* f, GemmConfig<double>* d, std::integer_sequence<int, R...>) {
  ((f->kernel[R + 1] = k_f32<R + 1>), ...);
  ((d->kernel[R + 1] = k_f64<R + 1>), ...);
  ((f->kernel_at[R + 1] = k_f32_at<R + 1>), ...);
  ((d->kernel_at[R + 1] = k_f64_at<R + 1>), ...);
  f->thin_dot = t_f32_dot;
  f->thin_axpy = t_f32_axpy;
  d->thin_dot = t_f64_dot;
  d->thin_axpy = t_f64_axpy;
}
#endif

}  // namespace

bool gemm_config_avx512(GemmConfig<float>* f, GemmConfig<double>* d) {
#if PX_X86
  *f = GemmConfig<float>{14, 32, 256, 14 * 24, 1024, {}, {}, nullptr, nullptr};
  *d = GemmConfig<double>{14, 16, 256, 14 * 12, 512, {}, {}, nullptr, nullptr};
  fill(f, d, std::make_integer_sequence<int, 14>{});
  return true;
#else
  (void)f;
  (void)d;
  return false;
#endif
}

}  // namespace px
