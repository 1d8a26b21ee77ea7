// sum / prod / max / min over sorted axes, and argmax / argmin along one axis.
//
// The input view is split into kept dims K (the output, dense in K order) and reduced dims R.
// Two loop shapes read memory in order without copying:
//   runs:    R has a stride-1 dim: every output reduces contiguous runs (SIMD, double accumulators
//            for float32, so a float32 sum of millions of values is accurate to ~1e-9 relative);
//   columns: K has a stride-1 dim: rows of that dim are accumulated elementwise into a buffer.
// Other layouts are first copied densely. One output reduced over many values is split across
// threads, as are many outputs.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "args.h"
#include "convert.h"
#include "lazy.h"
#include "movement.h"
#include "ops.h"
#include "simd.h"
#include "strided.h"
#include "threadpool.h"

namespace px {
namespace {

enum ReduceOp { R_SUM = 0, R_PROD, R_MAX, R_MIN, NUM_REDUCE };
constexpr int64_t GRAIN = 1 << 15;
// A reduction over at least SPLIT_MIN values, when fewer than SPLIT_PIECES of them are asked for,
// is cut into SPLIT_PIECES fixed pieces, combined in order, for the threads to share. The pieces
// do not depend on the thread count, so neither do the result's bits.
constexpr int64_t SPLIT_PIECES = 8;
constexpr int64_t SPLIT_MIN = 2 * GRAIN;

// ---- contiguous runs --------------------------------------------------------------------------

template <class VF, class VD>
PX_INLINE double sum_f32_kernel(const float* x, int64_t n) {
  constexpr int N = sizeof(VF) / sizeof(float);
  VD a0 = {}, a1 = {}, a2 = {}, a3 = {};
  int64_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    a0 += __builtin_convertvector(vload<VF>(x + i), VD);
    a1 += __builtin_convertvector(vload<VF>(x + i + N), VD);
    a2 += __builtin_convertvector(vload<VF>(x + i + 2 * N), VD);
    a3 += __builtin_convertvector(vload<VF>(x + i + 3 * N), VD);
  }
  VD a = (a0 + a1) + (a2 + a3);
  double s = 0;
  for (int j = 0; j < N; j++) s += a[j];
  for (; i < n; i++) s += x[i];
  return s;
}

template <class VD>
PX_INLINE double sum_f64_kernel(const double* x, int64_t n) {
  constexpr int N = sizeof(VD) / sizeof(double);
  // Blocks keep each partial sum short: the error grows with the block, not the whole length.
  double total = 0;
  for (int64_t start = 0; start < n; start += 4096) {
    int64_t m = n - start < 4096 ? n - start : 4096;
    const double* p = x + start;
    VD a0 = {}, a1 = {}, a2 = {}, a3 = {};
    int64_t i = 0;
    for (; i + 4 * N <= m; i += 4 * N) {
      a0 += vload<VD>(p + i);
      a1 += vload<VD>(p + i + N);
      a2 += vload<VD>(p + i + 2 * N);
      a3 += vload<VD>(p + i + 3 * N);
    }
    VD a = (a0 + a1) + (a2 + a3);
    double s = 0;
    for (int j = 0; j < N; j++) s += a[j];
    for (; i < m; i++) s += p[i];
    total += s;
  }
  return total;
}

double sum_f32_portable(const float* x, int64_t n) { return sum_f32_kernel<v4sf, v4df>(x, n); }
PX_TARGET_AVX2 double sum_f32_avx2(const float* x, int64_t n) { return sum_f32_kernel<v4sf, v4df>(x, n); }
PX_TARGET_AVX512 double sum_f32_avx512(const float* x, int64_t n) { return sum_f32_kernel<v8sf, v8df>(x, n); }
double sum_f64_portable(const double* x, int64_t n) { return sum_f64_kernel<v2df>(x, n); }
PX_TARGET_AVX2 double sum_f64_avx2(const double* x, int64_t n) { return sum_f64_kernel<v4df>(x, n); }
PX_TARGET_AVX512 double sum_f64_avx512(const double* x, int64_t n) { return sum_f64_kernel<v8df>(x, n); }

double sum_f32_run(const float* x, int64_t n) {
  switch (g_isa) {
    case Isa::Avx512: return sum_f32_avx512(x, n);
    case Isa::Avx2: return sum_f32_avx2(x, n);
    default: return sum_f32_portable(x, n);
  }
}
double sum_f64_run(const double* x, int64_t n) {
  switch (g_isa) {
    case Isa::Avx512: return sum_f64_avx512(x, n);
    case Isa::Avx2: return sum_f64_avx2(x, n);
    default: return sum_f64_portable(x, n);
  }
}

// acc[j] += x[j] over a row of columns, float32 values into double accumulators. Without the
// explicit vectors, the baseline build converts two values per instruction: a column sum (a
// bias gradient) ran at a third of the speed of a full sum over the same values.
template <class VF, class VD>
PX_INLINE void col_f32_kernel(double* PX_RESTRICT acc, const float* PX_RESTRICT x, int64_t n) {
  constexpr int N = sizeof(VF) / sizeof(float);
  int64_t j = 0;
  for (; j + N <= n; j += N) vstore(acc + j, vload<VD>(acc + j) + __builtin_convertvector(vload<VF>(x + j), VD));
  for (; j < n; j++) acc[j] += x[j];
}

template <class VD>
PX_INLINE void col_f64_kernel(double* PX_RESTRICT acc, const double* PX_RESTRICT x, int64_t n) {
  constexpr int N = sizeof(VD) / sizeof(double);
  int64_t j = 0;
  for (; j + N <= n; j += N) vstore(acc + j, vload<VD>(acc + j) + vload<VD>(x + j));
  for (; j < n; j++) acc[j] += x[j];
}

void col_f32_portable(double* acc, const float* x, int64_t n) { col_f32_kernel<v4sf, v4df>(acc, x, n); }
PX_TARGET_AVX2 void col_f32_avx2(double* acc, const float* x, int64_t n) { col_f32_kernel<v4sf, v4df>(acc, x, n); }
PX_TARGET_AVX512 void col_f32_avx512(double* acc, const float* x, int64_t n) { col_f32_kernel<v8sf, v8df>(acc, x, n); }
void col_f64_portable(double* acc, const double* x, int64_t n) { col_f64_kernel<v2df>(acc, x, n); }
PX_TARGET_AVX2 void col_f64_avx2(double* acc, const double* x, int64_t n) { col_f64_kernel<v4df>(acc, x, n); }
PX_TARGET_AVX512 void col_f64_avx512(double* acc, const double* x, int64_t n) { col_f64_kernel<v8df>(acc, x, n); }

void col_sum(double* acc, const float* x, int64_t n) {
  switch (g_isa) {
    case Isa::Avx512: return col_f32_avx512(acc, x, n);
    case Isa::Avx2: return col_f32_avx2(acc, x, n);
    default: return col_f32_portable(acc, x, n);
  }
}
void col_sum(double* acc, const double* x, int64_t n) {
  switch (g_isa) {
    case Isa::Avx512: return col_f64_avx512(acc, x, n);
    case Isa::Avx2: return col_f64_avx2(acc, x, n);
    default: return col_f64_portable(acc, x, n);
  }
}

// ---- policies: accumulator, run, column step, combine, result ---------------------------------

template <class T>
struct SumFloat {
  typedef T In;
  typedef double Acc;
  typedef T Out;
  static Acc init() { return 0; }
  static Acc run(const T* x, int64_t n, int64_t s) {
    if (s == 1) {
      if (sizeof(T) == 4) return sum_f32_run(reinterpret_cast<const float*>(x), n);
      return sum_f64_run(reinterpret_cast<const double*>(x), n);
    }
    double a = 0;
    for (int64_t i = 0; i < n; i++) a += x[i * s];
    return a;
  }
  static void col(Acc* acc, const T* x, int64_t n) { col_sum(acc, x, n); }
  static Acc combine(Acc a, Acc b) { return a + b; }
  static Out finish(Acc a) { return static_cast<Out>(a); }
};

// int32 and bool sums in int64, wrapped to int32 at the end (as a JS Int32Array store would).
template <class T>
struct SumInt {
  typedef T In;
  typedef int64_t Acc;
  typedef int32_t Out;
  static Acc init() { return 0; }
  static Acc run(const T* x, int64_t n, int64_t s) {
    int64_t a = 0;
    if (s == 1)
      for (int64_t i = 0; i < n; i++) a += x[i];
    else
      for (int64_t i = 0; i < n; i++) a += x[i * s];
    return a;
  }
  static void col(Acc* PX_RESTRICT acc, const T* PX_RESTRICT x, int64_t n) {
    for (int64_t j = 0; j < n; j++) acc[j] += x[j];
  }
  static Acc combine(Acc a, Acc b) { return static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
  static Out finish(Acc a) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(a))); }
};

