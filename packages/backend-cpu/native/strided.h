// Walking several same-shaped strided views at once. Dims of size 1 are dropped and neighbouring
// dims that every operand steps through contiguously are merged, so dense same-shape operands
// become one row and `[m,n] + [n]` two dims. Kernels are then called once per innermost row.
#pragma once

#include <cstring>

#include "common.h"

namespace px {

template <int N>
struct Walk {
  int rank = 0;  // 0: a single element
  int64_t shape[MAX_RANK];
  int64_t strides[N][MAX_RANK];

  int64_t inner() const { return rank == 0 ? 1 : shape[rank - 1]; }
  int64_t inner_stride(int k) const { return rank == 0 ? 0 : strides[k][rank - 1]; }
  int64_t size() const {
    int64_t n = 1;
    for (int d = 0; d < rank; d++) n *= shape[d];
    return n;
  }
};

// Builds the coalesced walk of `shape` for N operands with the given strides.
template <int N>
Walk<N> make_walk(int rank, const int64_t* shape, const int64_t* const* strides) {
  Walk<N> w;
  for (int d = 0; d < rank; d++) {
    int64_t size = shape[d];
    if (size == 1) continue;
    int last = w.rank - 1;
    bool merge = last >= 0;
    for (int k = 0; merge && k < N; k++) merge = w.strides[k][last] == strides[k][d] * size;
    if (merge) {
      w.shape[last] *= size;
      for (int k = 0; k < N; k++) w.strides[k][last] = strides[k][d];
    } else {
      w.shape[w.rank] = size;
      for (int k = 0; k < N; k++) w.strides[k][w.rank] = strides[k][d];
      w.rank++;
    }
  }
  return w;
}

// Calls row(offsets, len) for the elements [begin, end) of the walk in row-major order, where
// offsets[k] is operand k's element offset of the row start (plus base[k]) and len the number of
// elements in this piece of the row (rows may be cut at begin and end).
template <int N, class F>
void walk_range(const Walk<N>& w, int64_t begin, int64_t end, const int64_t* base, F&& row) {
  if (begin >= end) return;
  int64_t off[N];
  for (int k = 0; k < N; k++) off[k] = base[k];
  if (w.rank == 0) {
    row(off, int64_t(1));
    return;
  }
  const int r = w.rank;
  const int64_t inner = w.shape[r - 1];
  // Position of `begin`: its index along each dim.
  int64_t idx[MAX_RANK];
  int64_t rem = begin;
  for (int d = r - 1; d >= 0; d--) {
    idx[d] = rem % w.shape[d];
    rem /= w.shape[d];
    for (int k = 0; k < N; k++) off[k] += idx[d] * w.strides[k][d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t len = inner - idx[r - 1];
    if (len > end - pos) len = end - pos;
    row(off, len);
    pos += len;
    if (pos >= end) break;
    // Next row: the inner index returns to 0 and the outer dims count like an odometer.
    for (int k = 0; k < N; k++) off[k] -= idx[r - 1] * w.strides[k][r - 1];
    idx[r - 1] = 0;
    for (int d = r - 2; d >= 0; d--) {
      if (++idx[d] < w.shape[d]) {
        for (int k = 0; k < N; k++) off[k] += w.strides[k][d];
        break;
      }
      for (int k = 0; k < N; k++) off[k] -= (w.shape[d] - 1) * w.strides[k][d];
      idx[d] = 0;
    }
  }
}

// Strides of a view of rank `rank` read as if broadcast to `out_rank` dims of `out_shape`:
// right-aligned, 0 where the view has size 1 or lacks the dim.
inline void broadcast_strides(int rank, const int64_t* shape, const int64_t* strides, int out_rank,
                              const int64_t* out_shape, int64_t* out) {
  int lead = out_rank - rank;
  for (int d = 0; d < out_rank; d++) {
    int s = d - lead;
    out[d] = (s < 0 || shape[s] == 1) ? 0 : strides[s];
    (void)out_shape;
  }
}

}  // namespace px
