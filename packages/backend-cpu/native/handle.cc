#include "handle.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "alloc.h"
#include "lazy.h"
#include "movement.h"

namespace px {
namespace {

// Handles live in slabs that are never freed; a value from JS is only treated as a handle when
// it is an external whose pointer lands exactly on a slot of one of these slabs and that slot is
// live, so externals of other addons (or forged values) are refused without being touched.
// Slabs also spare a malloc per op. Shared by all Node threads that load the addon, hence the lock.
constexpr size_t SLAB = 1024;
struct Slab {
  Handle items[SLAB];
};
std::mutex g_pool_mu;
std::vector<Slab*>* g_slabs = new std::vector<Slab*>();   // sorted by address; never destroyed
std::vector<Handle*>* g_free = new std::vector<Handle*>();

Handle* pool_alloc() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  if (g_free->empty()) {
    Slab* slab = new Slab();
    for (size_t i = SLAB; i-- > 0;) {
      slab->items[i].magic = 0;
      g_free->push_back(&slab->items[i]);
    }
    g_slabs->insert(std::upper_bound(g_slabs->begin(), g_slabs->end(), slab, std::less<Slab*>()), slab);
  }
  Handle* h = g_free->back();
  g_free->pop_back();
  return h;
}

void pool_free(Handle* h) {
  h->magic = 0;
  std::lock_guard<std::mutex> lock(g_pool_mu);
  g_free->push_back(h);
}

bool is_live(const void* p) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  auto it = std::upper_bound(g_slabs->begin(), g_slabs->end(), static_cast<const Slab*>(p),
                             [](const Slab* a, const Slab* b) { return std::less<const Slab*>()(a, b); });
  if (it == g_slabs->begin()) return false;
  const Slab* slab = *(it - 1);
  const char* base = reinterpret_cast<const char*>(slab->items);
  const char* c = static_cast<const char*>(p);
  if (c < base || c >= base + sizeof(Slab)) return false;
  if ((c - base) % sizeof(Handle) != 0) return false;
  return static_cast<const Handle*>(p)->magic == HANDLE_MAGIC;
}

void release_storage(Storage* st) { storage_release(st); }

// Drops what a handle holds (storage reference or expression).
void release_contents(Handle* h) {
  if (h->st) release_storage(h->st);
  if (h->expr) expr_release(h->expr);
  h->st = nullptr;
  h->expr = nullptr;
}

// A basic finalizer (no JS calls): Node runs it inside the garbage collector, so memory comes
// back even while a synchronous loop keeps the event loop from turning.
void finalize_handle(node_api_basic_env, void* data, void*) {
  Handle* h = static_cast<Handle*>(data);
  if (!h->disposed) {
    // Dropped without dispose: free it now. V8 hears of the release at the next allocation.
    release_contents(h);
    h->disposed = true;
    h->ctx->handles--;
  }
  pool_free(h);
}

[[noreturn]] void not_a_handle(const char* op, const char* why) {
  fail(ErrKind::Backend, std::string(op) + ": " + why);
}

}  // namespace

// The Storage header sits in the first 64 bytes of its own block: one allocation per tensor.
constexpr size_t HEADER = 64;

void storage_release(Storage* st) {
  if (--st->refs > 0) return;
  st->ctx->bytes -= static_cast<int64_t>(st->bytes);
  storage_free(st, st->bytes + HEADER);
}

Storage* new_storage(Context* ctx, size_t bytes, const char* op) {
  void* block = storage_alloc(bytes + HEADER);
  if (!block) fail(ErrKind::Backend, std::string(op) + ": out of memory allocating " + std::to_string(bytes) + " bytes");
  Storage* st = static_cast<Storage*>(block);
  st->data = static_cast<char*>(block) + HEADER;
  st->bytes = bytes;
  st->refs = 1;
  st->ctx = ctx;
  ctx->bytes += static_cast<int64_t>(bytes);
  sync_external_memory(ctx);
  return st;
}

Handle* new_handle_struct() {
  Handle* h = pool_alloc();
  h->magic = HANDLE_MAGIC;
  return h;
}

bool Handle::contiguous() const {
  int64_t expect = 1;
  for (int d = rank - 1; d >= 0; d--) {
    if (shape[d] != 1 && strides[d] != expect) return false;
    expect *= shape[d];
  }
  return true;
}

void dense_strides(int rank, const int64_t* shape, int64_t* strides) {
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
}

namespace {

// Bytes of live storage V8 is not told about. V8 starts a full collection whenever reported
// memory rises 64 MiB above its level at the last one, so reporting every byte made a training
// step whose saved activations peak above that (W7's third-order PINN step holds ~100 MB, all of
// it disposed by scope() at the step's end) pay a mark-compact every step: 17% of its time.
// Memory beyond the allowance is still reported, so tensors left to the collector are collected,
// with at most this much more held first. PLEXUS_CPU_GC_SLACK_MB overrides (0: report all).
int64_t gc_slack() {
  static const int64_t slack = [] {
    const char* env = std::getenv("PLEXUS_CPU_GC_SLACK_MB");
    long mb = env && *env ? std::strtol(env, nullptr, 10) : 64;
    return static_cast<int64_t>(mb < 0 ? 0 : mb) << 20;
  }();
  return slack;
}

}  // namespace

