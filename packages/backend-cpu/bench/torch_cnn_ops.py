# PyTorch's side of bench/cnn-ops.mjs: CPU time per call of W3's convolution and pooling ops.
#   LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/torch_cnn_ops.py [--threads=1]
import sys, time, torch
threads = int(next((a.split('=')[1] for a in sys.argv[1:] if a.startswith('--threads=')), 1))
torch.set_num_threads(threads)
torch.manual_seed(0)
B=64
x1=torch.randn(B,1,28,28); w1=torch.randn(32,1,5,5)
x2=torch.randn(B,32,14,14); w2=torch.randn(64,32,5,5)
g1=torch.randn(B,32,28,28); g2=torch.randn(B,64,14,14)
p1=torch.randn(B,32,28,28)
conv_bw=torch.ops.aten.convolution_backward
def t(name, fn, n=8):
    for _ in range(3): fn()
    best = 1e9
    for _ in range(6):
        t0 = time.process_time()
        for _ in range(n): fn()
        best = min(best, (time.process_time() - t0) / n)
    print(f'{name:16s} {best * 1e3:.3f} ms cpu (min of 6)')
t('conv1 fwd', lambda: torch.conv2d(x1,w1,padding=2))
t('conv2 fwd', lambda: torch.conv2d(x2,w2,padding=2))
t('conv1 wgrad', lambda: conv_bw(g1,x1,w1,None,[1,1],[2,2],[1,1],False,[0,0],1,[False,True,False]))
t('conv2 wgrad', lambda: conv_bw(g2,x2,w2,None,[1,1],[2,2],[1,1],False,[0,0],1,[False,True,False]))
t('conv2 igrad', lambda: conv_bw(g2,x2,w2,None,[1,1],[2,2],[1,1],False,[0,0],1,[True,False,False]))
t('maxpool1 fwd', lambda: torch.nn.functional.max_pool2d_with_indices(p1,2))
o,i=torch.nn.functional.max_pool2d_with_indices(p1,2)
go=torch.randn_like(o)
t('maxpool1 bwd', lambda: torch.ops.aten.max_pool2d_with_indices_backward(go,p1,[2,2],[2,2],[0,0],[1,1],False,i))
