// write / read / dispose / memory: moving values between JS typed arrays and native storage.
#include <cstring>
#include <string>

#include "args.h"
#include "convert.h"
#include "movement.h"
#include "ops.h"

namespace px {
namespace {

napi_value make_number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

napi_value make_int_array(napi_env env, int n, const int64_t* v) {
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (int i = 0; i < n; i++) napi_set_element(env, arr, i, make_number(env, static_cast<double>(v[i])));
  return arr;
}

}  // namespace

napi_value op_write(napi_env env, napi_value* argv, size_t, Context* ctx) {
  const char* op = "write";
  bool is_typed = false;
  if (napi_is_typedarray(env, argv[0], &is_typed) != napi_ok || !is_typed) {
    fail(ErrKind::Argument, "write: values must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  }
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t byte_offset;
  napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &byte_offset);
  DType from;
  switch (type) {
    case napi_float32_array: from = DType::F32; break;
    case napi_float64_array: from = DType::F64; break;
    case napi_int32_array: from = DType::I32; break;
    case napi_uint8_array:
    case napi_uint8_clamped_array: from = DType::BOOL; break;
    default: fail(ErrKind::Argument, "write: values must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  }
  int64_t shape[MAX_RANK];
  int rank = arg_shape(env, argv[1], shape, op);
  DType dtype = arg_dtype(env, argv[2], op);
  int64_t size = 1;
  for (int d = 0; d < rank; d++) size *= shape[d];
  if (static_cast<int64_t>(length) != size) {
    fail(ErrKind::Backend, "write: got " + std::to_string(length) + " values for shape " + fmt_shape(rank, shape) + " (" + std::to_string(size) + " elements)");
  }
  Handle* h = new_handle(ctx, dtype, rank, shape, op);
  // A matching array type is copied; bool is always normalised to 0/1 (any Uint8Array may come).
  if (size > 0) {
    if (from == dtype && dtype != DType::BOOL) std::memcpy(h->raw(), data, size * dtype_size(dtype));
    else convert_dense(h->raw(), dtype, data, from, size);
  }
  return wrap_handle(env, h);
}

napi_value op_read(napi_env env, napi_value* argv, size_t, Context* ctx) {
  Handle* h = unwrap_handle(env, argv[0], ctx, "read");
  size_t bytes = static_cast<size_t>(h->size) * dtype_size(h->dtype);
  void* data = nullptr;
  napi_value ab;
  if (napi_create_arraybuffer(env, bytes, &data, &ab) != napi_ok) fail(ErrKind::Backend, "read: could not allocate " + std::to_string(bytes) + " bytes");
  if (h->size > 0) copy_to_dense(h, data);
  napi_typedarray_type type = h->dtype == DType::F32 ? napi_float32_array
                              : h->dtype == DType::F64 ? napi_float64_array
                              : h->dtype == DType::I32 ? napi_int32_array
                                                       : napi_uint8_array;
  napi_value result;
  napi_create_typedarray(env, type, static_cast<size_t>(h->size), ab, 0, &result);
  return result;
}

napi_value op_dispose(napi_env env, napi_value* argv, size_t, Context* ctx) {
  Handle* h = unwrap_any(env, argv[0], ctx, "dispose");
  if (h->disposed) fail(ErrKind::Backend, "dispose: tensor data was already disposed (cpu backend)");
  dispose_handle(h);
  return nullptr;
}

napi_value op_memory(napi_env env, napi_value*, size_t, Context* ctx) {
  int64_t v[2] = {ctx->handles, ctx->bytes};
  return make_int_array(env, 2, v);
}

napi_value op_describe(napi_env env, napi_value* argv, size_t, Context* ctx) {
  Handle* h = unwrap_handle(env, argv[0], ctx, "describe");
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "shape", make_int_array(env, h->rank, h->shape));
  napi_set_named_property(env, obj, "strides", make_int_array(env, h->rank, h->strides));
  napi_set_named_property(env, obj, "offset", make_number(env, static_cast<double>(h->offset)));
  napi_set_named_property(env, obj, "dtype", make_number(env, static_cast<double>(h->dtype)));
  napi_set_named_property(env, obj, "storageBytes", make_number(env, static_cast<double>(h->st->bytes)));
  napi_set_named_property(env, obj, "storageRefs", make_number(env, h->st->refs));
  napi_value contiguous;
  napi_get_boolean(env, h->contiguous(), &contiguous);
  napi_set_named_property(env, obj, "contiguous", contiguous);
  return obj;
}

}  // namespace px
