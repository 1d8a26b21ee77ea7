# PyTorch reference numbers for the same workloads, on the same machine:
#   LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/torch_bench.py [w1|w2|w6 ...] [--threads=2]
# W1: float32 1024³ matmul (GFLOP/s); W2: MLP 784-512-256-10 training, batch 128 (samples/s);
# W6: sum(relu(a*b+c)) over 4M float32 (GB/s of the three inputs read).
import sys, time
import torch

threads = int(next((a.split('=')[1] for a in sys.argv[1:] if a.startswith('--threads=')), 2))
torch.set_num_threads(threads)
torch.manual_seed(0)
which = [a for a in sys.argv[1:] if not a.startswith('--')] or ['w1', 'w2', 'w6']


def bench(fn, min_s=1.0, reps=5):
    fn(); fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_s or len(times) < reps:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], times[0]


if 'w1' in which:
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    med, best = bench(lambda: a @ b)
    print(f'torch W1 matmul 1024^3: {2 * 1024**3 / med / 1e9:.1f} GFLOP/s median, {2 * 1024**3 / best / 1e9:.1f} best')

if 'w2' in which:
    B = 128
    sizes = [784, 512, 256, 10]
    params = []
    for i in range(3):
        w = (torch.randn(sizes[i], sizes[i + 1]) * (2 / sizes[i]) ** 0.5).requires_grad_()
        params += [w, torch.zeros(sizes[i + 1], requires_grad=True)]
    batches = [(torch.randn(B, 784), torch.randint(0, 10, (B, 1))) for _ in range(8)]

    def step(i):
        x, y = batches[i % 8]
        h = x
        for l in range(3):
            h = h @ params[2 * l] + params[2 * l + 1]
            if l < 2:
                h = torch.relu(h)
        loss = -torch.log_softmax(h, 1).gather(1, y).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad
                p.grad = None
        return loss

    for i in range(30):
        step(i)
    steps = 300
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(steps):
        step(i)
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(f'torch W2 MLP ({threads} threads): {steps * B / secs:.0f} samples/s (cpu time {cpu / steps * 1000:.2f} ms/step)')

if 'w6' in which:
    n = 4 * 1024 * 1024
    a, b, c = torch.randn(n), torch.randn(n), torch.randn(n)
    med, best = bench(lambda: torch.relu(a * b + c).sum())
    print(f'torch W6 sum(relu(a*b+c)) 4M: {3 * 4 * n / med / 1e9:.1f} GB/s median, {3 * 4 * n / best / 1e9:.1f} best')

if 'conv' in which:
    import torch.nn.functional as F
    x1, w1 = torch.randn(64, 1, 28, 28), torch.randn(32, 1, 3, 3)
    x2, w2 = torch.randn(64, 32, 14, 14), torch.randn(64, 32, 3, 3)
    x3, w3 = torch.randn(64, 64, 7, 7), torch.randn(64, 32, 4, 4)
    x4 = torch.randn(64, 32, 28, 28)
    for name, fn in [('conv2d [64,1,28,28] * [32,1,3,3] pad 1', lambda: F.conv2d(x1, w1, padding=1)),
                     ('conv2d [64,32,14,14] * [64,32,3,3] pad 1', lambda: F.conv2d(x2, w2, padding=1)),
                     ('convTranspose2d [64,64,7,7] * [64,32,4,4] stride 2 pad 1', lambda: F.conv_transpose2d(x3, w3, stride=2, padding=1)),
                     ('maxPool2d [64,32,28,28] k2', lambda: F.max_pool2d(x4, 2))]:
        for _ in range(3):
            fn()
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(20):
            fn()
        print(f'torch {name}: {(time.perf_counter() - t0) / 20 * 1000:.2f} ms wall, {(time.process_time() - c0) / 20 * 1000:.2f} ms cpu')
