// Storage and handles. A Storage is a block of native memory shared by the views on it; a Handle
// (what JS holds, as a type-tagged napi external) is a view: storage + dtype + shape + strides +
// offset. reshape/permute/expand/slice and same-dtype casts make new handles on the same storage,
// so they cost no copy; kernels read any strided view, and copy only where a dense layout pays.
#pragma once

#include <napi.h>

#include "common.h"

namespace px {

// One per JS backend instance: its own counts for memory(), and the env for external-memory
// accounting. Never freed (a few bytes per createCpuBackend call).
struct Context {
  napi_env env = nullptr;
  int64_t handles = 0;   // live (not disposed, not finalized) handles
  int64_t bytes = 0;     // bytes of live storages
  int64_t reported = 0;  // bytes announced to V8 through napi_adjust_external_memory
};

struct Expr;

struct Storage {
  void* data;
  size_t bytes;
  int32_t refs;
  Context* ctx;
};

struct Handle {
  uint32_t magic;
  Context* ctx;
  Storage* st;   // nullptr while lazy, and once disposed
  Expr* expr;    // the deferred expression of a lazy handle (lazy.h), else nullptr
  bool disposed;
  DType dtype;
  int rank;
  int64_t size;    // product of shape
  int64_t offset;  // in elements
  int64_t shape[MAX_RANK];
  int64_t strides[MAX_RANK];  // in elements; 0 along broadcast (expanded) dims

  template <class T>
  T* data() const {
    return static_cast<T*>(st->data) + offset;
  }
  char* raw() const { return static_cast<char*>(st->data) + offset * static_cast<int64_t>(dtype_size(dtype)); }
  // Row-major and dense (strides of size-1 dims do not matter).
  bool contiguous() const;
};

constexpr uint32_t HANDLE_MAGIC = 0x504c5843;  // "PLXC"

// New (uninitialised) storage counted against ctx; throws when the memory cannot be had.
Storage* new_storage(Context* ctx, size_t bytes, const char* op);
inline void storage_retain(Storage* st) { st->refs++; }
// Drops a reference; the last one frees the memory.
void storage_release(Storage* st);

// An uninitialised handle from the pool (magic set); for new_lazy and the functions below.
Handle* new_handle_struct();

// A fresh dense handle with new (uninitialised) storage. Throws on a bad shape or no memory.
Handle* new_handle(Context* ctx, DType dtype, int rank, const int64_t* shape, const char* op);
// A view sharing src's storage.
Handle* new_view(const Handle* src, int rank, const int64_t* shape, const int64_t* strides, int64_t offset);
// Row-major strides of a shape.
void dense_strides(int rank, const int64_t* shape, int64_t* strides);
// Releases the handle's storage reference (explicit dispose). The struct lives until finalized.
void dispose_handle(Handle* h);
// Replaces a view's storage by a dense copy of its values (in place; values unchanged).
void densify(Handle* h);

// Frees a handle that never reached JS (an op failed after allocating its output).
void free_unwrapped(Handle* h);

// Owns a fresh output until it is handed to JS, so a failure in between frees it.
struct OutGuard {
  Handle* h;
  explicit OutGuard(Handle* p) : h(p) {}
  ~OutGuard() {
    if (h) free_unwrapped(h);
  }
  Handle* release() {
    Handle* p = h;
    h = nullptr;
    return p;
  }
  OutGuard(const OutGuard&) = delete;
  OutGuard& operator=(const OutGuard&) = delete;
};

// Hands a handle to JS (a type-tagged external with a finalizer that frees it).
napi_value wrap_handle(napi_env env, Handle* h);
// The live handle behind a JS value, its values computed if it was lazy; throws a BackendError
// naming `op` when the value is not a handle of this backend instance or was disposed.
Handle* unwrap_handle(napi_env env, napi_value v, Context* ctx, const char* op);
// Like unwrap_handle, but a lazy handle stays lazy (for the elementwise ops, which extend it).
Handle* unwrap_lazy(napi_env env, napi_value v, Context* ctx, const char* op);
// Like unwrap_handle, but also returns disposed handles (for dispose itself).
Handle* unwrap_any(napi_env env, napi_value v, Context* ctx, const char* op);

// Announces pending storage growth or release to V8 (call from ordinary, non-finalizer code).
void sync_external_memory(Context* ctx);

}  // namespace px