void sync_external_memory(Context* ctx) {
  const int64_t target = std::max<int64_t>(0, ctx->bytes - gc_slack());
  const int64_t delta = target - ctx->reported;
  // Small changes wait: the call is cheap but not free, and V8 only needs the trend.
  if (delta > (1 << 20) || delta < -(1 << 20)) {
    int64_t result;
    napi_adjust_external_memory(ctx->env, delta, &result);
    ctx->reported = target;
  }
}

Handle* new_handle(Context* ctx, DType dtype, int rank, const int64_t* shape, const char* op) {
  if (rank < 0 || rank > MAX_RANK) fail(ErrKind::Shape, std::string(op) + ": rank " + std::to_string(rank) + " exceeds the cpu backend's limit of " + std::to_string(MAX_RANK));
  int64_t size = 1, nonzero = 1;
  for (int d = 0; d < rank; d++) {
    if (shape[d] < 0 || shape[d] > MAX_ELEMENTS) fail(ErrKind::Shape, std::string(op) + ": invalid dimension " + std::to_string(shape[d]));
    if (shape[d] == 0) {
      size = 0;
      continue;
    }
    if (nonzero > MAX_ELEMENTS / shape[d]) fail(ErrKind::Shape, std::string(op) + ": tensor of more than 2^48 elements");
    nonzero *= shape[d];
  }
  if (size != 0) size = nonzero;
  Storage* st = new_storage(ctx, static_cast<size_t>(size) * dtype_size(dtype), op);
  Handle* h = new_handle_struct();
  h->magic = HANDLE_MAGIC;
  h->ctx = ctx;
  h->st = st;
  h->expr = nullptr;
  h->disposed = false;
  h->dtype = dtype;
  h->rank = rank;
  h->size = size;
  h->offset = 0;
  for (int d = 0; d < rank; d++) h->shape[d] = shape[d];
  dense_strides(rank, shape, h->strides);
  return h;
}

Handle* new_view(const Handle* src, int rank, const int64_t* shape, const int64_t* strides, int64_t offset) {
  Handle* h = new_handle_struct();
  h->magic = HANDLE_MAGIC;
  h->ctx = src->ctx;
  h->st = src->st;
  h->st->refs++;
  h->expr = nullptr;
  h->disposed = false;
  h->dtype = src->dtype;
  h->rank = rank;
  h->offset = offset;
  int64_t size = 1;
  for (int d = 0; d < rank; d++) {
    h->shape[d] = shape[d];
    h->strides[d] = strides[d];
    size *= shape[d];
  }
  h->size = size;
  return h;
}

void dispose_handle(Handle* h) {
  if (h->disposed) return;
  Context* ctx = h->ctx;
  release_contents(h);
  h->disposed = true;
  ctx->handles--;
  sync_external_memory(ctx);
}

void densify(Handle* h) {
  if (h->contiguous()) return;
  Storage* st = new_storage(h->ctx, static_cast<size_t>(h->size) * dtype_size(h->dtype), "densify");
  copy_to_dense(h, st->data);
  release_storage(h->st);
  h->st = st;
  h->offset = 0;
  dense_strides(h->rank, h->shape, h->strides);
}

void free_unwrapped(Handle* h) {
  Context* ctx = h->ctx;
  release_contents(h);
  sync_external_memory(ctx);
  pool_free(h);
}

napi_value wrap_handle(napi_env env, Handle* h) {
  napi_value ext;
  if (napi_create_external(env, h, finalize_handle, nullptr, &ext) != napi_ok) {
    // Could not hand it to JS: free it here so nothing leaks, then report.
    free_unwrapped(h);
    fail(ErrKind::Backend, "could not create a handle object");
  }
  h->ctx->handles++;
  return ext;
}

Handle* unwrap_any(napi_env env, napi_value v, Context* ctx, const char* op) {
  void* data = nullptr;
  // Fails (without a pending exception) for anything that is not an external.
  if (v == nullptr || napi_get_value_external(env, v, &data) != napi_ok || data == nullptr || !is_live(data)) {
    not_a_handle(op, "the data handle does not belong to the cpu backend");
  }
  Handle* h = static_cast<Handle*>(data);
  if (h->magic != HANDLE_MAGIC) not_a_handle(op, "the data handle is corrupt");
  if (h->ctx != ctx) not_a_handle(op, "the data handle belongs to another cpu backend instance");
  return h;
}

Handle* unwrap_lazy(napi_env env, napi_value v, Context* ctx, const char* op) {
  Handle* h = unwrap_any(env, v, ctx, op);
  if (h->disposed) fail(ErrKind::Backend, std::string(op) + ": tensor data was already disposed (cpu backend)");
  return h;
}

Handle* unwrap_handle(napi_env env, napi_value v, Context* ctx, const char* op) {
  Handle* h = unwrap_lazy(env, v, ctx, op);
  if (h->expr) materialize(h);
  return h;
}

}  // namespace px
