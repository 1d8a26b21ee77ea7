// cast: dtype conversion of any view into a dense output; a same-dtype cast is a free view.
#include <string>

#include "args.h"
#include "convert.h"
#include "kernels.h"
#include "lazy.h"
#include "ops.h"
#include "strided.h"
#include "threadpool.h"

namespace px {
namespace {

template <class To, class From>
PX_INLINE void convert_row(To* PX_RESTRICT o, const From* x, int64_t sx, int64_t n) {
  if (sx == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = Convert<To>::from(x[i]);
  } else {
    for (int64_t i = 0; i < n; i++) o[i] = Convert<To>::from(x[i * sx]);
  }
}


template <class To, class From>
void row_portable(void* o, const void* x, int64_t sx, int64_t n) {
  convert_row(static_cast<To*>(o), static_cast<const From*>(x), sx, n);
}
template <class To, class From>
PX_TARGET_AVX2 void row_avx2(void* o, const void* x, int64_t sx, int64_t n) {
  convert_row(static_cast<To*>(o), static_cast<const From*>(x), sx, n);
}
template <class To, class From>
PX_TARGET_AVX512 void row_avx512(void* o, const void* x, int64_t sx, int64_t n) {
  convert_row(static_cast<To*>(o), static_cast<const From*>(x), sx, n);
}

template <class To, class From>
ConvertRow pick_row() {
  switch (g_isa) {
    case Isa::Avx512: return row_avx512<To, From>;
    case Isa::Avx2: return row_avx2<To, From>;
    default: return row_portable<To, From>;
  }
}

ConvertRow convert_row_for(DType to, DType from) {
  return with_dtype(to, [&](auto t) {
    using To = decltype(t);
    return with_dtype(from, [&](auto f) {
      using From = decltype(f);
      return pick_row<To, From>();
    });
  });
}

constexpr int64_t GRAIN = 1 << 16;

}  // namespace

ConvertRow kernel_convert(DType to, DType from) { return convert_row_for(to, from); }

void convert_dense(void* dst, DType to, const void* src, DType from, int64_t n) {
  ConvertRow row = convert_row_for(to, from);
  size_t so = dtype_size(to), si = dtype_size(from);
  parallel_for(n, threads_for(n, GRAIN), 64, [&](int64_t b, int64_t e) {
    row(static_cast<char*>(dst) + b * so, static_cast<const char*>(src) + b * si, 1, e - b);
  });
}

void convert_view(void* dst, DType to, const Handle* src) {
  if (src->size == 0) return;
  ConvertRow row = convert_row_for(to, src->dtype);
  const int64_t* strides[1] = {src->strides};
  Walk<1> w = make_walk<1>(src->rank, src->shape, strides);
  size_t so = dtype_size(to), si = dtype_size(src->dtype);
  const char* base = src->raw();
  char* out = static_cast<char*>(dst);
  int64_t n = src->size;
  parallel_for(n, threads_for(n, GRAIN), 64, [&](int64_t b, int64_t e) {
    int64_t o = b;
    int64_t zero = 0;
    walk_range<1>(w, b, e, &zero, [&](const int64_t* off, int64_t len) {
      row(out + o * so, base + off[0] * static_cast<int64_t>(si), w.inner_stride(0), len);
      o += len;
    });
  });
}

napi_value op_cast(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "cast";
  Handle* x = unwrap_lazy(env, argv[0], ctx, op);
  DType to = arg_dtype(env, argv[1], op);
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[2], shape, op);
  check_out_shape(rank, shape, x->rank, x->shape, op);
  if (to == x->dtype) {
    // The same values: a view, or the same deferred expression.
    if (x->expr) return wrap_handle(env, new_lazy(ctx, expr_of(x)));
    return wrap_handle(env, new_view(x, x->rank, x->shape, x->strides, x->offset));
  }
  Handle* ins[1] = {x};
  if (want_lazy(ins, 1, x->size)) {
    Expr* in[1] = {expr_of(x)};
    return wrap_handle(env, new_lazy(ctx, expr_node(ExprOp::Cast, 0, to, rank, shape, in, 1)));
  }
  materialize(x);
  Handle* out = new_handle(ctx, to, rank, shape, op);
  convert_view(out->raw(), to, x);
  return wrap_handle(env, out);
}

}  // namespace px