// Float products accumulate in double, in order.
template <class T>
struct ProdFloat {
  typedef T In;
  typedef double Acc;
  typedef T Out;
  static Acc init() { return 1; }
  static Acc run(const T* x, int64_t n, int64_t s) {
    double a = 1;
    for (int64_t i = 0; i < n; i++) a *= x[i * s];
    return a;
  }
  static void col(Acc* PX_RESTRICT acc, const T* PX_RESTRICT x, int64_t n) {
    for (int64_t j = 0; j < n; j++) acc[j] *= x[j];
  }
  static Acc combine(Acc a, Acc b) { return a * b; }
  static Out finish(Acc a) { return static_cast<Out>(a); }
};

template <class T>
struct ProdInt {
  typedef T In;
  typedef uint32_t Acc;
  typedef int32_t Out;
  static Acc init() { return 1; }
  static Acc run(const T* x, int64_t n, int64_t s) {
    uint32_t a = 1;
    for (int64_t i = 0; i < n; i++) a *= static_cast<uint32_t>(x[i * s]);
    return a;
  }
  static void col(Acc* PX_RESTRICT acc, const T* PX_RESTRICT x, int64_t n) {
    for (int64_t j = 0; j < n; j++) acc[j] *= static_cast<uint32_t>(x[j]);
  }
  static Acc combine(Acc a, Acc b) { return a * b; }
  static Out finish(Acc a) { return static_cast<int32_t>(a); }
};

