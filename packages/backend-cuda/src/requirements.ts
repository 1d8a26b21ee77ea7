/** What @tensorflow/tfjs-node-gpu 4.x needs, for the messages that tell users how to get it. */
export const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
export const INSTALL_COMMAND = 'npm install @tensorflow/tfjs-node-gpu@^4.22.0';
/** tfjs-node-gpu 4.x downloads libtensorflow 2.9.1, which is built against these. */
export const CUDA_REQUIREMENT =
  'Linux x86-64 with an NVIDIA GPU and driver, CUDA 11.2 and cuDNN 8.1 (what the libtensorflow 2.9.1 it downloads was built against)';
/** The CUDA libraries libtensorflow 2.9.1 opens at startup; when one is missing it silently uses the CPU. */
export const CUDA_LIBRARIES = [
  'libcudart.so.11.0', 'libcublas.so.11', 'libcublasLt.so.11', 'libcufft.so.10', 'libcurand.so.10',
  'libcusolver.so.11', 'libcusparse.so.11', 'libcudnn.so.8',
] as const;
/** Where the CUDA and cuDNN installers put them, searched after LD_LIBRARY_PATH. */
export const CUDA_LIBRARY_DIRS = [
  '/usr/local/cuda-11.2/lib64', '/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib',
] as const;
