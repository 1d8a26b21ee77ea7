#!/usr/bin/env python3
"""PyTorch peer of the Plexus benchmarks: one cell per process.

    torch_runner.py '<CellRequest JSON>'   runs a cell (src/protocol.ts describes the request)
    torch_runner.py '[<CellRequest>, ...]'  runs check-mode requests in one process (tests)
    torch_runner.py --probe                 reports the torch version, BLAS and threads

Data comes from the files the harness writes (<dataDir>/<workload>.json header + .bin), so the
numbers are the same ones the JavaScript runners generate. The math mirrors src/runners/plexus.ts.
Prints one line: MARKER + JSON, like the JavaScript worker.
"""
import json
import os
import resource
import sys
import time

T0 = time.perf_counter()
MARKER = '@@plexus-bench '
FIRST_STEP_MARKER = '@@plexus-bench-first-step '
EXIT_MARGIN = 1.5


def emit(obj):
    sys.stdout.write('\n' + MARKER + json.dumps(obj) + '\n')
    sys.stdout.flush()


def rss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clock():
    return time.perf_counter() - T0


def blas_in_use():
    """The BLAS library actually mapped into this process, from /proc/self/maps."""
    try:
        with open('/proc/self/maps') as f:
            paths = {line.split()[-1] for line in f if line.count(' ') >= 5 and '/' in line}
    except OSError:
        return 'unknown'
    names = sorted(p for p in paths if any(k in os.path.basename(p).lower() for k in ('blas', 'mkl')))
    if not names:
        return 'none mapped'
    for p in names:
        base = os.path.basename(p)
        if 'openblas' in base:
            variant = os.path.basename(os.path.dirname(p))
            version = base.split('-r')[-1].split('.so')[0] if '-r' in base else ''
            return f'OpenBLAS {version} ({variant})'.replace(' ()', '')
        if 'mkl' in base:
            return f'MKL ({base})'
    return f'reference BLAS ({names[0]})'


def probe():
    import torch
    config = torch.__config__.show()
    blas_line = next((l.strip() for l in config.splitlines() if 'BLAS_INFO' in l or 'BLAS' in l), '')
    return {
        'ok': True,
        'info': {
            'torch': torch.__version__,
            'blas': blas_in_use(),
            'torch_blas_config': blas_line[:120],
            'threads': str(torch.get_num_threads()),
            'python': sys.version.split()[0],
        },
        'note': '',
    }


class TooSlow(Exception):
    pass


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def measure(step, timing):
    """Same protocol as src/measure.ts: warm up, then repeats of >= minTime, median."""
    min_time, repeats, warmup, cap = timing['minTime'], timing['repeats'], timing['warmup'], timing['cap']
    warm_start = clock()
    first = True
    while True:
        t = clock()
        step()
        last = clock() - t
        if first:
            sys.stdout.write(f'\n{FIRST_STEP_MARKER}{last:.3f}\n')
            sys.stdout.flush()
            first = False
        if clock() - warm_start >= warmup:
            break
    per_repeat = last if last >= min_time else min_time + last
    projected = clock() + repeats * per_repeat
    if projected > cap - EXIT_MARGIN:
        raise TooSlow(f'too slow: one step takes {last:.1f} s, so {repeats} timed repeat{"s" if repeats > 1 else ""} of '
                      f'\u2265 {min_time} s would end near {projected:.0f} s, past the {cap} s cap per cell')
    rates = []
    for _ in range(repeats):
        start = clock()
        n = 0
        while True:
            step()
            n += 1
            elapsed = clock() - start
            if elapsed >= min_time:
                break
        rates.append(n / elapsed)
    return median(rates)


def load_data(data_dir, workload):
    import torch
    with open(os.path.join(data_dir, workload + '.json')) as f:
        header = json.load(f)
    with open(os.path.join(data_dir, workload + '.bin'), 'rb') as f:
        buf = bytearray(f.read())

    def tensor(entry):
        dtype = torch.float32 if entry['dtype'] == 'float32' else torch.int32
        t = torch.frombuffer(buf, dtype=dtype, count=entry['length'], offset=entry['offset']).clone()
        return t.reshape(entry['shape'])

    inputs = {name: tensor(e) for name, e in header['inputs'].items()}
    params = [(name, tensor(e)) for name, e in header['params']]
    return header['config'], inputs, params


