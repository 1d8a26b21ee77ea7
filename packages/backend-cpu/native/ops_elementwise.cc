// Broadcasting binary arithmetic, comparisons and where. The operands are walked as strided
// views (broadcast dims have stride 0), coalesced so that same-shape operands are one row; each
// row runs a kernel specialised for unit and zero strides, compiled once per instruction set so
// the compiler vectorises it with the widest registers available.
#include <string>

#include "args.h"
#include "convert.h"
#include "elementwise.h"
#include "kernels.h"
#include "lazy.h"
#include "ops.h"
#include "strided.h"
#include "threadpool.h"

namespace px {
namespace {

// Elements per thread below which an elementwise op stays on one thread (measured: waking the
// second core costs about as much as 32K float adds).
constexpr int64_t GRAIN = 1 << 15;


template <class Op, class T, class O>
PX_INLINE void bin_row(void* out, const void* av, int64_t sa, const void* bv, int64_t sb, int64_t n) {
  O* PX_RESTRICT o = static_cast<O*>(out);
  const T* PX_RESTRICT a = static_cast<const T*>(av);
  const T* PX_RESTRICT b = static_cast<const T*>(bv);
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const T y = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i], y);
  } else if (sa == 0 && sb == 1) {
    const T x = a[0];
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(x, b[i]);
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i * sa], b[i * sb]);
  }
}

template <class Op, class T, class O>
void bin_portable(void* o, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n) { bin_row<Op, T, O>(o, a, sa, b, sb, n); }
template <class Op, class T, class O>
PX_TARGET_AVX2 void bin_avx2(void* o, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n) { bin_row<Op, T, O>(o, a, sa, b, sb, n); }
template <class Op, class T, class O>
PX_TARGET_AVX512 void bin_avx512(void* o, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n) { bin_row<Op, T, O>(o, a, sa, b, sb, n); }

template <class Op, class T, class O = T>
BinRow pick() {
  switch (g_isa) {
    case Isa::Avx512: return bin_avx512<Op, T, O>;
    case Isa::Avx2: return bin_avx2<Op, T, O>;
    default: return bin_portable<Op, T, O>;
  }
}

template <class T>
BinRow float_binary(int op) {
  switch (op) {
    case B_ADD: return pick<AddF<T>, T>();
    case B_SUB: return pick<SubF<T>, T>();
    case B_MUL: return pick<MulF<T>, T>();
    case B_DIV: return pick<DivF<T>, T>();
    case B_POW: return pick<PowF<T>, T>();
    case B_MAX: return pick<MaxF<T>, T>();
    default: return pick<MinF<T>, T>();
  }
}

BinRow binary_row(int op, DType dt) {
  switch (dt) {
    case DType::F32: return float_binary<float>(op);
    case DType::F64: return float_binary<double>(op);
    case DType::I32:
      switch (op) {
        case B_ADD: return pick<AddI, int32_t>();
        case B_SUB: return pick<SubI, int32_t>();
        case B_MUL: return pick<MulI, int32_t>();
        case B_DIV: return pick<DivI, int32_t>();
        case B_POW: return pick<PowI, int32_t>();
        case B_MAX: return pick<MaxI, int32_t>();
        default: return pick<MinI, int32_t>();
      }
    default:
      switch (op) {
        case B_ADD: return pick<OrB, uint8_t>();
        case B_SUB: return pick<XorB, uint8_t>();
        case B_MUL: return pick<AndB, uint8_t>();
        case B_DIV: return pick<DivB, uint8_t>();
        case B_POW: return pick<PowB, uint8_t>();
        case B_MAX: return pick<OrB, uint8_t>();
        default: return pick<AndB, uint8_t>();
      }
  }
}

template <class T>
BinRow compare_typed(int op) {
  switch (op) {
    case C_EQ: return pick<EqF<T>, T, uint8_t>();
    case C_NE: return pick<NeF<T>, T, uint8_t>();
    case C_LT: return pick<LtF<T>, T, uint8_t>();
    case C_LE: return pick<LeF<T>, T, uint8_t>();
    case C_GT: return pick<GtF<T>, T, uint8_t>();
    default: return pick<GeF<T>, T, uint8_t>();
  }
}

BinRow compare_row(int op, DType dt) {
  return with_dtype(dt, [&](auto t) { return compare_typed<decltype(t)>(op); });
}

