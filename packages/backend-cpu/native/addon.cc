// Module entry: the functions JS calls. Each backend instance gets its own set of op functions
// (createContext), bound to a Context that keeps that instance's memory counts. Validation
// errors (px::Error) become instances of @plexus/tensor's error classes, registered at load with
// setErrorClasses, so a malformed call surfaces as a typed JS error, never as a crash.
#include <napi.h>

#include <mutex>
#include <new>
#include <string>

#include "alloc.h"
#include "cpu_features.h"
#include "ops.h"
#include "threadpool.h"

namespace px {
namespace {

struct AddonData {
  napi_ref errors[4] = {nullptr, nullptr, nullptr, nullptr};  // Backend, Shape, DType, Argument
};

void throw_js(napi_env env, const Error& e) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  AddonData* data = nullptr;
  napi_get_instance_data(env, reinterpret_cast<void**>(&data));
  napi_ref ref = data ? data->errors[static_cast<int>(e.kind)] : nullptr;
  napi_value ctor = nullptr;
  if (ref && napi_get_reference_value(env, ref, &ctor) == napi_ok && ctor) {
    napi_value msg, err;
    napi_create_string_utf8(env, e.msg.c_str(), e.msg.size(), &msg);
    if (napi_new_instance(env, ctor, 1, &msg, &err) == napi_ok) {
      napi_throw(env, err);
      return;
    }
  }
  switch (e.kind) {
    case ErrKind::Shape:
    case ErrKind::DType: napi_throw_type_error(env, nullptr, e.msg.c_str()); break;
    case ErrKind::Argument: napi_throw_range_error(env, nullptr, e.msg.c_str()); break;
    default: napi_throw_error(env, nullptr, e.msg.c_str()); break;
  }
}

constexpr size_t MAX_ARGS = 8;

template <OpImpl F>
napi_value entry(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  size_t argc = MAX_ARGS;
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, argv, nullptr, &data);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  for (size_t i = argc; i < MAX_ARGS; i++) argv[i] = undefined;
  try {
    napi_value r = F(env, argv, argc, static_cast<Context*>(data));
    return r ? r : undefined;
  } catch (const Error& e) {
    throw_js(env, e);
  } catch (const std::bad_alloc&) {
    throw_js(env, Error(ErrKind::Backend, "out of memory"));
  } catch (const std::exception& e) {
    throw_js(env, Error(ErrKind::Backend, std::string("internal error: ") + e.what()));
  }
  return nullptr;
}

struct OpDef {
  const char* name;
  napi_callback cb;
};

const OpDef OPS[] = {
    {"write", entry<op_write>},
    {"read", entry<op_read>},
    {"dispose", entry<op_dispose>},
    {"memory", entry<op_memory>},
    {"describe", entry<op_describe>},
    {"binary", entry<op_binary>},
    {"compare", entry<op_compare>},
    {"where", entry<op_where>},
    {"unary", entry<op_unary>},
    {"cast", entry<op_cast>},
    {"reduce", entry<op_reduce>},
    {"argreduce", entry<op_argreduce>},
    {"reshape", entry<op_reshape>},
    {"permute", entry<op_permute>},
    {"expand", entry<op_expand>},
    {"slice", entry<op_slice>},
    {"pad", entry<op_pad>},
    {"concat", entry<op_concat>},
    {"gather", entry<op_gather>},
    {"scatterAdd", entry<op_scatter_add>},
    {"matmul", entry<op_matmul>},
    {"softmax", entry<op_softmax>},
    {"conv2d", entry<op_conv2d>},
    {"convTranspose2d", entry<op_conv_transpose2d>},
    {"pool2d", entry<op_pool2d>},
    {"conv2dWeightGrad", entry<op_conv2d_weight_grad>},
    {"pool2dBackward", entry<op_pool2d_backward>},
};

Napi::Value CreateContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Context* ctx = new Context();  // lives as long as the process: handles point at it
  ctx->env = env;
  Napi::Object obj = Napi::Object::New(env);
  for (const OpDef& def : OPS) {
    napi_value fn;
    napi_create_function(env, def.name, NAPI_AUTO_LENGTH, def.cb, ctx, &fn);
    obj.Set(def.name, Napi::Value(env, fn));
  }
  return obj;
}

Napi::Value SetErrorClasses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData* data = env.GetInstanceData<AddonData>();
  for (int i = 0; i < 4; i++) {
    if (!info[i].IsFunction()) {
      Napi::TypeError::New(env, "setErrorClasses: expected four error constructors").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  for (int i = 0; i < 4; i++) {
    if (data->errors[i]) napi_delete_reference(env, data->errors[i]);
    napi_create_reference(env, info[i], 1, &data->errors[i]);
  }
  return env.Undefined();
}

Napi::Value Features(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", isa_name(g_isa));
  o.Set("detected", isa_name(detect_isa()));
  o.Set("threads", max_threads());
  return o;
}

Napi::Value SetFeatures(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !set_isa(info[0].As<Napi::String>().Utf8Value().c_str())) {
    Napi::RangeError::New(env, "setCpuFeatures: expected 'scalar', 'avx2', 'avx512', 'neon' or 'native'").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::String::New(env, isa_name(g_isa));
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || info[0].As<Napi::Number>().DoubleValue() < 1) {
    Napi::RangeError::New(env, "setNumThreads: expected a positive integer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  set_max_threads(static_cast<int>(info[0].As<Napi::Number>().DoubleValue()));
  return Napi::Number::New(env, max_threads());
}

Napi::Value CacheInfo(const Napi::CallbackInfo& info) {
  if (info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value()) storage_trim();
  return Napi::Number::New(info.Env(), static_cast<double>(storage_cached_bytes()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  static std::once_flag once;
  std::call_once(once, [] { init_isa(); });
  env.SetInstanceData(new AddonData());
  exports.Set("createContext", Napi::Function::New(env, CreateContext, "createContext"));
  exports.Set("setErrorClasses", Napi::Function::New(env, SetErrorClasses, "setErrorClasses"));
  exports.Set("features", Napi::Function::New(env, Features, "features"));
  exports.Set("setFeatures", Napi::Function::New(env, SetFeatures, "setFeatures"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetThreads, "setNumThreads"));
  exports.Set("cachedBytes", Napi::Function::New(env, CacheInfo, "cachedBytes"));
  return exports;
}

}  // namespace
}  // namespace px

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return px::Init(env, exports); }

NODE_API_MODULE(plexus_cpu, InitModule)
