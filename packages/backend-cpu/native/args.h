// Reading and validating arguments from JS. Every shape, axis, index list and dtype code passes
// through here before any kernel runs, whoever calls the backend.
#pragma once

#include <napi.h>

#include <string>

#include "common.h"
#include "handle.h"

namespace px {

// An integer in [lo, hi]; `what` names it in the error.
int64_t arg_int(napi_env env, napi_value v, int64_t lo, int64_t hi, const char* op, const char* what);
double arg_number(napi_env env, napi_value v, const char* op, const char* what);
DType arg_dtype(napi_env env, napi_value v, const char* op);
// A shape: an array of at most MAX_RANK non-negative integers with a bounded product. Returns the rank.
int arg_shape(napi_env env, napi_value v, int64_t* out, const char* op, const char* what = "shape");
// An array of integers, each in [lo, hi]; returns its length (at most max_len).
int arg_int_list(napi_env env, napi_value v, int64_t* out, int max_len, int64_t lo, int64_t hi, const char* op,
                 const char* what);
bool arg_is_nullish(napi_env env, napi_value v);

std::string fmt_shape(int rank, const int64_t* shape);
// Throws a ShapeError unless shape == expected (the output shape the frontend computed must be
// the one the inputs give).
void check_out_shape(int rank, const int64_t* shape, int exp_rank, const int64_t* expected, const char* op);
void check_out_dtype(DType got, DType expected, const char* op);

}  // namespace px