// max/min: NaN, once seen, stays (neither comparison below is true against it).
template <class T, bool IsMax>
struct Extreme {
  typedef T In;
  typedef T Acc;
  typedef T Out;
  static Acc init() {
    if (std::numeric_limits<T>::has_infinity) return IsMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    return IsMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  }
  static PX_INLINE T pick(T a, T v) { return (IsMax ? v > a : v < a) || v != v ? v : a; }
  static Acc run(const T* x, int64_t n, int64_t s) {
    T m[8];
    for (int j = 0; j < 8; j++) m[j] = init();
    int64_t i = 0;
    if (s == 1)
      for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) m[j] = pick(m[j], x[i + j]);
    T a = init();
    for (int j = 0; j < 8; j++) a = pick(a, m[j]);
    for (; i < n; i++) a = pick(a, x[i * s]);
    return a;
  }
  static void col(Acc* PX_RESTRICT acc, const T* PX_RESTRICT x, int64_t n) {
    for (int64_t j = 0; j < n; j++) acc[j] = pick(acc[j], x[j]);
  }
  static Acc combine(Acc a, Acc b) { return pick(a, b); }
  static Out finish(Acc a) { return a; }
};

// ---- drivers ----------------------------------------------------------------------------------

struct Dims {
  int rank = 0;
  int64_t shape[MAX_RANK];
  int64_t xs[MAX_RANK];  // input strides
  int64_t os[MAX_RANK];  // output strides (kept dims only)
};

