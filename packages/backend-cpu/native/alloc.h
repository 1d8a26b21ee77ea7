// Aligned storage allocation with a cache of freed blocks. Training allocates the same sizes
// every step; reusing a block avoids the page faults (and zeroing) of fresh mmap'd memory, which
// otherwise dominate memory-bound ops on large tensors.
#pragma once

#include <cstddef>

namespace px {

// 64-byte aligned; returns nullptr when the memory cannot be had. Thread-safe.
void* storage_alloc(size_t bytes);
// `bytes` must be the size given to storage_alloc.
void storage_free(void* p, size_t bytes);
// Bytes currently held in the cache (not in use by any tensor).
size_t storage_cached_bytes();
// Returns cached blocks to the system.
void storage_trim();

}  // namespace px
