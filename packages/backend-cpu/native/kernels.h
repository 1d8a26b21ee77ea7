// Row kernels of the elementwise ops, chosen for the current instruction set. A row is `n`
// elements; inputs are read with an element stride (1, 0 for a broadcast value, or any other),
// the output is dense. Shared by the eager ops and the fused evaluation of lazy expressions.
#pragma once

#include <cstdint>

#include "common.h"

namespace px {

typedef void (*BinRow)(void* o, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n);
typedef void (*WhereRow)(void* o, const uint8_t* c, int64_t sc, const void* a, int64_t sa, const void* b, int64_t sb,
                         int64_t n);
typedef void (*UnRow)(void* o, const void* x, int64_t sx, int64_t n);
typedef void (*ConvertRow)(void* o, const void* x, int64_t sx, int64_t n);

BinRow kernel_binary(int op, DType dtype);    // output of dtype
BinRow kernel_compare(int op, DType dtype);   // inputs of dtype, bool output
WhereRow kernel_where(DType dtype);
UnRow kernel_unary(int op, DType dtype);
ConvertRow kernel_convert(DType to, DType from);

}  // namespace px
