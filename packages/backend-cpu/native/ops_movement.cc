// Movement. reshape (of a view whose layout allows it), permute, expand and slice return views on
// the same storage: no copy. pad and concat write fresh dense outputs.
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "convert.h"
#include "movement.h"
#include "ops.h"
#include "strided.h"
#include "threadpool.h"

namespace px {
namespace {

constexpr int64_t COPY_GRAIN = 1 << 16;  // elements per thread below which a copy stays serial

template <class T>
PX_INLINE void copy_row(T* PX_RESTRICT d, int64_t sd, const T* s, int64_t ss, int64_t n) {
  if (sd == 1 && ss == 1) {
    std::memcpy(d, s, n * sizeof(T));
  } else if (sd == 1) {
    for (int64_t i = 0; i < n; i++) d[i] = s[i * ss];
  } else {
    for (int64_t i = 0; i < n; i++) d[i * sd] = s[i * ss];
  }
}

template <class T>
void copy_walk(char* dst, const char* src, const Walk<2>& w, int64_t begin, int64_t end) {
  int64_t zero[2] = {0, 0};
  int64_t sd = w.inner_stride(0), ss = w.inner_stride(1);
  walk_range<2>(w, begin, end, zero, [&](const int64_t* off, int64_t len) {
    copy_row(reinterpret_cast<T*>(dst) + off[0], sd, reinterpret_cast<const T*>(src) + off[1], ss, len);
  });
}

// A dense 2-D transpose in cache-sized tiles (a permuted matrix read naively misses the cache
// on every element).
template <class T>
void transpose_tiles(T* dst, int64_t rows, int64_t cols, int64_t d_row, const T* src, int64_t s_row, int64_t s_col,
                     int64_t r0, int64_t r1) {
  constexpr int64_t B = 32;
  for (int64_t i0 = r0; i0 < r1; i0 += B) {
    int64_t i1 = i0 + B < r1 ? i0 + B : r1;
    for (int64_t j0 = 0; j0 < cols; j0 += B) {
      int64_t j1 = j0 + B < cols ? j0 + B : cols;
      for (int64_t i = i0; i < i1; i++)
        for (int64_t j = j0; j < j1; j++) dst[i * d_row + j] = src[i * s_row + j * s_col];
    }
  }
  (void)rows;
}

}  // namespace

void copy_strided(void* dst, const int64_t* dst_strides, const void* src, const int64_t* src_strides, int rank,
                  const int64_t* shape, size_t elem) {
  int64_t n = 1;
  for (int d = 0; d < rank; d++) n *= shape[d];
  if (n == 0) return;
  const int64_t* strides[2] = {dst_strides, src_strides};
  Walk<2> w = make_walk<2>(rank, shape, strides);
  char* d = static_cast<char*>(dst);
  const char* s = static_cast<const char*>(src);
  // A transposed matrix (the destination dense along the last dim, the source along the first):
  // copy in tiles.
  if (w.rank == 2 && w.strides[0][1] == 1 && w.strides[1][0] == 1 && w.strides[1][1] != 0 && w.shape[0] >= 16 &&
      w.shape[1] >= 16) {
    int64_t rows = w.shape[0], cols = w.shape[1];
    int nt = threads_for(n, COPY_GRAIN);
    parallel_for(rows, nt, 32, [&](int64_t r0, int64_t r1) {
      switch (elem) {
        case 1: transpose_tiles(reinterpret_cast<uint8_t*>(d), rows, cols, w.strides[0][0], reinterpret_cast<const uint8_t*>(s), 1, w.strides[1][1], r0, r1); break;
        case 4: transpose_tiles(reinterpret_cast<uint32_t*>(d), rows, cols, w.strides[0][0], reinterpret_cast<const uint32_t*>(s), 1, w.strides[1][1], r0, r1); break;
        default: transpose_tiles(reinterpret_cast<uint64_t*>(d), rows, cols, w.strides[0][0], reinterpret_cast<const uint64_t*>(s), 1, w.strides[1][1], r0, r1); break;
      }
    });
    return;
  }
  int nt = threads_for(n, COPY_GRAIN);
  parallel_for(n, nt, 64, [&](int64_t b, int64_t e) {
    switch (elem) {
      case 1: copy_walk<uint8_t>(d, s, w, b, e); break;
      case 4: copy_walk<uint32_t>(d, s, w, b, e); break;
      default: copy_walk<uint64_t>(d, s, w, b, e); break;
    }
  });
}

void copy_to_dense(const Handle* src, void* dst) {
  int64_t dense[MAX_RANK];
  dense_strides(src->rank, src->shape, dense);
  copy_strided(dst, dense, src->raw(), src->strides, src->rank, src->shape, dtype_size(src->dtype));
}

const Handle* dense_input(Context* ctx, const Handle* src, bool* owned, const char* op) {
  *owned = false;
  if (src->contiguous()) return src;
  Handle* h = new_handle(ctx, src->dtype, src->rank, src->shape, op);
  copy_to_dense(src, h->raw());
  *owned = true;
  return h;
}

namespace {

// Strides that let `x`'s elements be read in row-major order as `shape` without a copy, as
// PyTorch's view() decides; false when the layout does not allow it.
bool view_strides(const Handle* x, int rank, const int64_t* shape, int64_t* out) {
  if (x->size <= 1) {
    for (int d = 0; d < rank; d++) out[d] = 0;
    if (x->size == 0) dense_strides(rank, shape, out);
    return true;
  }
  // Work on the dims of size > 1 only (size-1 dims have meaningless strides).
  int64_t os[MAX_RANK], ost[MAX_RANK];
  int orank = 0;
  for (int d = 0; d < x->rank; d++)
    if (x->shape[d] != 1) {
      os[orank] = x->shape[d];
      ost[orank] = x->strides[d];
      orank++;
    }
  int view_d = rank - 1;
  int64_t chunk_base = ost[orank - 1];
  int64_t tensor_numel = 1, view_numel = 1;
  for (int td = orank - 1; td >= 0; td--) {
    tensor_numel *= os[td];
    if (td == 0 || ost[td - 1] != tensor_numel * chunk_base) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        out[view_d] = view_numel * chunk_base;
        view_numel *= shape[view_d];
        view_d--;
      }
      if (view_numel != tensor_numel) return false;
      if (td > 0) {
        chunk_base = ost[td - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  // Leading size-1 dims of the new shape.
  while (view_d >= 0) {
    if (shape[view_d] != 1) return false;
    out[view_d] = 0;
    view_d--;
  }
  return true;
}

}  // namespace

napi_value op_reshape(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "reshape";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[1], shape, op);
  int64_t size = 1;
  for (int d = 0; d < rank; d++) size *= shape[d];
  if (size != x->size) fail(ErrKind::Shape, "reshape: cannot reshape " + fmt_shape(x->rank, x->shape) + " to " + fmt_shape(rank, shape));
  int64_t strides[MAX_RANK];
  if (view_strides(x, rank, shape, strides)) return wrap_handle(env, new_view(x, rank, shape, strides, x->offset));
  Handle* out = new_handle(ctx, x->dtype, rank, shape, op);
  copy_to_dense(x, out->raw());
  return wrap_handle(env, out);
}

napi_value op_permute(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "permute";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  int64_t perm[MAX_RANK], shape[MAX_RANK], strides[MAX_RANK], want[MAX_RANK];
  int n = arg_int_list(env, argv[1], perm, MAX_RANK, 0, MAX_RANK - 1, op, "perm");
  if (n != x->rank) fail(ErrKind::Shape, "permute: expected " + std::to_string(x->rank) + " dims for a tensor of shape " + fmt_shape(x->rank, x->shape) + ", got " + std::to_string(n));
  bool seen[MAX_RANK] = {};
  for (int d = 0; d < n; d++) {
    if (perm[d] >= n || seen[perm[d]]) fail(ErrKind::Argument, "permute: perm must be a permutation of 0.." + std::to_string(n - 1));
    seen[perm[d]] = true;
    want[d] = x->shape[perm[d]];
    strides[d] = x->strides[perm[d]];
  }
  int rank = arg_shape(env, argv[2], shape, op);
  check_out_shape(rank, shape, n, want, op);
  return wrap_handle(env, new_view(x, n, want, strides, x->offset));
}

napi_value op_expand(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "expand";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  int64_t shape[MAX_RANK], strides[MAX_RANK];
  int rank = arg_shape(env, argv[1], shape, op);
  if (rank != x->rank) fail(ErrKind::Shape, "expand: target " + fmt_shape(rank, shape) + " must have the rank of the input " + fmt_shape(x->rank, x->shape));
  for (int d = 0; d < rank; d++) {
    if (x->shape[d] == shape[d]) strides[d] = x->strides[d];
    else if (x->shape[d] == 1) strides[d] = 0;
    else fail(ErrKind::Shape, "expand: cannot expand " + fmt_shape(x->rank, x->shape) + " to " + fmt_shape(rank, shape));
  }
  return wrap_handle(env, new_view(x, rank, shape, strides, x->offset));
}

napi_value op_slice(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "slice";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  int64_t begin[MAX_RANK], end[MAX_RANK], step[MAX_RANK], shape[MAX_RANK], want[MAX_RANK], strides[MAX_RANK];
  int nb = arg_int_list(env, argv[1], begin, MAX_RANK, 0, MAX_ELEMENTS, op, "begin");
  int ne = arg_int_list(env, argv[2], end, MAX_RANK, 0, MAX_ELEMENTS, op, "end");
  int ns = arg_int_list(env, argv[3], step, MAX_RANK, 1, MAX_ELEMENTS, op, "step");
  if (nb != x->rank || ne != x->rank || ns != x->rank) fail(ErrKind::Shape, "slice: begin, end and step need one entry per dim of " + fmt_shape(x->rank, x->shape));
  int64_t offset = x->offset;
  for (int d = 0; d < x->rank; d++) {
    if (begin[d] > end[d] || end[d] > x->shape[d]) {
      fail(ErrKind::Argument, "slice: range [" + std::to_string(begin[d]) + ", " + std::to_string(end[d]) + ") does not fit dimension " + std::to_string(d) + " of " + fmt_shape(x->rank, x->shape));
    }
    want[d] = (end[d] - begin[d] + step[d] - 1) / step[d];
    // With two or more elements the step is below the dim, so the product stays in range.
    strides[d] = want[d] > 1 ? x->strides[d] * step[d] : x->strides[d];
    if (want[d] > 0) offset += begin[d] * x->strides[d];
  }
  int rank = arg_shape(env, argv[4], shape, op);
  check_out_shape(rank, shape, x->rank, want, op);
  return wrap_handle(env, new_view(x, rank, want, strides, offset));
}

napi_value op_pad(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "pad";
  Handle* x = unwrap_handle(env, argv[0], ctx, op);
  int64_t pads[2 * MAX_RANK], shape[MAX_RANK], want[MAX_RANK];
  int np = arg_int_list(env, argv[1], pads, 2 * MAX_RANK, 0, MAX_ELEMENTS, op, "pads");
  if (np != 2 * x->rank) fail(ErrKind::Shape, "pad: expected a [before, after] pair per dim of " + fmt_shape(x->rank, x->shape));
  double value = arg_number(env, argv[2], op, "value");
  for (int d = 0; d < x->rank; d++) want[d] = x->shape[d] + pads[2 * d] + pads[2 * d + 1];
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, x->rank, want, op);
  Handle* out = new_handle(ctx, x->dtype, rank, shape, op);
  with_dtype(x->dtype, [&](auto t) {
    using T = decltype(t);
    T v = Convert<T>::from(value);
    T* o = out->data<T>();
    int64_t n = out->size;
    parallel_for(n, threads_for(n, COPY_GRAIN), 64, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) o[i] = v;
    });
  });
  int64_t offset = 0;
  for (int d = 0; d < rank; d++) offset += pads[2 * d] * out->strides[d];
  if (x->size > 0) {
    copy_strided(out->raw() + offset * static_cast<int64_t>(dtype_size(x->dtype)), out->strides, x->raw(), x->strides,
                 x->rank, x->shape, dtype_size(x->dtype));
  }
  return wrap_handle(env, out);
}