template <class T>
PX_INLINE void where_row(void* out, const uint8_t* PX_RESTRICT c, int64_t sc, const void* av, int64_t sa, const void* bv,
                         int64_t sb, int64_t n) {
  T* PX_RESTRICT o = static_cast<T*>(out);
  const T* PX_RESTRICT a = static_cast<const T*>(av);
  const T* PX_RESTRICT b = static_cast<const T*>(bv);
  if (sc == 1 && sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : b[i];
  } else if (sc == 1 && sa == 1 && sb == 0) {
    const T y = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : y;
  } else if (sc == 1 && sa == 0 && sb == 1) {
    const T x = a[0];
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? x : b[i];
  } else if (sc == 1 && sa == 0 && sb == 0) {
    const T x = a[0], y = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = c[i] ? x : y;
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = c[i * sc] ? a[i * sa] : b[i * sb];
  }
}

template <class T>
void where_portable(void* o, const uint8_t* c, int64_t sc, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n) { where_row<T>(o, c, sc, a, sa, b, sb, n); }
template <class T>
PX_TARGET_AVX2 void where_avx2(void* o, const uint8_t* c, int64_t sc, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n) { where_row<T>(o, c, sc, a, sa, b, sb, n); }
template <class T>
PX_TARGET_AVX512 void where_avx512(void* o, const uint8_t* c, int64_t sc, const void* a, int64_t sa, const void* b, int64_t sb, int64_t n) { where_row<T>(o, c, sc, a, sa, b, sb, n); }

WhereRow where_row_for(DType dt) {
  return with_dtype(dt, [&](auto t) -> WhereRow {
    using T = decltype(t);
    switch (g_isa) {
      case Isa::Avx512: return where_avx512<T>;
      case Isa::Avx2: return where_avx2<T>;
      default: return where_portable<T>;
    }
  });
}

int64_t size_of(int rank, const int64_t* shape) {
  int64_t n = 1;
  for (int d = 0; d < rank; d++) n *= shape[d];
  return n;
}

// The broadcast shape of the inputs (NumPy rules); throws when they do not broadcast.
int broadcast_shape(const Handle* const* xs, int count, int64_t* out, const char* op) {
  int rank = 0;
  for (int i = 0; i < count; i++) rank = xs[i]->rank > rank ? xs[i]->rank : rank;
  for (int d = 0; d < rank; d++) out[d] = 1;
  for (int i = 0; i < count; i++) {
    const Handle* x = xs[i];
    for (int d = 0; d < x->rank; d++) {
      int o = rank - x->rank + d;
      int64_t s = x->shape[d];
      if (out[o] == 1) out[o] = s;
      else if (s != 1 && s != out[o]) fail(ErrKind::Shape, std::string(op) + ": input shapes do not broadcast together (" + fmt_shape(x->rank, x->shape) + ")");
    }
  }
  return rank;
}

// Walks out (dense) with the broadcast inputs and calls row(offsets, len) in parallel.
template <int N, class F>
void run_walk(const Handle* out, const Handle* const* ins, F&& row) {
  if (out->size == 0) return;
  int64_t bstrides[N][MAX_RANK];
  const int64_t* strides[N];
  strides[0] = out->strides;
  for (int k = 1; k < N; k++) {
    broadcast_strides(ins[k - 1]->rank, ins[k - 1]->shape, ins[k - 1]->strides, out->rank, out->shape, bstrides[k]);
    strides[k] = bstrides[k];
  }
  Walk<N> w = make_walk<N>(out->rank, out->shape, strides);
  int64_t n = out->size;
  parallel_for(n, threads_for(n, GRAIN), 64, [&](int64_t b, int64_t e) {
    int64_t zero[N] = {};
    walk_range<N>(w, b, e, zero, [&](const int64_t* off, int64_t len) { row(w, off, len); });
  });
}

}  // namespace

BinRow kernel_binary(int op, DType dtype) { return binary_row(op, dtype); }
BinRow kernel_compare(int op, DType dtype) { return compare_row(op, dtype); }
WhereRow kernel_where(DType dtype) { return where_row_for(dtype); }

