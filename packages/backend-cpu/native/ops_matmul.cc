// Batched matmul: a [...ba, m, k] @ b [...bb, k, n] -> [...batch, m, n], batch dims broadcast.
// Operands are read through their strides (a transposed view goes straight into the packing);
// many small products run one per thread, large ones split across threads inside gemm.
#include <string>
#include <vector>

#include "args.h"
#include "convert.h"
#include "gemm.h"
#include "ops.h"
#include "strided.h"
#include "threadpool.h"

namespace px {
namespace {

// Below this many multiply-adds packing costs more than it saves: plain loops.
constexpr int64_t SMALL_WORK = 16 * 16 * 16;

template <class T, class Acc>
void matmul_simple(int64_t m, int64_t n, int64_t k, MatRef<T> a, MatRef<T> b, T* c) {
  for (int64_t i = 0; i < m; i++) {
    for (int64_t j = 0; j < n; j++) {
      Acc s = 0;
      for (int64_t p = 0; p < k; p++) s += static_cast<Acc>(a.p[i * a.rs + p * a.cs]) * static_cast<Acc>(b.p[p * b.rs + j * b.cs]);
      c[i * n + j] = static_cast<T>(s);
    }
  }
}

// int32 with two's-complement wrap; bool as "any product is true".
template <class T>
void matmul_int(int64_t m, int64_t n, int64_t k, MatRef<T> a, MatRef<T> b, T* c, std::vector<uint32_t>& row) {
  row.assign(static_cast<size_t>(n), 0);
  for (int64_t i = 0; i < m; i++) {
    std::fill(row.begin(), row.end(), 0u);
    for (int64_t p = 0; p < k; p++) {
      uint32_t s = static_cast<uint32_t>(a.p[i * a.rs + p * a.cs]);
      if (s == 0) continue;
      const T* br = b.p + p * b.rs;
      for (int64_t j = 0; j < n; j++) row[j] += s * static_cast<uint32_t>(br[j * b.cs]);
    }
    for (int64_t j = 0; j < n; j++) c[i * n + j] = sizeof(T) == 1 ? T(row[j] != 0) : static_cast<T>(static_cast<int32_t>(row[j]));
  }
}

struct Batch {
  int64_t a, b, c;  // element offsets
};

template <class T>
void run_float(const std::vector<Batch>& batches, int64_t m, int64_t n, int64_t k, const Handle* ah, const Handle* bh,
               T* out) {
  const int ar = ah->rank, br = bh->rank;
  MatRef<T> a{ah->data<T>(), ah->strides[ar - 2], ah->strides[ar - 1]};
  MatRef<T> b{bh->data<T>(), bh->strides[br - 2], bh->strides[br - 1]};
  const int64_t work = m * n * k;
  const int64_t count = static_cast<int64_t>(batches.size());
  // One b for every batch, and a's batches one after another down its rows (a linear layer on
  // [batch, seq, features]): a single tall product, which packs b once and splits across threads
  // by rows, instead of `count` short ones.
  bool fold = count > 1 && count * work >= SMALL_WORK;
  for (int64_t t = 1; t < count && fold; t++) fold = batches[t].b == batches[0].b && batches[t].a == batches[0].a + t * m * a.rs;
  if (fold) {
    gemm<T>(count * m, n, k, MatRef<T>{a.p + batches[0].a, a.rs, a.cs}, MatRef<T>{b.p + batches[0].b, b.rs, b.cs}, out, n, false,
            threads_for(count * work, GEMM_PARALLEL_MIN));
    return;
  }
  if (work < SMALL_WORK) {
    // Tiny products: plain loops (float32 accumulates in double, like the reference).
    int nt = threads_for(count * work, GEMM_PARALLEL_MIN);
    parallel_for(count, nt, 1, [&](int64_t s, int64_t e) {
      for (int64_t t = s; t < e; t++) {
        MatRef<T> at{a.p + batches[t].a, a.rs, a.cs}, bt{b.p + batches[t].b, b.rs, b.cs};
        matmul_simple<T, double>(m, n, k, at, bt, out + batches[t].c);
      }
    });
    return;
  }
  int nt = threads_for(count * work, GEMM_PARALLEL_MIN);
  if (count >= nt && work < 256 * 256 * 256) {
    // Many products: one per thread at a time.
    parallel_for(count, nt, 1, [&](int64_t s, int64_t e) {
      for (int64_t t = s; t < e; t++) {
        MatRef<T> at{a.p + batches[t].a, a.rs, a.cs}, bt{b.p + batches[t].b, b.rs, b.cs};
        gemm<T>(m, n, k, at, bt, out + batches[t].c, n, false, 1);
      }
    });
    return;
  }
  for (const Batch& bt : batches) {
    gemm<T>(m, n, k, MatRef<T>{a.p + bt.a, a.rs, a.cs}, MatRef<T>{b.p + bt.b, b.rs, b.cs}, out + bt.c, n, false, max_threads());
  }
}

}  // namespace

napi_value op_matmul(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "matmul";
  Handle* a = unwrap_handle(env, argv[0], ctx, op);
  Handle* b = unwrap_handle(env, argv[1], ctx, op);
  if (a->rank < 2 || b->rank < 2) fail(ErrKind::Shape, "matmul: operands need at least 2 dims, got " + fmt_shape(a->rank, a->shape) + " @ " + fmt_shape(b->rank, b->shape));
  if (a->dtype != b->dtype) fail(ErrKind::DType, std::string("matmul: operands must share a dtype, got ") + dtype_name(a->dtype) + " and " + dtype_name(b->dtype));
  const int64_t m = a->shape[a->rank - 2], k = a->shape[a->rank - 1];
  const int64_t k2 = b->shape[b->rank - 2], n = b->shape[b->rank - 1];
  if (k != k2) fail(ErrKind::Shape, "matmul: inner dimensions differ: " + fmt_shape(a->rank, a->shape) + " @ " + fmt_shape(b->rank, b->shape));
  // Broadcast batch dims.
  const int ab = a->rank - 2, bb = b->rank - 2;
  const int rank = (ab > bb ? ab : bb) + 2;
  int64_t want[MAX_RANK];
  for (int d = 0; d < rank - 2; d++) {
    int ia = d - (rank - 2 - ab), ib = d - (rank - 2 - bb);
    int64_t sa = ia >= 0 ? a->shape[ia] : 1, sb = ib >= 0 ? b->shape[ib] : 1;
    if (sa != sb && sa != 1 && sb != 1) fail(ErrKind::Shape, "matmul: batch dims of " + fmt_shape(a->rank, a->shape) + " and " + fmt_shape(b->rank, b->shape) + " do not broadcast");
    want[d] = sa == 1 ? sb : sa;
  }
  want[rank - 2] = m;
  want[rank - 1] = n;
  int64_t shape[MAX_RANK];
  int orank = arg_shape(env, argv[2], shape, op);
  check_out_shape(orank, shape, rank, want, op);
  DType dtype = arg_dtype(env, argv[3], op);
  check_out_dtype(dtype, a->dtype, op);
  Handle* out = new_handle(ctx, dtype, orank, shape, op);
  OutGuard guard(out);
  if (out->size > 0) {
    // Offsets of each batch: a and b read through broadcast strides of their batch dims.
    int64_t as[MAX_RANK], bs[MAX_RANK], cs[MAX_RANK];
    broadcast_strides(ab, a->shape, a->strides, rank - 2, want, as);
    broadcast_strides(bb, b->shape, b->strides, rank - 2, want, bs);
    dense_strides(rank - 2, want, cs);
    const int64_t mn = m * n;
    int64_t count = 1;
    for (int d = 0; d < rank - 2; d++) count *= want[d];
    std::vector<Batch> batches(static_cast<size_t>(count));
    for (int64_t t = 0; t < count; t++) {
      int64_t rest = t, oa = 0, ob = 0;
      for (int d = rank - 3; d >= 0; d--) {
        int64_t i = rest % want[d];
        rest /= want[d];
        oa += i * as[d];
        ob += i * bs[d];
      }
      batches[t] = Batch{oa, ob, t * mn};
    }
    switch (dtype) {
      case DType::F32: run_float<float>(batches, m, n, k, a, b, out->data<float>()); break;
      case DType::F64: run_float<double>(batches, m, n, k, a, b, out->data<double>()); break;
      default: {
        std::vector<uint32_t> row;
        with_dtype(dtype, [&](auto t) {
          using T = decltype(t);
          MatRef<T> ar{a->data<T>(), a->strides[a->rank - 2], a->strides[a->rank - 1]};
          MatRef<T> br{b->data<T>(), b->strides[b->rank - 2], b->strides[b->rank - 1]};
          for (const Batch& bt : batches)
            matmul_int<T>(m, n, k, MatRef<T>{ar.p + bt.a, ar.rs, ar.cs}, MatRef<T>{br.p + bt.b, br.rs, br.cs}, out->data<T>() + bt.c, row);
        });
      }
    }
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
