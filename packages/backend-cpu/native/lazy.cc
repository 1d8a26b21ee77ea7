#include "lazy.h"

#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "alloc.h"
#include "kernels.h"
#include "threadpool.h"

namespace px {
namespace {

// Ops below this many output elements run eagerly: deferring costs more than it saves there.
// PLEXUS_CPU_LAZY=0 turns deferral off (for comparisons and debugging); another number sets the
// threshold (1 defers every op: the conformance suite runs that way too). Read at first use.
int64_t lazy_min() {
  static const int64_t v = [] {
    const char* env = std::getenv("PLEXUS_CPU_LAZY");
    if (!env || !*env) return int64_t(4096);
    long n = std::strtol(env, nullptr, 10);
    return n <= 0 ? int64_t(-1) : int64_t(n);
  }();
  return v;
}

constexpr int64_t GRAIN = 1 << 14;  // elements per thread when materializing

void dense(int rank, const int64_t* shape, int64_t* strides) {
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
}

}  // namespace

void expr_retain(Expr* e) { e->refs++; }

void expr_release(Expr* e) {
  // Iterative over chains, so that releasing a long expression never deepens the stack much.
  std::vector<Expr*> todo{e};
  while (!todo.empty()) {
    Expr* x = todo.back();
    todo.pop_back();
    if (--x->refs > 0) continue;
    if (x->st) storage_release(x->st);
    for (int i = 0; i < x->nin; i++) todo.push_back(x->in[i]);
    delete x;
  }
}

Expr* expr_node(ExprOp op, int code, DType dtype, int rank, const int64_t* shape, Expr* const* in, int nin) {
  Expr* e = new Expr();
  e->op = op;
  e->code = code;
  e->dtype = dtype;
  e->rank = rank;
  e->size = 1;
  for (int d = 0; d < rank; d++) {
    e->shape[d] = shape[d];
    e->size *= shape[d];
  }
  e->nin = nin;
  e->nodes = 1;
  e->leaves = 0;
  for (int i = 0; i < nin; i++) {
    e->in[i] = in[i];
    e->nodes += in[i]->nodes;
    e->leaves += in[i]->leaves;
  }
  return e;
}

Expr* expr_of(const Handle* h) {
  if (h->expr) {
    expr_retain(h->expr);
    return h->expr;
  }
  Expr* e = new Expr();
  e->op = ExprOp::Leaf;
  e->dtype = h->dtype;
  e->rank = h->rank;
  e->size = h->size;
  for (int d = 0; d < h->rank; d++) {
    e->shape[d] = h->shape[d];
    e->strides[d] = h->strides[d];
  }
  e->offset = h->offset;
  e->st = h->st;
  storage_retain(e->st);
  e->nodes = 0;
  e->leaves = 1;
  return e;
}

Handle* new_lazy(Context* ctx, Expr* e) {
  Handle* h = new_handle_struct();
  h->ctx = ctx;
  h->st = nullptr;
  h->expr = e;
  h->disposed = false;
  h->dtype = e->dtype;
  h->rank = e->rank;
  h->size = e->size;
  h->offset = 0;
  for (int d = 0; d < e->rank; d++) h->shape[d] = e->shape[d];
  dense(e->rank, e->shape, h->strides);
  return h;
}

namespace {

bool pending(const Expr* e) { return e && !e->st; }

// An input whose pending expression is also read by an expression outside this op (a gradient
// that feeds several rules, a recurrent state read by the next step): deferring again would
// compute it once per consumer, so it is computed now and every consumer reads the stored values.
// Readers inside this op's own inputs (relu's compare and where both reading x + b) do not count:
// one program computes a shared node once.
void compute_shared_inputs(Handle* const* in, int n) {
  bool any = false;
  for (int i = 0; i < n; i++) any = any || (pending(in[i]->expr) && in[i]->expr->refs > 1);
  if (!any) return;
  // The pending nodes of the inputs' trees, each once (a tree holds at most LAZY_MAX_NODES).
  constexpr int CAP = 3 * (LAZY_MAX_NODES + 1);
  const Expr* nodes[CAP];
  int count = 0;
  for (int i = 0; i < n; i++) {
    if (!pending(in[i]->expr)) continue;
    int first = count;
    bool known = false;
    for (int j = 0; j < count; j++) known = known || nodes[j] == in[i]->expr;
    if (known) continue;
    nodes[count++] = in[i]->expr;
    for (int j = first; j < count; j++) {
      for (int c = 0; c < nodes[j]->nin; c++) {
        const Expr* child = nodes[j]->in[c];
        if (!pending(child)) continue;
        bool seen = false;
        for (int q = 0; q < count; q++) seen = seen || nodes[q] == child;
        if (seen) continue;
        if (count == CAP) return;  // cannot happen with bounded trees; then defer as before
        nodes[count++] = child;
      }
    }
  }
  Expr* shared[3];
  int nshared = 0;
  for (int i = 0; i < n; i++) {
    Expr* e = in[i]->expr;
    if (!pending(e) || e->refs <= 1) continue;
    int inside = 0;  // references from this op: other handles of e among the inputs, edges within the trees
    for (int j = 0; j < n; j++) inside += j != i && in[j] != in[i] && in[j]->expr == e;
    for (int j = 0; j < count; j++) {
      for (int c = 0; c < nodes[j]->nin; c++) inside += nodes[j]->in[c] == e;
    }
    if (e->refs - 1 - inside > 0) shared[nshared++] = e;
  }
  for (int k = 0; k < nshared; k++) {
    for (int i = 0; i < n; i++) {
      if (in[i]->expr == shared[k]) {
        materialize(in[i]);
        break;
      }
    }
  }
}

}  // namespace

bool want_lazy(Handle* const* in, int n, int64_t out_size) {
  int64_t min = lazy_min();
  if (min < 0 || out_size < min) return false;
  compute_shared_inputs(in, n);
  int nodes = 1, leaves = 0;
  for (int i = 0; i < n; i++) {
    if (in[i]->expr && !in[i]->expr->st) {
      nodes += in[i]->expr->nodes;
      leaves += in[i]->expr->leaves;
    } else {
      leaves += 1;
    }
  }
  return nodes <= LAZY_MAX_NODES && leaves <= LAZY_MAX_LEAVES;
}

// ---- compiling -----------------------------------------------------------------------------------

namespace {

struct Compiler {
  Program* p;
  const Expr* root;
  const Expr* seen[LAZY_MAX_LEAVES + LAZY_MAX_NODES + 2];
  int slot[LAZY_MAX_LEAVES + LAZY_MAX_NODES + 2];
  int nseen = 0;
  int64_t leaf_strides[LAZY_MAX_LEAVES][MAX_RANK];

