#include "threadpool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#define PX_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define PX_PAUSE() asm volatile("yield")
#else
#define PX_PAUSE() ((void)0)
#endif

namespace px {
namespace {

int hardware_threads() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

int initial_threads() {
  const char* env = std::getenv("PLEXUS_NUM_THREADS");
  if (env && *env) {
    long n = std::strtol(env, nullptr, 10);
    if (n >= 1) return static_cast<int>(n > 256 ? 256 : n);
  }
  return hardware_threads();
}

std::atomic<int> g_max_threads{initial_threads()};

// Workers spin about a millisecond before sleeping, so the next op of a training step finds
// them awake; a sleeping worker costs a futex wake-up (tens of microseconds). The budget is time,
// not a count of pauses: a pause takes 11 ns on this machine's Xeon and ~140 on Skylake, and a
// count tuned for the latter let workers fall asleep during 100 µs of JavaScript between two
// matmuls, which then ran 30% slower.
constexpr auto SPIN_TIME = std::chrono::microseconds(1000);

// Work is handed out in chunks that any participant claims with one atomic operation, so a
// worker the OS has not scheduled (a busy machine) delays nothing: the caller takes its chunks.
// The claim word holds the job's generation (high 32 bits) and the next chunk (low 32), so a
// worker waking late can never claim a chunk of a later job.
class Pool {
 public:
  explicit Pool(int workers) {
    for (int i = 0; i < workers; i++) threads_.emplace_back([this, i] { loop(i + 1); });
    for (auto& t : threads_) t.detach();  // never joined: the pool lives as long as the process
  }

  int workers() const { return static_cast<int>(threads_.size()); }

  bool try_run(int64_t chunks, int nt, const ChunkFn& fn) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    const uint64_t gen = (gen_ + 1) & 0xffffffffu;
    gen_ = gen;
    job_ = &fn;
    chunks_ = chunks;
    slots_ = nt;
    done_.store(0, std::memory_order_relaxed);
    claim_.store(gen << 32, std::memory_order_release);
    wake_.fetch_add(1);  // seq_cst: pairs with sleepers_ (Dekker)
    if (sleepers_.load() > 0) {
      std::lock_guard<std::mutex> lock(mu_);
      cv_.notify_all();
    }
    work(gen, 0);
    // Chunks claimed by workers may still be running.
    for (int spin = 0; done_.load(std::memory_order_acquire) < chunks; spin++) {
      if (spin < 4000) PX_PAUSE();
      else std::this_thread::yield();
    }
    return true;
  }

 private:
  // Claims and runs chunks of job `gen` until none is left.
  void work(uint64_t gen, int slot) {
    for (;;) {
      uint64_t c = claim_.load(std::memory_order_acquire);
      if ((c >> 32) != gen) return;
      uint64_t idx = c & 0xffffffffu;
      if (static_cast<int64_t>(idx) >= chunks_) return;
      if (!claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel)) continue;
      // The claim succeeded on this generation, so the job is still running and job_ is its own.
      (*job_)(static_cast<int64_t>(idx), slot);
      done_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void loop(int id) {
    uint64_t seen = 0;
    for (;;) {
      uint64_t w = wake_.load(std::memory_order_acquire);
      if (w == seen) {
        const auto until = std::chrono::steady_clock::now() + SPIN_TIME;
        for (int spin = 1; w == seen; spin++) {
          PX_PAUSE();
          w = wake_.load(std::memory_order_acquire);
          if (spin % 64 == 0 && std::chrono::steady_clock::now() >= until) break;
        }
      }
      if (w == seen) {
        std::unique_lock<std::mutex> lock(mu_);
        sleepers_.fetch_add(1);
        cv_.wait(lock, [&] { return wake_.load() != seen; });
        sleepers_.fetch_sub(1);
        w = wake_.load(std::memory_order_acquire);
      }
      seen = w;
      uint64_t gen = claim_.load(std::memory_order_acquire) >> 32;
      if (id < slots_.load(std::memory_order_acquire)) work(gen, id);
    }
  }

  std::vector<std::thread> threads_;
  std::mutex busy_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t gen_ = 0;                  // owned by the thread holding busy_
  const ChunkFn* job_ = nullptr;
  int64_t chunks_ = 0;
  std::atomic<int> slots_{0};
  std::atomic<uint64_t> claim_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<uint64_t> wake_{0};
  std::atomic<int> sleepers_{0};
};

std::mutex g_pool_mu;
Pool* g_pool = nullptr;

Pool* pool_for(int nt) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  if (!g_pool || g_pool->workers() < nt - 1) {
    // A grown pool replaces the old one, which keeps sleeping (only set_max_threads grows it).
    g_pool = new Pool(nt - 1);
  }
  return g_pool;
}

}  // namespace

int max_threads() { return g_max_threads.load(std::memory_order_relaxed); }

void set_max_threads(int n) { g_max_threads.store(n < 1 ? 1 : n > 256 ? 256 : n, std::memory_order_relaxed); }

int threads_for(int64_t work, int64_t grain) {
  int mt = max_threads();
  if (mt <= 1 || work < 2 * grain) return 1;
  int64_t n = work / grain;
  return n < mt ? static_cast<int>(n) : mt;
}

void parallel_chunks(int64_t chunks, int nt, const ChunkFn& fn) {
  if (chunks <= 0) return;
  if (nt <= 1 || chunks == 1 || !pool_for(nt)->try_run(chunks, nt, fn)) {
    for (int64_t c = 0; c < chunks; c++) fn(c, 0);
  }
}

void parallel_run(int nt, const std::function<void(int)>& fn) {
  parallel_chunks(nt, nt, [&](int64_t c, int) { fn(static_cast<int>(c)); });
}

void parallel_for(int64_t n, int nt, int64_t align, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (nt <= 1) {
    fn(0, n);
    return;
  }
  if (align < 1) align = 1;
  // Several chunks per thread, so a slow thread's share can be taken by the others.
  int64_t units = (n + align - 1) / align;
  int64_t chunks = std::min<int64_t>(units, static_cast<int64_t>(nt) * 4);
  parallel_chunks(chunks, nt, [&](int64_t c, int) {
    int64_t b = units * c / chunks * align;
    int64_t e = units * (c + 1) / chunks * align;
    if (e > n) e = n;
    if (b < e) fn(b, e);
  });
}

}  // namespace px
