// Run-time choice of the SIMD instruction set.
#pragma once

#include "common.h"

namespace px {

// The best instruction set this CPU (and OS) supports.
Isa detect_isa();
// Chooses the instruction set at load: the detected one, lowered by PLEXUS_CPU_FEATURES
// (scalar | avx2 | avx512) when set.
void init_isa();
// Sets the instruction set by name, never above what the CPU supports. Returns false for an
// unknown name.
bool set_isa(const char* name);
const char* isa_name(Isa isa);

}  // namespace px
