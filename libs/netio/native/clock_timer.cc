// CLOCK_MONOTONIC for JS, and timerfds armed with absolute deadlines on that same clock.
// Node's setTimeout has 1 ms granularity; VRRPv3 at 10 ms needs deadlines met to a fraction of a
// millisecond (one priority point of Skew_Time is 39 µs, RFC 9568 §6.1). A timerfd armed with
// TFD_TIMER_ABSTIME is an hrtimer with no slack; uv_poll wakes the loop when it expires.
#include <sched.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

namespace netio {

namespace {

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

napi_value MonotonicNs(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_bigint_int64(env, NowNs(), &v);
  return v;
}

// Microseconds as a double: exact to the nanosecond for any uptime below ~100 days (2^53 ns).
napi_value MonotonicUs(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_double(env, double(NowNs()) / 1000.0, &v);
  return v;
}

napi_value TimerfdCreate(napi_env env, napi_callback_info) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) return ThrowErrno(env, "timerfd_create", errno);
  return Int(env, fd);
}

// timerfdSet(fd, deadlineNs: bigint). 0n disarms. A deadline in the past fires at once.
napi_value TimerfdSet(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd;
  int64_t deadline;
  if (!a.Int(0, &fd) || !a.BigInt(1, &deadline) || deadline < 0)
    return ThrowType(env, "timerfdSet(fd, deadlineNs >= 0n)");
  itimerspec spec = {};  // it_value {0,0} disarms; the TS wrapper never arms at 0 (it uses 1 ns)
  spec.it_value.tv_sec = deadline / 1000000000LL;
  spec.it_value.tv_nsec = deadline % 1000000000LL;
  if (timerfd_settime(fd, deadline == 0 ? 0 : TFD_TIMER_ABSTIME, &spec, nullptr) < 0)
    return ThrowErrno(env, "timerfd_settime", errno);
  return Undefined(env);
}

// timerfdRead(fd) → number of expirations since the last read (0 when none: EAGAIN).
napi_value TimerfdRead(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd;
  if (!a.Int(0, &fd)) return ThrowType(env, "timerfdRead(fd)");
  uint64_t count = 0;
  ssize_t n = read(fd, &count, sizeof count);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return Int(env, 0);
    return ThrowErrno(env, "read(timerfd)", errno);
  }
  return Int(env, int64_t(count));
}

// setRealtimePriority(priority): SCHED_RR at 1..99, or back to SCHED_OTHER with 0 — keepalived's
// vrrp_rt_priority. A busy neighbour process then cannot delay a timer callback by a whole time slice.
napi_value SetRealtimePriority(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t priority;
  if (!a.Int(0, &priority) || priority < 0 || priority > 99) return ThrowType(env, "setRealtimePriority(0..99)");
  sched_param param = {};
  param.sched_priority = priority;
  if (sched_setscheduler(0, priority == 0 ? SCHED_OTHER : SCHED_RR, &param) < 0)
    return ThrowErrno(env, "sched_setscheduler", errno);
  return Undefined(env);
}

}  // namespace

void InitClock(napi_env env, napi_value exports) {
  Export(env, exports, "monotonicNs", MonotonicNs);
  Export(env, exports, "monotonicUs", MonotonicUs);
  Export(env, exports, "timerfdCreate", TimerfdCreate);
  Export(env, exports, "timerfdSet", TimerfdSet);
  Export(env, exports, "timerfdRead", TimerfdRead);
  Export(env, exports, "setRealtimePriority", SetRealtimePriority);
}

}  // namespace netio
