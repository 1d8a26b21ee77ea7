// A persistent pool of worker threads, one per core (PLEXUS_NUM_THREADS overrides). The calling
// thread takes part. Work is split into chunks claimed dynamically, so a worker descheduled by a
// busy OS delays nothing: the others take its share. Small ops never come here: callers decide
// with `threads_for`, so tiny tensors do not pay for waking threads.
#pragma once

#include <cstdint>
#include <functional>

namespace px {

// Threads an op may use (>= 1).
int max_threads();
void set_max_threads(int n);

// How many threads to use for `work` units when each thread should get at least `grain` units.
int threads_for(int64_t work, int64_t grain);

// fn(chunk, slot): `slot` (< nt) identifies the thread running the chunk, for per-thread scratch.
typedef std::function<void(int64_t, int)> ChunkFn;

// Runs fn(c, slot) for every chunk c in [0, chunks) on up to nt threads and returns when all are
// done. fn must not throw or allocate JS values. Runs serially when the pool is busy (another JS
// thread is using it).
void parallel_chunks(int64_t chunks, int nt, const ChunkFn& fn);

// Runs fn(t) for t in [0, nt), each index once, possibly several on one thread.
void parallel_run(int nt, const std::function<void(int)>& fn);

// Splits [0, n) into ranges (aligned to `align`, a few per thread) and runs fn(begin, end) on each.
void parallel_for(int64_t n, int nt, int64_t align, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace px
