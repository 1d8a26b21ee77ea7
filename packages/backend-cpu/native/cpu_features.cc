#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace px {

Isa g_isa = Isa::Scalar;

Isa detect_isa() {
#if PX_X86
  __builtin_cpu_init();
  // __builtin_cpu_supports checks CPUID and, for AVX/AVX-512, that the OS saves the registers.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return Isa::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
  return Isa::Scalar;
#elif defined(__aarch64__)
  return Isa::Neon;
#else
  return Isa::Scalar;
#endif
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Scalar: return "scalar";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
    case Isa::Neon: return "neon";
  }
  return "scalar";
}

bool set_isa(const char* name) {
  Isa best = detect_isa();
  Isa want;
  if (std::strcmp(name, "scalar") == 0) want = Isa::Scalar;
  else if (std::strcmp(name, "avx2") == 0) want = Isa::Avx2;
  else if (std::strcmp(name, "avx512") == 0) want = Isa::Avx512;
  else if (std::strcmp(name, "neon") == 0) want = Isa::Neon;
  else if (std::strcmp(name, "native") == 0 || std::strcmp(name, "") == 0) want = best;
  else return false;
  // Never above the hardware: x86 levels are ordered, NEON is all-or-nothing.
  if (best == Isa::Neon) g_isa = want == Isa::Scalar ? Isa::Scalar : Isa::Neon;
  else if (want == Isa::Neon) g_isa = best;
  else g_isa = static_cast<int>(want) <= static_cast<int>(best) ? want : best;
  return true;
}

void init_isa() {
  g_isa = detect_isa();
  const char* env = std::getenv("PLEXUS_CPU_FEATURES");
  if (env && *env) set_isa(env);
}

}  // namespace px