// Reduced dims R: `r` walks them, innermost last. Kept dims K: `k` walks (input, output) strides.
template <class P>
void reduce_runs(const typename P::In* x, typename P::Out* out, int64_t out_size, const Walk<2>& k, const Walk<1>& r) {
  typedef typename P::Acc Acc;
  const int64_t rsize = r.size();
  const int64_t rs = r.inner_stride(0);
  auto reduce_range = [&](int64_t base, int64_t b, int64_t e) {
    Acc acc = P::init();
    int64_t start = base;
    walk_range<1>(r, b, e, &start, [&](const int64_t* off, int64_t len) { acc = P::combine(acc, P::run(x + off[0], len, rs)); });
    return acc;
  };
  int nt_out = threads_for(out_size * rsize, GRAIN);
  if (out_size >= SPLIT_PIECES || rsize < SPLIT_MIN) {
    // Many outputs (or short ones): each thread takes a range of them.
    parallel_for(out_size, out_size >= nt_out ? nt_out : 1, 1, [&](int64_t b, int64_t e) {
      int64_t zero[2] = {0, 0};
      walk_range<2>(k, b, e, zero, [&](const int64_t* off, int64_t len) {
        for (int64_t j = 0; j < len; j++)
          out[off[1] + j * k.inner_stride(1)] = P::finish(reduce_range(off[0] + j * k.inner_stride(0), 0, rsize));
      });
    });
    return;
  }
  // Few outputs over many values: split each reduction into fixed pieces and combine them.
  std::vector<Acc> parts(static_cast<size_t>(SPLIT_PIECES));
  int64_t zero[2] = {0, 0};
  walk_range<2>(k, 0, out_size, zero, [&](const int64_t* off, int64_t len) {
    for (int64_t j = 0; j < len; j++) {
      int64_t base = off[0] + j * k.inner_stride(0);
      // Whole rows per piece where there are several rows, else equal pieces of the one row.
      int64_t align = r.rank > 1 ? r.inner() : 1;
      parallel_chunks(SPLIT_PIECES, threads_for(rsize, GRAIN), [&](int64_t t, int) {
        int64_t units = (rsize + align - 1) / align;
        int64_t b = units * t / SPLIT_PIECES * align, e = units * (t + 1) / SPLIT_PIECES * align;
        if (e > rsize) e = rsize;
        parts[t] = b < e ? reduce_range(base, b, e) : P::init();
      });
      Acc acc = P::init();
      for (int64_t t = 0; t < SPLIT_PIECES; t++) acc = P::combine(acc, parts[t]);
      out[off[1] + j * k.inner_stride(1)] = P::finish(acc);
    }
  });
}

// K has a stride-1 dim c (length L, output stride oc); `k` walks the other kept dims.
template <class P>
void reduce_columns(const typename P::In* x, typename P::Out* out, const Walk<2>& k, const Walk<1>& r, int64_t L,
                    int64_t oc) {
  typedef typename P::Acc Acc;
  constexpr int64_t CH = 2048;  // columns per task: the accumulator stays in L1
  const int64_t chunks = (L + CH - 1) / CH;
  const int64_t tasks = k.size() * chunks;
  const int64_t rsize = r.size();
  int nt = threads_for(tasks * rsize * (L < CH ? L : CH), GRAIN);
  if (nt > tasks) nt = static_cast<int>(tasks);
  std::vector<Acc> bufs(static_cast<size_t>(nt) * CH);
  parallel_run(nt, [&](int t) {
    Acc* acc = bufs.data() + static_cast<size_t>(t) * CH;
    int64_t tb = tasks * t / nt, te = tasks * (t + 1) / nt;
    for (int64_t task = tb; task < te; task++) {
      int64_t ko = task / chunks, c0 = (task % chunks) * CH;
      int64_t n = L - c0 < CH ? L - c0 : CH;
      // Offsets of this combination of the other kept dims.
      int64_t off[2] = {0, 0};
      walk_range<2>(k, ko, ko + 1, off, [&](const int64_t* o, int64_t) {
        off[0] = o[0];
        off[1] = o[1];
      });
      for (int64_t j = 0; j < n; j++) acc[j] = P::init();
      int64_t start = off[0] + c0;
      walk_range<1>(r, 0, rsize, &start, [&](const int64_t* o, int64_t len) {
        for (int64_t i = 0; i < len; i++) P::col(acc, x + o[0] + i * r.inner_stride(0), n);
      });
      for (int64_t j = 0; j < n; j++) out[off[1] + (c0 + j) * oc] = P::finish(acc[j]);
    }
  });
}

