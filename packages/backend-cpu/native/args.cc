#include "args.h"

#include <cmath>
#include <cstdio>

namespace px {
namespace {

[[noreturn]] void bad(ErrKind kind, const char* op, const std::string& msg) { fail(kind, std::string(op) + ": " + msg); }

std::string describe_number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

}  // namespace

bool arg_is_nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  if (v == nullptr || napi_typeof(env, v, &t) != napi_ok) return true;
  return t == napi_undefined || t == napi_null;
}

double arg_number(napi_env env, napi_value v, const char* op, const char* what) {
  napi_valuetype t;
  if (v == nullptr || napi_typeof(env, v, &t) != napi_ok || t != napi_number) bad(ErrKind::Argument, op, std::string(what) + " must be a number");
  double d;
  napi_get_value_double(env, v, &d);
  return d;
}

int64_t arg_int(napi_env env, napi_value v, int64_t lo, int64_t hi, const char* op, const char* what) {
  double d = arg_number(env, v, op, what);
  if (!(d == std::floor(d)) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    bad(ErrKind::Argument, op, std::string(what) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + describe_number(d));
  }
  return static_cast<int64_t>(d);
}

DType arg_dtype(napi_env env, napi_value v, const char* op) {
  return static_cast<DType>(arg_int(env, v, 0, NUM_DTYPES - 1, op, "dtype code"));
}

int arg_int_list(napi_env env, napi_value v, int64_t* out, int max_len, int64_t lo, int64_t hi, const char* op,
                 const char* what) {
  bool is_array = false;
  if (v == nullptr || napi_is_array(env, v, &is_array) != napi_ok || !is_array) bad(ErrKind::Argument, op, std::string(what) + " must be an array");
  uint32_t n = 0;
  napi_get_array_length(env, v, &n);
  if (n > static_cast<uint32_t>(max_len)) bad(ErrKind::Shape, op, std::string(what) + " has " + std::to_string(n) + " entries, more than the cpu backend's limit of " + std::to_string(max_len));
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok) bad(ErrKind::Argument, op, std::string(what) + " could not be read");
    out[i] = arg_int(env, e, lo, hi, op, what);
  }
  return static_cast<int>(n);
}

int arg_shape(napi_env env, napi_value v, int64_t* out, const char* op, const char* what) {
  int rank = arg_int_list(env, v, out, MAX_RANK, 0, MAX_ELEMENTS, op, what);
  // The product of the non-zero dims is bounded (checked before each multiply, so it never
  // overflows), which keeps every stride and offset computed from a shape in range.
  int64_t size = 1;
  for (int d = 0; d < rank; d++) {
    if (out[d] == 0) continue;
    if (size > MAX_ELEMENTS / out[d]) bad(ErrKind::Shape, op, std::string(what) + " " + fmt_shape(rank, out) + " has more than 2^48 elements");
    size *= out[d];
  }
  return rank;
}

std::string fmt_shape(int rank, const int64_t* shape) {
  std::string s = "[";
  for (int d = 0; d < rank; d++) {
    if (d) s += ",";
    s += std::to_string(shape[d]);
  }
  return s + "]";
}

void check_out_shape(int rank, const int64_t* shape, int exp_rank, const int64_t* expected, const char* op) {
  bool same = rank == exp_rank;
  for (int d = 0; same && d < rank; d++) same = shape[d] == expected[d];
  if (!same) bad(ErrKind::Shape, op, "output shape " + fmt_shape(rank, shape) + " does not match the inputs, which give " + fmt_shape(exp_rank, expected));
}

void check_out_dtype(DType got, DType expected, const char* op) {
  if (got != expected) bad(ErrKind::DType, op, std::string("output dtype ") + dtype_name(got) + " does not match the inputs, which give " + dtype_name(expected));
}

}  // namespace px
