// Shared definitions of the native backend: dtypes, errors, limits, SIMD target attributes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace px {

// Tensors of higher rank are refused with a clear error (the frontend has no limit, but no model
// needs more; a fixed bound keeps a handle one allocation).
constexpr int MAX_RANK = 16;
// Largest element count and byte size a tensor may have: far beyond any real machine, but small
// enough that index arithmetic in int64 can never overflow.
constexpr int64_t MAX_ELEMENTS = int64_t(1) << 48;

// Codes shared with src/codes.ts: keep in step.
enum class DType : uint8_t { F32 = 0, F64 = 1, I32 = 2, BOOL = 3 };
constexpr int NUM_DTYPES = 4;

inline size_t dtype_size(DType d) {
  switch (d) {
    case DType::F32: return 4;
    case DType::F64: return 8;
    case DType::I32: return 4;
    case DType::BOOL: return 1;
  }
  return 1;
}

inline const char* dtype_name(DType d) {
  switch (d) {
    case DType::F32: return "float32";
    case DType::F64: return "float64";
    case DType::I32: return "int32";
    case DType::BOOL: return "bool";
  }
  return "?";
}

inline bool is_float(DType d) { return d == DType::F32 || d == DType::F64; }

// Errors raised by validation. They become the matching @plexus/tensor error class in JS.
enum class ErrKind { Backend = 0, Shape = 1, DType = 2, Argument = 3 };

struct Error : std::exception {
  ErrKind kind;
  std::string msg;
  Error(ErrKind k, std::string m) : kind(k), msg(std::move(m)) {}
  const char* what() const noexcept override { return msg.c_str(); }
};

[[noreturn]] inline void fail(ErrKind kind, const std::string& msg) { throw Error(kind, msg); }

// The instruction set the kernels use, chosen at load (PLEXUS_CPU_FEATURES may lower it).
enum class Isa : int { Scalar = 0, Avx2 = 1, Avx512 = 2, Neon = 3 };
extern Isa g_isa;

}  // namespace px

#if defined(__x86_64__) || defined(_M_X64)
#define PX_X86 1
#define PX_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define PX_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,prefer-vector-width=512")))
#else
#define PX_X86 0
#define PX_TARGET_AVX2
#define PX_TARGET_AVX512
#endif

#define PX_INLINE inline __attribute__((always_inline))
#define PX_RESTRICT __restrict__