  // Slot of e: >= 0 a node, < 0 the leaf -1 - slot. Shared subtrees are compiled once.
  int visit(const Expr* e) {
    for (int i = 0; i < nseen; i++)
      if (seen[i] == e) return slot[i];
    int s;
    if (e->op == ExprOp::Leaf || e->st) {
      if (p->nleaves >= LAZY_MAX_LEAVES) fail(ErrKind::Backend, "lazy expression has too many inputs");
      int k = p->nleaves++;
      // A computed node is read densely; a leaf through its view. Broadcast to the root's shape.
      int64_t own[MAX_RANK];
      const int64_t* strides = e->strides;
      int64_t offset = e->offset;
      if (e->op != ExprOp::Leaf) {
        dense(e->rank, e->shape, own);
        strides = own;
        offset = 0;
      }
      broadcast_strides(e->rank, e->shape, strides, root->rank, root->shape, leaf_strides[k]);
      p->leaf_elem[k] = dtype_size(e->dtype);
      p->leaf_base[k] = static_cast<const char*>(e->st->data) + offset * static_cast<int64_t>(p->leaf_elem[k]);
      s = -1 - k;
    } else {
      int in[3];
      for (int i = 0; i < e->nin; i++) in[i] = visit(e->in[i]);
      if (p->nnodes >= LAZY_MAX_NODES + 1) fail(ErrKind::Backend, "lazy expression is too large");
      Program::Node& n = p->nodes[p->nnodes];
      n.op = e->op;
      n.dtype = e->dtype;
      n.nin = e->nin;
      for (int i = 0; i < e->nin; i++) n.in[i] = in[i];
      switch (e->op) {
        case ExprOp::Unary: n.fn = reinterpret_cast<void*>(kernel_unary(e->code, e->dtype)); break;
        case ExprOp::Binary: n.fn = reinterpret_cast<void*>(kernel_binary(e->code, e->dtype)); break;
        case ExprOp::Compare: n.fn = reinterpret_cast<void*>(kernel_compare(e->code, e->in[0]->dtype)); break;
        case ExprOp::Where: n.fn = reinterpret_cast<void*>(kernel_where(e->dtype)); break;
        case ExprOp::Cast: n.fn = reinterpret_cast<void*>(kernel_convert(e->dtype, e->in[0]->dtype)); break;
        default: break;
      }
      s = p->nnodes++;
    }
    seen[nseen] = e;
    slot[nseen] = s;
    nseen++;
    return s;
  }
};

}  // namespace

void compile(const Expr* root, Program* p) {
  p->dtype = root->dtype;
  p->rank = root->rank;
  p->size = root->size;
  for (int d = 0; d < root->rank; d++) p->shape[d] = root->shape[d];
  p->nleaves = 0;
  p->nnodes = 0;
  Compiler c;
  c.p = p;
  c.root = root;
  c.visit(root);
  static const int64_t zeros[MAX_RANK] = {};
  const int64_t* strides[LAZY_MAX_LEAVES];
  for (int k = 0; k < LAZY_MAX_LEAVES; k++) strides[k] = k < p->nleaves ? c.leaf_strides[k] : zeros;
  p->walk = make_walk<LAZY_MAX_LEAVES>(root->rank, root->shape, strides);
}

size_t scratch_bytes(const Program& p) { return static_cast<size_t>(p.nnodes) * LAZY_BLOCK * 8 + 64; }

void run(const Program& p, int64_t begin, int64_t end, void* out, char* scratch) {
  const int64_t zero[LAZY_MAX_LEAVES] = {};
  const int root = p.nnodes - 1;
  const size_t out_elem = dtype_size(p.dtype);
  char* o = static_cast<char*>(out);
  int64_t inner[LAZY_MAX_LEAVES];
  for (int k = 0; k < p.nleaves; k++) inner[k] = p.walk.inner_stride(k);
  walk_range<LAZY_MAX_LEAVES>(p.walk, begin, end, zero, [&](const int64_t* off, int64_t len) {
    for (int64_t j = 0; j < len; j += LAZY_BLOCK) {
      const int64_t n = len - j < LAZY_BLOCK ? len - j : LAZY_BLOCK;
      const void* ptr[3];
      int64_t stride[3];
      for (int m = 0; m <= root; m++) {
        const Program::Node& node = p.nodes[m];
        for (int i = 0; i < node.nin; i++) {
          int s = node.in[i];
          if (s >= 0) {
            ptr[i] = scratch + static_cast<size_t>(s) * LAZY_BLOCK * 8;
            stride[i] = 1;
          } else {
            int k = -1 - s;
            ptr[i] = p.leaf_base[k] + (off[k] + j * inner[k]) * static_cast<int64_t>(p.leaf_elem[k]);
            stride[i] = inner[k];
          }
        }
        void* dst = m == root ? static_cast<void*>(o) : static_cast<void*>(scratch + static_cast<size_t>(m) * LAZY_BLOCK * 8);
        switch (node.op) {
          case ExprOp::Unary: reinterpret_cast<UnRow>(node.fn)(dst, ptr[0], stride[0], n); break;
          case ExprOp::Cast: reinterpret_cast<ConvertRow>(node.fn)(dst, ptr[0], stride[0], n); break;
          case ExprOp::Binary:
          case ExprOp::Compare: reinterpret_cast<BinRow>(node.fn)(dst, ptr[0], stride[0], ptr[1], stride[1], n); break;
          case ExprOp::Where:
            reinterpret_cast<WhereRow>(node.fn)(dst, static_cast<const uint8_t*>(ptr[0]), stride[0], ptr[1], stride[1], ptr[2], stride[2], n);
            break;
          default: break;
        }
      }
      o += n * out_elem;
    }
  });
}

void materialize(Handle* h) {
  materialize_with(h, [&](const Program& p, char* data) {
    const int64_t size = p.size;
    const int nt = threads_for(size * p.nnodes, GRAIN);
    const size_t scratch = scratch_bytes(p);
    std::vector<char> buf(scratch * static_cast<size_t>(nt));
    const int64_t chunks = nt > 1 ? static_cast<int64_t>(nt) * 4 : 1;
    const size_t elem = dtype_size(p.dtype);
    parallel_chunks(chunks, nt, [&](int64_t c, int slot) {
      int64_t b = size * c / chunks, end = size * (c + 1) / chunks;
      if (b < end) run(p, b, end, data + b * static_cast<int64_t>(elem), buf.data() + scratch * static_cast<size_t>(slot));
    });
  });
}

void materialize_with(Handle* h, const std::function<void(const Program&, char*)>& compute) {
  Expr* e = h->expr;
  if (!e) return;
  if (!e->st) {
    Program p;
    compile(e, &p);
    Storage* st = new_storage(h->ctx, static_cast<size_t>(e->size) * dtype_size(e->dtype), "materialize");
    if (e->size > 0) compute(p, static_cast<char*>(st->data));
    // The node keeps its result: other expressions sharing it read it instead of recomputing.
    e->st = st;
    dense(e->rank, e->shape, e->strides);
    e->offset = 0;
    // Its children are no longer needed by this node.
    for (int i = 0; i < e->nin; i++) expr_release(e->in[i]);
    e->nin = 0;
    e->nodes = 0;
    e->leaves = 1;
  }
  h->st = e->st;
  storage_retain(h->st);
  h->expr = nullptr;
  expr_release(e);
  h->offset = 0;
  dense(h->rank, h->shape, h->strides);
}

}  // namespace px
