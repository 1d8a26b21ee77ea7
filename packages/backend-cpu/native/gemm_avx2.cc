// AVX2/FMA micro-kernels: 6×16 float32 and 6×8 float64 tiles (12 of the 16 ymm registers).
#include <utility>

#include "gemm_kernel.h"

namespace px {
namespace {

#if PX_X86
PX_DEFINE_GEMM_ISA(PX_TARGET_AVX2, v8sf, v4df, 6, 2)
#endif

}  // namespace

bool gemm_config_avx2(GemmConfig<float>* f, GemmConfig<double>* d) {
#if PX_X86
  *f = GemmConfig<float>{6, 16, 256, 6 * 24, 1024, {}, {}, nullptr, nullptr};
  *d = GemmConfig<double>{6, 8, 256, 6 * 16, 512, {}, {}, nullptr, nullptr};
  fill_kernels(f, d, std::make_integer_sequence<int, 6>{});
  return true;
#else
  (void)f;
  (void)d;
  return false;
#endif
}

}  // namespace px
