# The native addon. scripts/build.mjs runs node-gyp on this file with -Dnapi_include_dir=...
# (node-addon-api's headers) and --nodedir derived from the running node, so nothing is downloaded.
# Portable code is compiled with plain -O3 (no -march=native): the AVX2/AVX-512 kernels carry
# their own __attribute__((target(...))) and are chosen at run time, so the binary runs on any x86-64.
# NAPI_EXPERIMENTAL: handle finalizers take node_api_basic_env and so run synchronously inside
# the garbage collector (Node >= 20.10). Otherwise Node defers them to the event loop, and a
# synchronous training loop, which never yields, would keep every freed tensor's memory.
{
  "variables": {
    "napi_include_dir%": "",
    "plexus_asan%": 0
  },
  "targets": [
    {
      "target_name": "plexus_cpu",
      "sources": [
        "native/addon.cc",
        "native/alloc.cc",
        "native/args.cc",
        "native/cpu_features.cc",
        "native/handle.cc",
        "native/lazy.cc",
        "native/threadpool.cc",
        "native/ops_storage.cc",
        "native/ops_elementwise.cc",
        "native/ops_unary.cc",
        "native/ops_cast.cc",
        "native/ops_reduce.cc",
        "native/ops_movement.cc",
        "native/ops_gather.cc",
        "native/ops_matmul.cc",
        "native/gemm.cc",
        "native/gemm_avx2.cc",
        "native/gemm_avx512.cc",
        "native/ops_conv.cc",
        "native/conv_stride1.cc",
        "native/conv_weight_grad.cc",
        "native/ops_pool.cc",
        "native/pool_avx512.cc",
        "native/ops_softmax.cc",
        "native/vmath.cc"
      ],
      "include_dirs": ["<(napi_include_dir)"],
      "defines": ["NAPI_EXPERIMENTAL", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags": ["-O3", "-fno-math-errno", "-fno-trapping-math", "-fvisibility=hidden", "-Wall", "-Wno-unused-function", "-Wno-psabi"],
      "cflags_cc": ["-fexceptions", "-frtti"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["plexus_asan==1", {
          "cflags": ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
          "ldflags": ["-fsanitize=address,undefined"]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CFLAGS": ["-O3", "-fno-math-errno"]
          }
        }]
      ]
    }
  ]
}