// A reduction of a lazy expression, evaluated in blocks straight into the accumulators (the
// expression's values are never stored). Handles reductions over trailing dims (each output a
// run of consecutive elements) and over leading dims (columns); false for any other layout.
template <class P>
bool fused_reduce(const Handle* x, const bool* reduced, typename P::Out* out, int64_t out_size) {
  typedef typename P::In T;
  typedef typename P::Acc Acc;
  bool seen_reduced = false, seen_kept = false, suffix = true, prefix = true;
  int64_t K = 1, R = 1;
  for (int d = 0; d < x->rank; d++) {
    if (x->shape[d] == 1) continue;
    if (reduced[d]) {
      R *= x->shape[d];
      seen_reduced = true;
      if (seen_kept) prefix = false;
    } else {
      K *= x->shape[d];
      seen_kept = true;
      if (seen_reduced) suffix = false;
    }
  }
  if ((!suffix && !prefix) || x->size == 0) return false;
  Program p;
  compile(x->expr, &p);
  constexpr int64_t B = 2048;  // elements evaluated per step
  const size_t scratch = scratch_bytes(p);
  const size_t slot_bytes = scratch + B * sizeof(T) + (prefix && !suffix ? B * sizeof(Acc) : 0) + 64;
  int nt = threads_for(x->size * (p.nnodes + 1), GRAIN);
  std::vector<char> mem(slot_bytes * static_cast<size_t>(nt));
  auto slot_mem = [&](int slot) { return mem.data() + slot_bytes * static_cast<size_t>(slot); };
  auto block = [&](int slot) { return reinterpret_cast<T*>(slot_mem(slot) + scratch); };
  // Reduces elements [b, e) of the expression (consecutive in its row-major order).
  auto reduce_range = [&](int64_t b, int64_t e, int slot) {
    Acc acc = P::init();
    T* buf = block(slot);
    for (int64_t i = b; i < e; i += B) {
      int64_t n = e - i < B ? e - i : B;
      run(p, i, i + n, buf, slot_mem(slot));
      acc = P::combine(acc, P::run(buf, n, 1));
    }
    return acc;
  };
  if (suffix) {
    if (out_size >= SPLIT_PIECES || R < SPLIT_MIN) {
      // Short rows go several to an evaluation (they are consecutive elements): one run() per row
      // would cost more than the row.
      const int64_t rows = 2 * R <= B ? B / R : 1;
      parallel_chunks(nt > 1 ? 4 * static_cast<int64_t>(nt) : 1, nt, [&](int64_t c, int slot) {
        int64_t chunks = nt > 1 ? 4 * static_cast<int64_t>(nt) : 1;
        const int64_t k1 = out_size * (c + 1) / chunks;
        for (int64_t k = out_size * c / chunks; k < k1; k += rows) {
          if (rows == 1) {
            out[k] = P::finish(reduce_range(k * R, (k + 1) * R, slot));
            continue;
          }
          const int64_t n = std::min(rows, k1 - k);
          T* buf = block(slot);
          run(p, k * R, (k + n) * R, buf, slot_mem(slot));
          for (int64_t i = 0; i < n; i++) out[k + i] = P::finish(P::run(buf + i * R, R, 1));
        }
      });
    } else {
      // Few long reductions: split each into fixed pieces, combined in order.
      const int64_t chunks = SPLIT_PIECES;
      std::vector<Acc> parts(static_cast<size_t>(chunks));
      for (int64_t k = 0; k < out_size; k++) {
        parallel_chunks(chunks, nt, [&](int64_t c, int slot) {
          int64_t units = (R + B - 1) / B;
          int64_t b = units * c / chunks * B, e = units * (c + 1) / chunks * B;
          parts[c] = P::init();
          if (e > R) e = R;
          if (b < e) parts[c] = reduce_range(k * R + b, k * R + e, slot);
        });
        Acc acc = P::init();
        for (int64_t c = 0; c < chunks; c++) acc = P::combine(acc, parts[c]);
        out[k] = P::finish(acc);
      }
    }
    return true;
  }
  // Leading dims reduced: out[j] accumulates element r·K + j over r.
  if (2 * K <= B) {
    // Short rows: several whole rows to an evaluation, and the rows split into a fixed number of
    // parts, accumulated apart and combined in order (the same result on any number of threads).
    const int64_t rows = B / K;
    const int64_t parts = std::min<int64_t>(SPLIT_PIECES, (R + rows - 1) / rows);
    std::vector<Acc> accs(static_cast<size_t>(parts * K), P::init());
    parallel_chunks(parts, static_cast<int>(std::min<int64_t>(nt, parts)), [&](int64_t q, int slot) {
      Acc* acc = accs.data() + q * K;
      T* buf = block(slot);
      const int64_t end = R * (q + 1) / parts;
      for (int64_t r0 = R * q / parts; r0 < end; r0 += rows) {
        const int64_t n = std::min(rows, end - r0);
        run(p, r0 * K, (r0 + n) * K, buf, slot_mem(slot));
        for (int64_t i = 0; i < n; i++) P::col(acc, buf + i * K, K);
      }
    });
    for (int64_t j = 0; j < K; j++) {
      Acc a = accs[static_cast<size_t>(j)];
      for (int64_t q = 1; q < parts; q++) a = P::combine(a, accs[static_cast<size_t>(q * K + j)]);
      out[j] = P::finish(a);
    }
    return true;
  }
  // Long rows: a block of columns at a time.
  const int64_t tasks = (K + B - 1) / B;
  if (tasks < nt) nt = static_cast<int>(tasks);
  parallel_chunks(tasks, nt, [&](int64_t t, int slot) {
    const int64_t j0 = t * B, n = K - j0 < B ? K - j0 : B;
    Acc* acc = reinterpret_cast<Acc*>(slot_mem(slot) + scratch + B * sizeof(T));
    T* buf = block(slot);
    for (int64_t j = 0; j < n; j++) acc[j] = P::init();
    for (int64_t r = 0; r < R; r++) {
      run(p, r * K + j0, r * K + j0 + n, buf, slot_mem(slot));
      P::col(acc, buf, n);
    }
    for (int64_t j = 0; j < n; j++) out[j0 + j] = P::finish(acc[j]);
  });
  return true;
}