napi_value op_binary(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "binary";
  int code = static_cast<int>(arg_int(env, argv[0], 0, NUM_BINARY - 1, op, "op code"));
  Handle* a = unwrap_lazy(env, argv[1], ctx, op);
  Handle* b = unwrap_lazy(env, argv[2], ctx, op);
  if (a->dtype != b->dtype) fail(ErrKind::DType, std::string("binary: operands must share a dtype, got ") + dtype_name(a->dtype) + " and " + dtype_name(b->dtype));
  int64_t shape[MAX_RANK], want[MAX_RANK];
  int rank = arg_shape(env, argv[3], shape, op);
  DType dtype = arg_dtype(env, argv[4], op);
  check_out_dtype(dtype, a->dtype, op);
  Handle* ins[2] = {a, b};
  int wrank = broadcast_shape(ins, 2, want, op);
  check_out_shape(rank, shape, wrank, want, op);
  if (want_lazy(ins, 2, size_of(rank, shape))) {
    Expr* in[2] = {expr_of(a), expr_of(b)};
    return wrap_handle(env, new_lazy(ctx, expr_node(ExprOp::Binary, code, dtype, rank, shape, in, 2)));
  }
  materialize(a);
  materialize(b);
  Handle* out = new_handle(ctx, dtype, rank, shape, op);
  BinRow row = binary_row(code, dtype);
  size_t e = dtype_size(dtype);
  char* o = out->raw();
  const char* pa = a->raw();
  const char* pb = b->raw();
  run_walk<3>(out, ins, [&](const Walk<3>& w, const int64_t* off, int64_t len) {
    row(o + off[0] * e, pa + off[1] * e, w.inner_stride(1), pb + off[2] * e, w.inner_stride(2), len);
  });
  return wrap_handle(env, out);
}

napi_value op_compare(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "compare";
  int code = static_cast<int>(arg_int(env, argv[0], 0, NUM_COMPARE - 1, op, "op code"));
  Handle* a = unwrap_lazy(env, argv[1], ctx, op);
  Handle* b = unwrap_lazy(env, argv[2], ctx, op);
  if (a->dtype != b->dtype) fail(ErrKind::DType, std::string("compare: operands must share a dtype, got ") + dtype_name(a->dtype) + " and " + dtype_name(b->dtype));
  int64_t shape[MAX_RANK], want[MAX_RANK];
  int rank = arg_shape(env, argv[3], shape, op);
  Handle* ins[2] = {a, b};
  int wrank = broadcast_shape(ins, 2, want, op);
  check_out_shape(rank, shape, wrank, want, op);
  if (want_lazy(ins, 2, size_of(rank, shape))) {
    Expr* in[2] = {expr_of(a), expr_of(b)};
    return wrap_handle(env, new_lazy(ctx, expr_node(ExprOp::Compare, code, DType::BOOL, rank, shape, in, 2)));
  }
  materialize(a);
  materialize(b);
  Handle* out = new_handle(ctx, DType::BOOL, rank, shape, op);
  BinRow row = compare_row(code, a->dtype);
  size_t e = dtype_size(a->dtype);
  char* o = out->raw();
  const char* pa = a->raw();
  const char* pb = b->raw();
  run_walk<3>(out, ins, [&](const Walk<3>& w, const int64_t* off, int64_t len) {
    row(o + off[0], pa + off[1] * e, w.inner_stride(1), pb + off[2] * e, w.inner_stride(2), len);
  });
  return wrap_handle(env, out);
}

napi_value op_where(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "where";
  Handle* c = unwrap_lazy(env, argv[0], ctx, op);
  Handle* a = unwrap_lazy(env, argv[1], ctx, op);
  Handle* b = unwrap_lazy(env, argv[2], ctx, op);
  if (c->dtype != DType::BOOL) fail(ErrKind::DType, std::string("where: cond must be bool, got ") + dtype_name(c->dtype));
  if (a->dtype != b->dtype) fail(ErrKind::DType, std::string("where: branches must share a dtype, got ") + dtype_name(a->dtype) + " and " + dtype_name(b->dtype));
  int64_t shape[MAX_RANK], want[MAX_RANK];
  int rank = arg_shape(env, argv[3], shape, op);
  DType dtype = arg_dtype(env, argv[4], op);
  check_out_dtype(dtype, a->dtype, op);
  Handle* ins[3] = {c, a, b};
  int wrank = broadcast_shape(ins, 3, want, op);
  check_out_shape(rank, shape, wrank, want, op);
  if (want_lazy(ins, 3, size_of(rank, shape))) {
    Expr* in[3] = {expr_of(c), expr_of(a), expr_of(b)};
    return wrap_handle(env, new_lazy(ctx, expr_node(ExprOp::Where, 0, dtype, rank, shape, in, 3)));
  }
  materialize(c);
  materialize(a);
  materialize(b);
  Handle* out = new_handle(ctx, dtype, rank, shape, op);
  WhereRow row = where_row_for(dtype);
  size_t e = dtype_size(dtype);
  char* o = out->raw();
  const uint8_t* pc = c->data<uint8_t>();
  const char* pa = a->raw();
  const char* pb = b->raw();
  run_walk<4>(out, ins, [&](const Walk<4>& w, const int64_t* off, int64_t len) {
    row(o + off[0] * e, pc + off[1], w.inner_stride(1), pa + off[2] * e, w.inner_stride(2), pb + off[3] * e, w.inner_stride(3), len);
  });
  return wrap_handle(env, out);
}

}  // namespace px
