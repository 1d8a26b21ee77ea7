// gather / scatterAdd along one axis (torch.gather, torch.scatter_add). Every index value is
// checked against the axis length before it is used; one out of range fails the op with an
// ArgumentError and nothing is written outside the tensors.
#include <atomic>
#include <string>

#include "args.h"
#include "convert.h"
#include "elementwise.h"
#include "movement.h"
#include "ops.h"
#include "strided.h"
#include "threadpool.h"

namespace px {
namespace {

constexpr int64_t GRAIN = 1 << 15;

// Checks index's dtype and shape against x along `axis`; returns the axis length.
int64_t check_index(const Handle* x, const Handle* index, int64_t axis, const char* op) {
  if (index->dtype != DType::I32) fail(ErrKind::DType, std::string(op) + ": index must be int32, got " + dtype_name(index->dtype));
  if (index->rank != x->rank) fail(ErrKind::Shape, std::string(op) + ": index " + fmt_shape(index->rank, index->shape) + " must have the rank of input " + fmt_shape(x->rank, x->shape));
  for (int d = 0; d < x->rank; d++) {
    if (d != axis && index->shape[d] > x->shape[d]) {
      fail(ErrKind::Shape, std::string(op) + ": index " + fmt_shape(index->rank, index->shape) + " is larger than input " + fmt_shape(x->rank, x->shape) + " outside dimension " + std::to_string(axis));
    }
  }
  return x->rank == 0 ? 1 : x->shape[axis];
}

[[noreturn]] void out_of_range(const char* op, int64_t value, int64_t n) {
  fail(ErrKind::Argument, std::string(op) + ": index " + std::to_string(value) + " is out of range for a dimension of size " + std::to_string(n));
}

}  // namespace

napi_value op_gather(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "gather";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  Handle* index = unwrap_handle(env, argv[1], ctx, op);
  int64_t axis = arg_int(env, argv[2], 0, x->rank > 0 ? x->rank - 1 : 0, op, "axis");
  int64_t n = check_index(x, index, axis, op);
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, index->rank, index->shape, op);
  Handle* out = new_handle(ctx, x->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    int64_t xs[MAX_RANK];
    for (int d = 0; d < x->rank; d++) xs[d] = d == axis ? 0 : x->strides[d];
    const int64_t sa = x->rank == 0 ? 0 : x->strides[axis];
    const int64_t* strides[3] = {out->strides, index->strides, xs};
    Walk<3> w = make_walk<3>(rank, shape, strides);
    std::atomic<bool> any_bad{false};
    std::atomic<int64_t> bad{0};
    const int32_t* idx = index->data<int32_t>();
    with_dtype(x->dtype, [&](auto t) {
      using T = decltype(t);
      T* o = out->data<T>();
      const T* px = x->data<T>();
      parallel_for(out->size, threads_for(out->size, GRAIN), 64, [&](int64_t b, int64_t e) {
        int64_t zero[3] = {0, 0, 0};
        walk_range<3>(w, b, e, zero, [&](const int64_t* off, int64_t len) {
          for (int64_t i = 0; i < len; i++) {
            int64_t v = idx[off[1] + i * w.inner_stride(1)];
            if (v < 0 || v >= n) {
              bad.store(v);
              any_bad.store(true);
              o[off[0] + i] = T(0);
              continue;
            }
            o[off[0] + i] = px[off[2] + i * w.inner_stride(2) + v * sa];
          }
        });
      });
    });
    if (any_bad.load()) out_of_range(op, bad.load(), n);
  }
  return wrap_handle(env, guard.release());
}

namespace {

template <class T>
PX_INLINE T add_into(T a, T b) { return a + b; }
template <>
PX_INLINE int32_t add_into<int32_t>(int32_t a, int32_t b) { return wrap_add(a, b); }
template <>
PX_INLINE uint8_t add_into<uint8_t>(uint8_t a, uint8_t b) { return a | b; }

}  // namespace

napi_value op_scatter_add(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "scatterAdd";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  Handle* index = unwrap_handle(env, argv[1], ctx, op);
  Handle* src = unwrap_handle(env, argv[2], ctx, op);
  int64_t axis = arg_int(env, argv[3], 0, x->rank > 0 ? x->rank - 1 : 0, op, "axis");
  int64_t n = check_index(x, index, axis, op);
  if (src->dtype != x->dtype) fail(ErrKind::DType, std::string(op) + ": src must have the input's dtype " + dtype_name(x->dtype) + ", got " + dtype_name(src->dtype));
  check_out_shape(src->rank, src->shape, index->rank, index->shape, "scatterAdd (src vs index)");
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[4], shape, op);
  check_out_shape(rank, shape, x->rank, x->shape, op);
  // Every index is checked before anything is written.
  if (index->size > 0) {
    const int64_t* strides[1] = {index->strides};
    Walk<1> w = make_walk<1>(index->rank, index->shape, strides);
    const int32_t* idx = index->data<int32_t>();
    int64_t zero = 0;
    walk_range<1>(w, 0, index->size, &zero, [&](const int64_t* off, int64_t len) {
      for (int64_t i = 0; i < len; i++) {
        int64_t v = idx[off[0] + i * w.inner_stride(0)];
        if (v < 0 || v >= n) out_of_range(op, v, n);
      }
    });
  }
  Handle* out = new_handle(ctx, x->dtype, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) copy_to_dense(x, out->raw());
  if (index->size > 0) {
    int64_t os[MAX_RANK];
    for (int d = 0; d < rank; d++) os[d] = d == axis ? 0 : out->strides[d];
    const int64_t sa = rank == 0 ? 0 : out->strides[axis];
    const int64_t* strides[3] = {os, index->strides, src->strides};
    Walk<3> w = make_walk<3>(index->rank, index->shape, strides);
    const int32_t* idx = index->data<int32_t>();
    with_dtype(x->dtype, [&](auto t) {
      using T = decltype(t);
      T* o = out->data<T>();
      const T* s = src->data<T>();
      int64_t zero[3] = {0, 0, 0};
      // Serial: repeated indices add into the same element.
      walk_range<3>(w, 0, index->size, zero, [&](const int64_t* off, int64_t len) {
        for (int64_t i = 0; i < len; i++) {
          int64_t at = off[0] + i * w.inner_stride(0) + idx[off[1] + i * w.inner_stride(1)] * sa;
          o[at] = add_into<T>(o[at], s[off[2] + i * w.inner_stride(2)]);
        }
      });
    });
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
