// The functions JS calls. Each receives the raw arguments and its backend instance's Context,
// validates everything, and returns a new handle (or a value). Declared here, defined in ops_*.cc,
// registered in addon.cc.
#pragma once

#include <node_api.h>

#include "handle.h"

namespace px {

typedef napi_value (*OpImpl)(napi_env env, napi_value* argv, size_t argc, Context* ctx);

// storage (ops_storage.cc)
napi_value op_write(napi_env, napi_value*, size_t, Context*);      // (values, shape, dtype)
napi_value op_read(napi_env, napi_value*, size_t, Context*);       // (handle) -> typed array copy
napi_value op_dispose(napi_env, napi_value*, size_t, Context*);    // (handle)
napi_value op_memory(napi_env, napi_value*, size_t, Context*);     // () -> [handles, bytes]
napi_value op_describe(napi_env, napi_value*, size_t, Context*);   // (handle) -> {shape, strides, offset, dtype, contiguous}
// elementwise (ops_elementwise.cc)
napi_value op_binary(napi_env, napi_value*, size_t, Context*);     // (op, a, b, shape, dtype)
napi_value op_compare(napi_env, napi_value*, size_t, Context*);    // (op, a, b, shape)
napi_value op_where(napi_env, napi_value*, size_t, Context*);      // (cond, a, b, shape, dtype)
// unary and cast (ops_unary.cc, ops_cast.cc)
napi_value op_unary(napi_env, napi_value*, size_t, Context*);      // (op, x, shape)
napi_value op_cast(napi_env, napi_value*, size_t, Context*);       // (x, dtype, shape)
// reductions (ops_reduce.cc)
napi_value op_reduce(napi_env, napi_value*, size_t, Context*);     // (op, x, axes, shape, dtype)
napi_value op_argreduce(napi_env, napi_value*, size_t, Context*);  // (op, x, axis, shape)
// movement (ops_movement.cc)
napi_value op_reshape(napi_env, napi_value*, size_t, Context*);    // (x, shape)
napi_value op_permute(napi_env, napi_value*, size_t, Context*);    // (x, perm, shape)
napi_value op_expand(napi_env, napi_value*, size_t, Context*);     // (x, shape)
napi_value op_slice(napi_env, napi_value*, size_t, Context*);      // (x, begin, end, step, shape)
napi_value op_pad(napi_env, napi_value*, size_t, Context*);        // (x, pads (flat), value, shape)
napi_value op_concat(napi_env, napi_value*, size_t, Context*);     // (inputs, axis, shape)
// indexing (ops_gather.cc)
napi_value op_gather(napi_env, napi_value*, size_t, Context*);     // (x, index, axis, shape)
napi_value op_scatter_add(napi_env, napi_value*, size_t, Context*);  // (x, index, src, axis, shape)
// matmul (ops_matmul.cc)
napi_value op_matmul(napi_env, napi_value*, size_t, Context*);     // (a, b, shape, dtype)
// accelerated (ops_softmax.cc, ops_conv.cc, ops_pool.cc)
napi_value op_softmax(napi_env, napi_value*, size_t, Context*);    // (kind, x, axis, shape)
napi_value op_conv2d(napi_env, napi_value*, size_t, Context*);     // (x, w, bias|null, params, shape)
napi_value op_conv_transpose2d(napi_env, napi_value*, size_t, Context*);  // (x, w, bias|null, params, shape)
napi_value op_pool2d(napi_env, napi_value*, size_t, Context*);     // (kind, x, params, shape)
napi_value op_conv2d_weight_grad(napi_env, napi_value*, size_t, Context*);  // (x, g, params, shape)
napi_value op_pool2d_backward(napi_env, napi_value*, size_t, Context*);  // (kind, x|null, g, params, shape)

}  // namespace px
