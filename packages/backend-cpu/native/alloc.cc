#include "alloc.h"

#include <cstdlib>
#include <iterator>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace px {
namespace {

// Small blocks are cached too (glibc's aligned allocation of small blocks is slow), but at most
// this many of each size, so odd sizes cannot pile up.
constexpr size_t SMALL = 64 * 1024;
constexpr size_t SMALL_PER_SIZE = 4096;
// At most this many bytes wait in the cache; PLEXUS_CPU_CACHE_MB overrides.
size_t cache_limit() {
  static const size_t limit = [] {
    const char* env = std::getenv("PLEXUS_CPU_CACHE_MB");
    long mb = env ? std::strtol(env, nullptr, 10) : 256;
    return static_cast<size_t>(mb < 0 ? 0 : mb) << 20;
  }();
  return limit;
}

// Sizes are rounded so that nearly equal requests share blocks: to 64 bytes when small, to 4 KiB
// pages when large.
size_t rounded(size_t bytes) {
  size_t unit = bytes < (1u << 20) ? 64 : 4096;
  return (bytes + unit - 1) / unit * unit;
}

struct Cache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free;
  size_t cached = 0;
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: threads may free blocks during exit
  return *c;
}

void* raw_alloc(size_t bytes) {
  void* p = nullptr;
  if (posix_memalign(&p, 64, bytes ? bytes : 64) != 0) return nullptr;
  return p;
}

}  // namespace

void* storage_alloc(size_t bytes) {
  size_t r = rounded(bytes ? bytes : 1);
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.free.find(r);
    if (it != c.free.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.cached -= r;
      return p;
    }
  }
  void* p = raw_alloc(r);
  if (!p) {
    // Memory is short: give the cache back and try once more.
    storage_trim();
    p = raw_alloc(r);
  }
  return p;
}

void storage_free(void* p, size_t bytes) {
  if (!p) return;
  size_t r = rounded(bytes ? bytes : 1);
  if (r <= cache_limit()) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    std::vector<void*>& bin = c.free[r];
    if (r < SMALL && bin.size() >= SMALL_PER_SIZE) {
      std::free(p);
      return;
    }
    if (c.cached + r <= cache_limit()) {
      bin.push_back(p);
      c.cached += r;
      return;
    }
    // Full: evict other sizes (oldest habits rarely come back) until this block fits.
    for (auto it = c.free.begin(); it != c.free.end() && c.cached + r > cache_limit();) {
      while (!it->second.empty() && c.cached + r > cache_limit()) {
        std::free(it->second.back());
        it->second.pop_back();
        c.cached -= it->first;
      }
      it = it->second.empty() ? c.free.erase(it) : std::next(it);
    }
    if (c.cached + r <= cache_limit()) {
      c.free[r].push_back(p);
      c.cached += r;
      return;
    }
  }
  std::free(p);
}

size_t storage_cached_bytes() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  return c.cached;
}

void storage_trim() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  for (auto& kv : c.free)
    for (void* p : kv.second) std::free(p);
  c.free.clear();
  c.cached = 0;
}

}  // namespace px
