// Module entry: each file registers its own functions.
#include <unistd.h>

#include "common.h"

namespace netio {

// close(fd). The TS wrapper stops the fd's watcher first: libuv must not poll a closed descriptor.
static napi_value CloseFd(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd;
  if (!a.Int(0, &fd)) return ThrowType(env, "closeFd(fd)");
  if (close(fd) < 0 && errno != EINTR) return ThrowErrno(env, "close", errno);
  return Undefined(env);
}

static napi_value Init(napi_env env, napi_value exports) {
  Export(env, exports, "closeFd", CloseFd);
  InitWatcher(env, exports);
  InitClock(env, exports);
  InitVrrpSocket(env, exports);
  InitPacketSocket(env, exports);
  InitInterface(env, exports);
  return exports;
}

}  // namespace netio

NAPI_MODULE(NODE_GYP_MODULE_NAME, netio::Init)