// Plans and runs a reduction of a view into the dense output.
template <class P>
void run_reduce(Context* ctx, Handle* xin, const bool* reduced, typename P::Out* out, int64_t out_size) {
  if (out_size == 0) return;
  if (xin->expr) {
    // (An expression already computed through another handle is just read.)
    if (!xin->expr->st && fused_reduce<P>(xin, reduced, out, out_size)) return;
    materialize(xin);
  }
  if (xin->size == 0) {
    for (int64_t i = 0; i < out_size; i++) out[i] = P::finish(P::init());
    return;
  }
  for (int attempt = 0; attempt < 2; attempt++) {
    bool owned = false;
    const Handle* x = attempt == 0 ? xin : dense_input(ctx, xin, &owned, "reduce");
    // Split dims (size-1 dims dropped); output strides are dense over the kept dims.
    Dims K, R;
    int64_t ostride = 1;
    int64_t kept_out_stride[MAX_RANK];
    for (int d = x->rank - 1; d >= 0; d--) {
      if (!reduced[d]) {
        kept_out_stride[d] = ostride;
        ostride *= x->shape[d];
      }
    }
    for (int d = 0; d < x->rank; d++) {
      if (x->shape[d] == 1) continue;
      Dims& g = reduced[d] ? R : K;
      g.shape[g.rank] = x->shape[d];
      g.xs[g.rank] = x->strides[d];
      g.os[g.rank] = reduced[d] ? 0 : kept_out_stride[d];
      g.rank++;
    }
    // Prefer runs: move R's stride-1 dim innermost.
    int r1 = -1, k1 = -1;
    for (int d = 0; d < R.rank; d++)
      if (R.xs[d] == 1) r1 = d;
    for (int d = 0; d < K.rank; d++)
      if (K.xs[d] == 1) k1 = d;
    const typename P::In* base = x->data<typename P::In>();
    if (r1 >= 0 || R.rank == 0) {
      if (r1 >= 0) {
        Dims R2;
        for (int d = 0; d < R.rank; d++)
          if (d != r1) {
            R2.shape[R2.rank] = R.shape[d];
            R2.xs[R2.rank++] = R.xs[d];
          }
        R2.shape[R2.rank] = R.shape[r1];
        R2.xs[R2.rank++] = 1;
        R = R2;
      }
      const int64_t* rs[1] = {R.xs};
      Walk<1> rw = make_walk<1>(R.rank, R.shape, rs);
      const int64_t* ks[2] = {K.xs, K.os};
      Walk<2> kw = make_walk<2>(K.rank, K.shape, ks);
      reduce_runs<P>(base, out, out_size, kw, rw);
    } else if (k1 >= 0) {
      int64_t L = K.shape[k1], oc = K.os[k1];
      Dims K2;
      for (int d = 0; d < K.rank; d++)
        if (d != k1) {
          K2.shape[K2.rank] = K.shape[d];
          K2.xs[K2.rank] = K.xs[d];
          K2.os[K2.rank++] = K.os[d];
        }
      const int64_t* rs[1] = {R.xs};
      Walk<1> rw = make_walk<1>(R.rank, R.shape, rs);
      const int64_t* ks[2] = {K2.xs, K2.os};
      Walk<2> kw = make_walk<2>(K2.rank, K2.shape, ks);
      reduce_columns<P>(base, out, kw, rw, L, oc);
    } else {
      // Neither group is dense anywhere: copy densely and plan again.
      if (owned) free_unwrapped(const_cast<Handle*>(x));
      continue;
    }
    if (owned) free_unwrapped(const_cast<Handle*>(x));
    return;
  }
}

}  // namespace

