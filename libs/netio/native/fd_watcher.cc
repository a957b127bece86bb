// FdWatcher: uv_poll on a descriptor, calling a JS function whenever it becomes readable.
// Every fd in the addon (raw sockets, AF_PACKET sockets, timerfds) is event-driven through this one
// class; the JS side then drains the descriptor with the non-blocking recv/read functions.
// The watcher owns the fd: close() (or garbage collection of a forgotten watcher) stops the poll and
// closes the fd once libuv has released the handle, so an fd number is never reused while libuv
// still has it registered.
#include <unistd.h>

#include "common.h"

namespace netio {

namespace {

struct Watcher {
  uv_poll_t handle;
  napi_env env = nullptr;
  // Strong while polling, so an active watcher is never collected; weak otherwise. The callback is a
  // property of the JS object, not a napi_ref: a ref would be a GC root, and the callback usually
  // closes over the wrapper that owns this watcher, so nothing forgotten would ever be collected.
  napi_ref self = nullptr;
  napi_async_context context = nullptr;
  int fd = -1;
  bool polling = false;
  bool closing = false;         // uv_close requested
  bool closed = false;          // uv_close callback ran
  bool finalized = false;       // the JS object is gone
};

void OnClose(uv_handle_t* handle) {
  auto* w = static_cast<Watcher*>(handle->data);
  close(w->fd);
  w->closed = true;
  if (w->finalized) delete w;
}

void StopPolling(Watcher* w) {
  if (!w->polling) return;
  uv_poll_stop(&w->handle);  // also removes the fd from epoll, so closing the fd afterwards is safe
  w->polling = false;
  uint32_t refs;
  napi_reference_unref(w->env, w->self, &refs);
}

void OnPoll(uv_poll_t* handle, int status, int events) {
  auto* w = static_cast<Watcher*>(handle->data);
  if (!w->polling) return;
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value self, cb, result, argv[2];
  napi_get_reference_value(env, w->self, &self);
  napi_get_named_property(env, self, "onReadable", &cb);
  napi_create_int32(env, status, &argv[0]);
  napi_create_int32(env, events, &argv[1]);
  // make_callback (not call_function): runs nextTicks/microtasks and async hooks after the callback,
  // as for any other I/O callback.
  if (napi_make_callback(env, w->context, self, cb, 2, argv, &result) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);  // → process 'uncaughtException', never swallowed
    }
  }
  napi_close_handle_scope(env, scope);
}

void Finalize(napi_env env, void* data, void*) {
  auto* w = static_cast<Watcher*>(data);
  w->finalized = true;
  if (w->self) napi_delete_reference(env, w->self);
  if (w->context) napi_async_destroy(env, w->context);
  w->self = nullptr;
  w->context = nullptr;
  if (!w->closing) {
    w->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), OnClose);
  } else if (w->closed) {
    delete w;
  }
}

Watcher* Unwrap(napi_env env, napi_value self) {
  void* data = nullptr;
  napi_unwrap(env, self, &data);
  return static_cast<Watcher*>(data);
}

// new FdWatcher(fd, callback(status, events)): takes ownership of fd, even when it throws.
napi_value Construct(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd;
  napi_valuetype t;
  if (!a.Int(0, &fd) || a.argc < 2 || napi_typeof(env, a.argv[1], &t) != napi_ok || t != napi_function)
    return ThrowType(env, "new FdWatcher(fd, callback)");
  uv_loop_t* loop;
  napi_get_uv_event_loop(env, &loop);
  auto* w = new Watcher();
  w->env = env;
  w->fd = fd;
  int rc = uv_poll_init(loop, &w->handle, fd);
  if (rc < 0) {
    delete w;
    close(fd);
    return ThrowErrno(env, "uv_poll_init", -rc);
  }
  w->handle.data = w;
  napi_set_named_property(env, a.self, "onReadable", a.argv[1]);
  napi_async_init(env, a.self, Str(env, "netio.FdWatcher"), &w->context);
  napi_wrap(env, a.self, w, Finalize, nullptr, &w->self);  // weak (refcount 0) until start()
  return a.self;
}

napi_value Start(napi_env env, napi_callback_info info) {
  Args a(env, info);
  Watcher* w = Unwrap(env, a.self);
  if (!w || w->closing) return ThrowType(env, "FdWatcher is closed");
  if (w->polling) return Undefined(env);
  int rc = uv_poll_start(&w->handle, UV_READABLE, OnPoll);
  if (rc < 0) return ThrowErrno(env, "uv_poll_start", -rc);
  w->polling = true;
  uint32_t refs;
  napi_reference_ref(env, w->self, &refs);
  return Undefined(env);
}

napi_value Stop(napi_env env, napi_callback_info info) {
  Args a(env, info);
  Watcher* w = Unwrap(env, a.self);
  if (w) StopPolling(w);
  return Undefined(env);
}

napi_value Close(napi_env env, napi_callback_info info) {
  Args a(env, info);
  Watcher* w = Unwrap(env, a.self);
  if (!w || w->closing) return Undefined(env);
  StopPolling(w);
  w->closing = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), OnClose);
  return Undefined(env);
}

// ref()/unref(): whether a polling watcher keeps the event loop (the process) alive.
napi_value Ref(napi_env env, napi_callback_info info) {
  Args a(env, info);
  Watcher* w = Unwrap(env, a.self);
  if (w && !w->closing) uv_ref(reinterpret_cast<uv_handle_t*>(&w->handle));
  return Undefined(env);
}

napi_value Unref(napi_env env, napi_callback_info info) {
  Args a(env, info);
  Watcher* w = Unwrap(env, a.self);
  if (w && !w->closing) uv_unref(reinterpret_cast<uv_handle_t*>(&w->handle));
  return Undefined(env);
}

}  // namespace

void InitWatcher(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
      {"start", nullptr, Start, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stop", nullptr, Stop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"ref", nullptr, Ref, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unref", nullptr, Unref, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_value cls;
  napi_define_class(env, "FdWatcher", NAPI_AUTO_LENGTH, Construct, nullptr, 5, methods, &cls);
  napi_set_named_property(env, exports, "FdWatcher", cls);
}

}  // namespace netio