def build(config, inputs, params):
    import torch
    import torch.nn.functional as F

    kind = config['kind']

    def trainable(train=True):
        return [p.requires_grad_(train) for _, p in params]

    def train_step(ps, lr, loss_fn):
        def step():
            loss = loss_fn()
            grads = torch.autograd.grad(loss, ps)
            with torch.no_grad():
                for p, g in zip(ps, grads):
                    p.sub_(g, alpha=lr)
            return loss.item()
        return step

    def cross_entropy(logits, labels):
        # logSoftmax + pick, as in every runner.
        return -F.log_softmax(logits, 1).gather(1, labels.reshape(-1, 1)).mean()

    def linear(x, w, b):
        return torch.addmm(b, x, w) if x.dim() == 2 else x @ w + b

    if kind == 'sgemm':
        a, b = inputs['a'], inputs['b']
        return lambda: (a @ b).sum().item()
    if kind == 'elementwise':
        a, b, c = inputs['a'], inputs['b'], inputs['c']
        return lambda: torch.relu(a * b + c).sum().item()
    if kind == 'mlp':
        x, y = inputs['x'], inputs['y'].long()
        ps = trainable()

        def loss():
            h = x
            for i in range(0, len(ps), 2):
                h = linear(h, ps[i], ps[i + 1])
                if i + 2 < len(ps):
                    h = torch.relu(h)
            return cross_entropy(h, y)
        return train_step(ps, config['lr'], loss)
    if kind == 'cnn':
        x, y = inputs['x'], inputs['y'].long()
        ps = trainable(config['train'])
        c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b = ps
        pad = config['kernel'] // 2

        def loss():
            a = F.max_pool2d(torch.relu(F.conv2d(x, c1w, c1b, padding=pad)), 2)
            a = F.max_pool2d(torch.relu(F.conv2d(a, c2w, c2b, padding=pad)), 2)
            logits = linear(torch.relu(linear(a.reshape(config['batch'], -1), f1w, f1b)), f2w, f2b)
            return cross_entropy(logits, y)
        if config['train']:
            return train_step(ps, config['lr'], loss)

        def infer():
            with torch.no_grad():
                return loss().item()
        return infer
    if kind == 'transformer':
        B, S, D, H = config['batch'], config['seq'], config['dModel'], config['heads']
        dh = D // H
        x, target = inputs['x'], inputs['target']
        ps = trainable()
        ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, f1w, f1b, f2w, f2b = ps

        def heads(t):
            return t.reshape(B, S, H, dh).permute(0, 2, 1, 3)

        def loss():
            n1 = F.layer_norm(x, (D,), ln1g, ln1b, 1e-5)
            q, k, v = heads(linear(n1, wq, bq)), heads(linear(n1, wk, bk)), heads(linear(n1, wv, bv))
            att = torch.softmax((q @ k.transpose(-2, -1)) * (1 / dh ** 0.5), -1)
            ctx = (att @ v).permute(0, 2, 1, 3).reshape(B, S, D)
            h = x + linear(ctx, wo, bo)
            out = h + linear(F.gelu(linear(F.layer_norm(h, (D,), ln2g, ln2b, 1e-5), f1w, f1b)), f2w, f2b)
            return (out - target).square().mean()
        return train_step(ps, config['lr'], loss)
    if kind == 'lstm':
        B, T, I, H = config['batch'], config['seq'], config['input'], config['hidden']
        x, target = inputs['x'], inputs['target']
        ps = trainable()
        wih, whh, b = ps

        def loss():
            xw = torch.addmm(b, x.reshape(T * B, I), wih).reshape(T, B, 4 * H)
            h = torch.zeros(B, H)
            c = torch.zeros(B, H)
            for t in range(T):
                gates = xw[t] + h @ whh
                i, f, g, o = gates.chunk(4, 1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            return (h - target).square().mean()
        return train_step(ps, config['lr'], loss)
    if kind == 'pinn':
        X = inputs['X'].requires_grad_(True)
        ps = trainable()
        nu = config['nu']

        def u():
            h = X
            for i in range(0, len(ps), 2):
                h = torch.addmm(ps[i + 1], h, ps[i])
                if i + 2 < len(ps):
                    h = torch.tanh(h)
            return h

        def loss():
            out = u()
            du, = torch.autograd.grad(out, X, torch.ones_like(out), create_graph=True)
            ux, ut = du[:, 0:1], du[:, 1:2]
            dux, = torch.autograd.grad(ux, X, torch.ones_like(ux), create_graph=True)
            uxx = dux[:, 0:1]
            return (ut + out * ux - nu * uxx).square().mean()
        return train_step(ps, config['lr'], loss)
    raise ValueError(f'unknown workload kind {kind!r}')


def run_cell(req):
    import torch
    torch.set_num_threads(max(1, int(req.get('threads', 1))))
    config, inputs, params = load_data(req['dataDir'], req['workload'])
    step = build(config, inputs, params)
    note = f'{blas_in_use()}, {torch.get_num_threads()} threads'
    if req['mode'] == 'check':
        values = [step() for _ in range(req.get('steps', 1))]
        return {'ok': True, 'values': values, 'rssMB': rss_mb(), 'note': note}
    # The harness turns steps/s into the workload's unit (src/spec.ts is the one place for that).
    return {'ok': True, 'stepsPerSecond': measure(step, req['timing']), 'rssMB': rss_mb(), 'note': note}


def safe_run(req):
    try:
        return run_cell(req)
    except TooSlow as e:
        return {'ok': False, 'rssMB': rss_mb(), 'note': str(e)}
    except Exception as e:  # the table shows why, instead of a blank cell
        first = str(e).splitlines()[0][:200] if str(e) else ''
        return {'ok': False, 'rssMB': rss_mb(), 'note': f'failed: {type(e).__name__}: {first}'}


def main(argv):
    if argv and argv[0] == '--probe':
        try:
            emit(probe())
        except ImportError as e:
            emit({'ok': False, 'info': {}, 'note': f'not installed ({e})'})
        return
    req = json.loads(argv[0])
    if isinstance(req, list):
        # Only check mode may share a process: a timed cell always has one to itself.
        emit([safe_run(r) for r in req if r['mode'] == 'check'])
    else:
        emit(safe_run(req))


if __name__ == '__main__':
    main(sys.argv[1:])