napi_value op_reduce(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "reduce";
  int code = static_cast<int>(arg_int(env, argv[0], 0, NUM_REDUCE - 1, op, "op code"));
  Handle* x = unwrap_lazy(env, argv[1], ctx, op);
  int64_t axes[MAX_RANK], shape[MAX_RANK], want[MAX_RANK];
  int na = arg_int_list(env, argv[2], axes, MAX_RANK, 0, MAX_RANK - 1, op, "axes");
  bool reduced[MAX_RANK] = {};
  for (int i = 0; i < na; i++) {
    if (axes[i] >= x->rank || (i > 0 && axes[i] <= axes[i - 1])) {
      fail(ErrKind::Argument, "reduce: axes must be sorted, distinct and below the rank " + std::to_string(x->rank));
    }
    reduced[axes[i]] = true;
  }
  int wrank = 0;
  bool empty_axis = false;
  for (int d = 0; d < x->rank; d++) {
    if (!reduced[d]) want[wrank++] = x->shape[d];
    else if (x->shape[d] == 0) empty_axis = true;
  }
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, wrank, want, op);
  DType dtype = arg_dtype(env, argv[4], op);
  bool is_sum = code == R_SUM || code == R_PROD;
  DType expect = is_sum && !is_float(x->dtype) ? DType::I32 : x->dtype;
  check_out_dtype(dtype, expect, op);
  int64_t out_size = 1;
  for (int d = 0; d < rank; d++) out_size *= shape[d];
  if (!is_sum && empty_axis && out_size > 0) fail(ErrKind::Shape, std::string(code == R_MAX ? "max" : "min") + ": cannot reduce over an empty dimension of " + fmt_shape(x->rank, x->shape));
  Handle* out = new_handle(ctx, dtype, rank, shape, op);
  OutGuard guard(out);
  switch (x->dtype) {
    case DType::F32:
      if (code == R_SUM) run_reduce<SumFloat<float>>(ctx, x, reduced, out->data<float>(), out_size);
      else if (code == R_PROD) run_reduce<ProdFloat<float>>(ctx, x, reduced, out->data<float>(), out_size);
      else if (code == R_MAX) run_reduce<Extreme<float, true>>(ctx, x, reduced, out->data<float>(), out_size);
      else run_reduce<Extreme<float, false>>(ctx, x, reduced, out->data<float>(), out_size);
      break;
    case DType::F64:
      if (code == R_SUM) run_reduce<SumFloat<double>>(ctx, x, reduced, out->data<double>(), out_size);
      else if (code == R_PROD) run_reduce<ProdFloat<double>>(ctx, x, reduced, out->data<double>(), out_size);
      else if (code == R_MAX) run_reduce<Extreme<double, true>>(ctx, x, reduced, out->data<double>(), out_size);
      else run_reduce<Extreme<double, false>>(ctx, x, reduced, out->data<double>(), out_size);
      break;
    case DType::I32:
      if (code == R_SUM) run_reduce<SumInt<int32_t>>(ctx, x, reduced, out->data<int32_t>(), out_size);
      else if (code == R_PROD) run_reduce<ProdInt<int32_t>>(ctx, x, reduced, out->data<int32_t>(), out_size);
      else if (code == R_MAX) run_reduce<Extreme<int32_t, true>>(ctx, x, reduced, out->data<int32_t>(), out_size);
      else run_reduce<Extreme<int32_t, false>>(ctx, x, reduced, out->data<int32_t>(), out_size);
      break;
    default:
      if (code == R_SUM) run_reduce<SumInt<uint8_t>>(ctx, x, reduced, out->data<int32_t>(), out_size);
      else if (code == R_PROD) run_reduce<ProdInt<uint8_t>>(ctx, x, reduced, out->data<int32_t>(), out_size);
      else if (code == R_MAX) run_reduce<Extreme<uint8_t, true>>(ctx, x, reduced, out->data<uint8_t>(), out_size);
      else run_reduce<Extreme<uint8_t, false>>(ctx, x, reduced, out->data<uint8_t>(), out_size);
      break;
  }
  return wrap_handle(env, guard.release());
}

