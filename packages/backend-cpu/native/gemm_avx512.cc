// AVX-512 micro-kernels: 14×32 float32 and 14×16 float64 tiles (28 of the 32 zmm registers hold
// the tile, the rest take the B row and the broadcast A value).
#include <utility>

#include "gemm_kernel.h"

namespace px {
namespace {

#if PX_X86
PX_DEFINE_GEMM_ISA(PX_TARGET_AVX512, v16sf, v8df, 14, 2)
#endif

}  // namespace

bool gemm_config_avx512(GemmConfig<float>* f, GemmConfig<double>* d) {
#if PX_X86
  *f = GemmConfig<float>{14, 32, 256, 14 * 24, 1024, {}, {}, nullptr, nullptr};
  *d = GemmConfig<double>{14, 16, 256, 14 * 12, 512, {}, {}, nullptr, nullptr};
  fill_kernels(f, d, std::make_integer_sequence<int, 14>{});
  return true;
#else
  (void)f;
  (void)d;
  return false;
#endif
}

}  // namespace px
