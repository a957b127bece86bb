// Module entry: each file registers its own functions.
#include "common.h"

namespace netio {

static napi_value Init(napi_env env, napi_value exports) {
  InitWatcher(env, exports);
  InitClock(env, exports);
  InitVrrpSocket(env, exports);
  InitPacketSocket(env, exports);
  InitInterface(env, exports);
  InitRtnetlink(env, exports);
  return exports;
}

}  // namespace netio

NAPI_MODULE(NODE_GYP_MODULE_NAME, netio::Init)