// ---- argmax / argmin ----------------------------------------------------------------------------

namespace {

// Index of the first extreme; NaN counts as more extreme than any number (the first NaN wins).
template <class T, bool IsMax>
void arg_reduce(const T* x, int64_t outer, int64_t len, int64_t inner, const int64_t* xs3, int32_t* out) {
  // xs3: strides of the [outer, len, inner] view (outer and inner may be merged dims).
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t j = 0; j < inner; j++) {
      const T* p = x + o * xs3[0] + j * xs3[2];
      T best = p[0];
      int32_t idx = 0;
      for (int64_t k = 1; k < len && best == best; k++) {
        T v = p[k * xs3[1]];
        if (v != v || (IsMax ? v > best : v < best)) {
          best = v;
          idx = static_cast<int32_t>(k);
        }
      }
      out[o * inner + j] = idx;
    }
  }
}

}  // namespace

napi_value op_argreduce(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "argreduce";
  bool is_max = arg_int(env, argv[0], 0, 1, op, "op code") == 0;
  Handle* xin = unwrap_handle(env, argv[1], ctx, op);
  int64_t axis = arg_int(env, argv[2], 0, xin->rank > 0 ? xin->rank - 1 : 0, op, "axis");
  int64_t shape[MAX_RANK], want[MAX_RANK];
  int wrank = 0;
  for (int d = 0; d < xin->rank; d++)
    if (d != axis) want[wrank++] = xin->shape[d];
  int rank = arg_shape(env, argv[3], shape, op);
  check_out_shape(rank, shape, wrank, want, op);
  int64_t len = xin->rank == 0 ? 1 : xin->shape[axis];
  Handle* out = new_handle(ctx, DType::I32, rank, shape, op);
  OutGuard guard(out);
  if (out->size > 0 && len == 0) fail(ErrKind::Shape, "argmax/argmin: cannot reduce over an empty dimension of " + fmt_shape(xin->rank, xin->shape));
  if (out->size > 0) {
    bool owned = false;
    const Handle* x = dense_input(ctx, xin, &owned, op);
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++) outer *= x->shape[d];
    for (int d = static_cast<int>(axis) + 1; d < x->rank; d++) inner *= x->shape[d];
    int64_t xs3[3] = {len * inner, inner, 1};
    with_dtype(x->dtype, [&](auto t) {
      using T = decltype(t);
      if (is_max) arg_reduce<T, true>(x->data<T>(), outer, len, inner, xs3, out->data<int32_t>());
      else arg_reduce<T, false>(x->data<T>(), outer, len, inner, xs3, out->data<int32_t>());
    });
    if (owned) free_unwrapped(const_cast<Handle*>(x));
  }
  return wrap_handle(env, guard.release());
}

}  // namespace px
