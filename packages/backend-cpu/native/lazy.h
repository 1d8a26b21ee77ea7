// Deferred (lazy) elementwise expressions. An elementwise op on a large tensor returns a handle
// that holds the expression instead of its values; later elementwise ops extend the expression,
// and the values are computed, in one fused pass over all inputs, only when something needs them
// (a read, a non-elementwise op, a reduction, which then consumes the expression without storing
// it). sum(relu(a*b + c)) thus reads a, b and c once and writes nothing but the sum, where eager
// evaluation writes and re-reads four full-size intermediates.
//
// Expressions are trees of reference-counted nodes; leaves are strided views (their storage is
// referenced, so it outlives every expression that reads it). A node evaluated once keeps its
// result, so a shared subexpression is computed at most once per materialization.
#pragma once

#include <functional>

#include "common.h"
#include "handle.h"
#include "strided.h"

namespace px {

enum class ExprOp : uint8_t { Leaf, Unary, Binary, Compare, Where, Cast };

struct Expr {
  int32_t refs = 1;
  ExprOp op = ExprOp::Leaf;
  int code = 0;  // unary / binary / compare op code
  DType dtype = DType::F32;
  int rank = 0;
  int64_t shape[MAX_RANK];
  int64_t size = 1;
  Expr* in[3] = {nullptr, nullptr, nullptr};
  int nin = 0;
  // A leaf's view; for an operation node, its result once computed (dense, then read as a leaf).
  Storage* st = nullptr;
  int64_t strides[MAX_RANK];
  int64_t offset = 0;
  // Bounds on the work of evaluating the tree (shared nodes counted once per use).
  int nodes = 0;
  int leaves = 1;
};

// Limits of one fused expression (what fits the evaluator's registers of blocks).
constexpr int LAZY_MAX_LEAVES = 12;
constexpr int LAZY_MAX_NODES = 24;

void expr_retain(Expr* e);
void expr_release(Expr* e);
// A new operation node over the children (references taken); its shape and dtype are given.
Expr* expr_node(ExprOp op, int code, DType dtype, int rank, const int64_t* shape, Expr* const* in, int nin);
// The expression a handle stands for (a new reference): its own when lazy, else a leaf of its view.
Expr* expr_of(const Handle* h);
// A lazy handle for `e` (takes the reference).
Handle* new_lazy(Context* ctx, Expr* e);
// Computes a lazy handle's values into dense storage of its own; the handle is then a plain one.
void materialize(Handle* h);
// Whether an op over these inputs should be deferred: big enough, and the expression stays small.
// When it is, an input whose pending expression another expression already reads is computed
// first (the node keeps its values), so a value used twice is evaluated once, not per consumer.
bool want_lazy(Handle* const* in, int n, int64_t out_size);

// A compiled expression: leaves with strides over the root's shape, nodes in evaluation order.
struct Program {
  DType dtype;
  int rank;
  int64_t shape[MAX_RANK];
  int64_t size;
  int nleaves = 0;
  const char* leaf_base[LAZY_MAX_LEAVES];
  size_t leaf_elem[LAZY_MAX_LEAVES];
  Walk<LAZY_MAX_LEAVES> walk;
  struct Node {
    ExprOp op;
    DType dtype;
    int nin;
    int in[3];  // >= 0: an earlier node; < 0: leaf -1 - in
    void* fn;
  };
  int nnodes = 0;
  Node nodes[LAZY_MAX_NODES + 1];
};

constexpr int64_t LAZY_BLOCK = 256;  // elements evaluated per node at a time (L1-resident)

// materialize, with the caller computing the values: compute(program, data) must write all of
// them to data (dense, row-major), through run(); an op that reads the values right after can
// compute and read them a piece at a time, while the piece is in cache.
void materialize_with(Handle* h, const std::function<void(const Program&, char*)>& compute);

void compile(const Expr* root, Program* p);
// Bytes of scratch run() needs (per thread).
size_t scratch_bytes(const Program& p);
// Writes the root's values for elements [begin, end) (row-major over the root's shape) to out.
void run(const Program& p, int64_t begin, int64_t end, void* out, char* scratch);

}  // namespace px