napi_value op_concat(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "concat";
  bool is_array = false;
  if (napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) fail(ErrKind::Argument, "concat: inputs must be an array of handles");
  uint32_t count = 0;
  napi_get_array_length(env, argv[0], &count);
  if (count == 0) fail(ErrKind::Argument, "concat: needs at least one input");
  std::vector<Handle*> xs(count);
  for (uint32_t i = 0; i < count; i++) {
    napi_value e;
    napi_get_element(env, argv[0], i, &e);
    xs[i] = unwrap_handle(env, e, ctx, op);
  }
  const Handle* first = xs[0];
  int64_t axis = arg_int(env, argv[1], 0, first->rank > 0 ? first->rank - 1 : 0, op, "axis");
  if (first->rank == 0) fail(ErrKind::Shape, "concat: scalars cannot be concatenated");
  int64_t want[MAX_RANK];
  for (int d = 0; d < first->rank; d++) want[d] = first->shape[d];
  want[axis] = 0;
  for (Handle* x : xs) {
    if (x->dtype != first->dtype) fail(ErrKind::DType, std::string("concat: inputs must share a dtype, got ") + dtype_name(first->dtype) + " and " + dtype_name(x->dtype));
    bool ok = x->rank == first->rank;
    for (int d = 0; ok && d < x->rank; d++) ok = d == axis || x->shape[d] == first->shape[d];
    if (!ok) fail(ErrKind::Shape, "concat: shapes must match except in dimension " + std::to_string(axis) + ", got " + fmt_shape(first->rank, first->shape) + " and " + fmt_shape(x->rank, x->shape));
    want[axis] += x->shape[axis];
  }
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[2], shape, op);
  check_out_shape(rank, shape, first->rank, want, op);
  Handle* out = new_handle(ctx, first->dtype, rank, shape, op);
  size_t elem = dtype_size(first->dtype);
  int64_t at = 0;
  for (Handle* x : xs) {
    if (x->size > 0) copy_strided(out->raw() + at * out->strides[axis] * static_cast<int64_t>(elem), out->strides, x->raw(), x->strides, x->rank, x->shape, elem);
    at += x->shape[axis];
  }
  return wrap_handle(env, out);
}

}  // namespace px
