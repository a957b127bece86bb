// Shared helpers for the netio addon: argument reading and errno → JS Error conversion.
// Plain N-API (node_api.h), so the addon needs no npm dependency and is ABI-stable across Node versions.
#pragma once

#include <node_api.h>
#include <uv.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace netio {

// Throws a Node-style system error: message "<syscall>: <strerror>", code "EPERM", errno -1 (negative,
// like Node's own errors), syscall "setsockopt(IPV6_JOIN_GROUP)". Returns nullptr for convenience.
inline napi_value ThrowErrno(napi_env env, const std::string& syscall, int err) {
  std::string message = syscall + ": " + std::strerror(err);
  napi_value code, msg, error, errnoValue, syscallValue;
  napi_create_string_utf8(env, uv_err_name(-err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message.c_str(), message.size(), &msg);
  napi_create_error(env, code, msg, &error);
  napi_create_int32(env, -err, &errnoValue);
  napi_create_string_utf8(env, syscall.c_str(), syscall.size(), &syscallValue);
  napi_set_named_property(env, error, "errno", errnoValue);
  napi_set_named_property(env, error, "syscall", syscallValue);
  napi_throw(env, error);
  return nullptr;
}

// Programmer errors (wrong argument types) are TypeErrors; the TS wrapper should never trigger them.
inline napi_value ThrowType(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

struct Args {
  napi_env env;
  napi_value self = nullptr;
  size_t argc = 8;
  napi_value argv[8];
  Args(napi_env e, napi_callback_info info) : env(e) {
    napi_get_cb_info(e, info, &argc, argv, &self, nullptr);
  }
  bool Int(size_t i, int32_t* out) const {
    return i < argc && napi_get_value_int32(env, argv[i], out) == napi_ok;
  }
  bool Bool(size_t i, bool* out) const {
    return i < argc && napi_get_value_bool(env, argv[i], out) == napi_ok;
  }
  bool String(size_t i, std::string* out) const {
    if (i >= argc) return false;
    size_t len = 0;
    if (napi_get_value_string_utf8(env, argv[i], nullptr, 0, &len) != napi_ok) return false;
    out->resize(len);
    size_t written = 0;
    napi_get_value_string_utf8(env, argv[i], out->data(), len + 1, &written);
    out->resize(written);
    return true;
  }
  // Accepts any Uint8Array (Buffer included); the bytes stay owned by JS for the duration of the call.
  bool Bytes(size_t i, const uint8_t** data, size_t* len) const {
    if (i >= argc) return false;
    napi_typedarray_type type;
    napi_value buffer;
    size_t offset;
    void* ptr = nullptr;
    if (napi_get_typedarray_info(env, argv[i], &type, len, &ptr, &buffer, &offset) != napi_ok) return false;
    if (type != napi_uint8_array) return false;
    *data = static_cast<const uint8_t*>(ptr);
    return true;
  }
  bool BigInt(size_t i, int64_t* out) const {
    bool lossless = false;
    return i < argc && napi_get_value_bigint_int64(env, argv[i], out, &lossless) == napi_ok && lossless;
  }
};

inline napi_value Undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

inline napi_value Int(napi_env env, int64_t n) {
  napi_value v;
  napi_create_int64(env, n, &v);
  return v;
}

inline napi_value Str(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

inline napi_value Copy(napi_env env, const uint8_t* data, size_t len) {
  napi_value v;
  void* out = nullptr;
  napi_create_buffer_copy(env, len, data, &out, &v);
  return v;
}

inline void Set(napi_env env, napi_value obj, const char* key, napi_value value) {
  napi_set_named_property(env, obj, key, value);
}

// Registration hooks, one per source file.
void InitWatcher(napi_env env, napi_value exports);
void InitClock(napi_env env, napi_value exports);
void InitVrrpSocket(napi_env env, napi_value exports);
void InitPacketSocket(napi_env env, napi_value exports);
void InitInterface(napi_env env, napi_value exports);
void InitRtnetlink(napi_env env, napi_value exports);

inline void Export(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace netio
