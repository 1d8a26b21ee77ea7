// AVX2/FMA micro-kernels: 6×16 float32 and 6×8 float64 tiles (12 of the 16 ymm registers).
#include <utility>

#include "gemm_kernel.h"
#include "gemm_thin.h"

namespace px {
namespace {

#if PX_X86
PX_DEFINE_KERNELS(k_f32, PX_TARGET_AVX2, float, v8sf, 6, 2)
PX_DEFINE_KERNELS(k_f64, PX_TARGET_AVX2, double, v4df, 6, 2)
PX_DEFINE_THIN(t_f32, PX_TARGET_AVX2, float, v8sf)
PX_DEFINE_THIN(t_f64, PX_TARGET_AVX2, double, v4df)

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

bool gemm_config_avx2(GemmConfig<float>* f, GemmConfig<double>* d) {
#if PX_X86
  *f = GemmConfig<float>{6, 16, 256, 6 * 24, 1024, {}, {}, nullptr, nullptr};
  *d = GemmConfig<double>{6, 8, 256, 6 * 16, 512, {}, {}, nullptr, nullptr};
  fill(f, d, std::make_integer_sequence<int, 6>{});
  return true;
#else
  (void)f;
  (void)d;
  return false;
#endif
}

}  // namespace px
