// Synchronous rtnetlink address add/delete, the way keepalived's netlink_talk() does it
// (keepalived/core/keepalived_netlink.c): send RTM_NEWADDR / RTM_DELADDR with NLM_F_ACK on a
// NETLINK_ROUTE socket and read the kernel's ack with a blocking recv right away. The kernel answers an
// address change in microseconds, so a takeover's first GARP can follow its VIP adds within the same
// event-loop turn (an async netlink client delivers the ack one turn later, ~1 ms).
//
//   rtnlOpen() -> fd        one socket, in the namespace of the calling thread; close with rtnlClose
//   rtnlAddress(fd, op, family, ifindex, local, prefixLength, scope, ifaFlags, label?, broadcast?,
//               cacheInfo?)   op 0 = RTM_NEWADDR (CREATE|EXCL), 1 = RTM_DELADDR
//   ifNameToIndex(name) -> ifindex (ENODEV when absent)
// Kernel refusals throw a system error with code EEXIST / EADDRNOTAVAIL / ENODEV / EPERM …; no ack within
// SO_RCVTIMEO (100 ms) throws ETIMEDOUT.
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common.h"

namespace netio {

namespace {

constexpr int kAckTimeoutMs = 100;
uint32_t g_seq = 0;

struct Request {
  nlmsghdr nh;
  ifaddrmsg ifa;
  char attrs[256];
};

void AddAttr(Request* r, uint16_t type, const void* data, size_t len) {
  rtattr* rta = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(r) + NLMSG_ALIGN(r->nh.nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = RTA_LENGTH(len);
  std::memcpy(RTA_DATA(rta), data, len);
  r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

napi_value RtnlOpen(napi_env env, napi_callback_info info) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return ThrowErrno(env, "socket(AF_NETLINK, NETLINK_ROUTE)", errno);
  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;  // nl_pid 0: the kernel assigns a port; no multicast groups
  timeval tv = {0, kAckTimeoutMs * 1000};
  const char* failed = nullptr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) < 0) failed = "bind(AF_NETLINK)";
  else if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) failed = "setsockopt(SO_RCVTIMEO)";
  if (failed) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, failed, err);
  }
  return Int(env, fd);
}

napi_value RtnlClose(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd;
  if (!a.Int(0, &fd)) return ThrowType(env, "rtnlClose(fd)");
  close(fd);
  return Undefined(env);
}

// Waits for the NLMSG_ERROR answering `seq` (error 0 = ack). Other messages (a stale ack of an earlier
// request that timed out) are skipped. Returns 0 or a positive errno.
int ReadAck(int fd, uint32_t seq) {
  alignas(nlmsghdr) char buf[8192];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno;
    }
    int len = static_cast<int>(n);
    for (nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return EPROTO;
      const nlmsgerr* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      return -e->error;
    }
  }
}

// Optional arguments: undefined (or null) leaves the attribute out.
bool OptionalBytes(napi_env env, napi_value v, const uint8_t** data, size_t* len, bool* present) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  *present = !(t == napi_undefined || t == napi_null);
  if (!*present) return true;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void* ptr = nullptr;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, &buffer, &offset) != napi_ok || type != napi_uint8_array) return false;
  *data = static_cast<const uint8_t*>(ptr);
  return true;
}

napi_value RtnlAddress(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const char* usage =
      "rtnlAddress(fd, op, family, ifindex, local, prefixLength, scope, flags, label?, broadcast?, cacheInfo?)";
  int32_t fd, op, family, ifindex, prefix, scope, flags;
  const uint8_t* local = nullptr;
  size_t localLen = 0;
  if (!a.Int(0, &fd) || !a.Int(1, &op) || !a.Int(2, &family) || !a.Int(3, &ifindex) || !a.Bytes(4, &local, &localLen) ||
      !a.Int(5, &prefix) || !a.Int(6, &scope) || !a.Int(7, &flags)) {
    return ThrowType(env, usage);
  }
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  napi_value undef = Undefined(env);
  for (size_t i = argc; i < 11; i++) argv[i] = undef;

  const bool add = op == 0;
  const size_t alen = family == 4 ? 4 : 16;
  if ((op != 0 && op != 1) || (family != 4 && family != 6) || localLen != alen || prefix < 0 ||
      prefix > static_cast<int32_t>(alen * 8) || scope < 0 || scope > 255) {
    return ThrowType(env, usage);
  }
  std::string label;
  napi_valuetype labelType;
  napi_typeof(env, argv[8], &labelType);
  const bool hasLabel = labelType == napi_string;
  if (hasLabel) {
    size_t len = 0;
    napi_get_value_string_utf8(env, argv[8], nullptr, 0, &len);
    if (len >= IFNAMSIZ) return ThrowType(env, "rtnlAddress: label longer than 15 bytes");
    label.resize(len);
    napi_get_value_string_utf8(env, argv[8], label.data(), len + 1, &len);
  } else if (labelType != napi_undefined && labelType != napi_null) {
    return ThrowType(env, usage);
  }
  const uint8_t* brd = nullptr;
  size_t brdLen = 0;
  bool hasBrd = false;
  if (!OptionalBytes(env, argv[9], &brd, &brdLen, &hasBrd) || (hasBrd && brdLen != 4)) return ThrowType(env, usage);
  // cacheInfo: Uint32Array-free form, a Uint8Array of 8 bytes = preferred (u32 host order), valid (u32).
  const uint8_t* ci = nullptr;
  size_t ciLen = 0;
  bool hasCi = false;
  if (!OptionalBytes(env, argv[10], &ci, &ciLen, &hasCi) || (hasCi && ciLen != 8)) return ThrowType(env, usage);

  Request r = {};
  r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  r.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
  // keepalived's netlink_ipaddress(): NLM_F_REQUEST, plus CREATE for an add. EXCL as well, so that an
  // address already there is reported (EEXIST, "present") and left as it is, like `ip addr add`.
  r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
  r.nh.nlmsg_seq = ++g_seq;
  r.ifa.ifa_family = family == 4 ? AF_INET : AF_INET6;
  r.ifa.ifa_prefixlen = static_cast<uint8_t>(prefix);
  r.ifa.ifa_scope = static_cast<uint8_t>(scope);
  r.ifa.ifa_index = static_cast<uint32_t>(ifindex);
  r.ifa.ifa_flags = static_cast<uint8_t>(flags & 0xff);
  // iproute2 sends both IFA_LOCAL and IFA_ADDRESS (equal without a peer).
  AddAttr(&r, IFA_LOCAL, local, alen);
  AddAttr(&r, IFA_ADDRESS, local, alen);
  if (add) {
    if (hasBrd) AddAttr(&r, IFA_BROADCAST, brd, 4);
    if (hasLabel) AddAttr(&r, IFA_LABEL, label.c_str(), label.size() + 1);
    if (hasCi) {
      ifa_cacheinfo cache = {};
      std::memcpy(&cache.ifa_prefered, ci, 4);
      std::memcpy(&cache.ifa_valid, ci + 4, 4);
      AddAttr(&r, IFA_CACHEINFO, &cache, sizeof cache);
    }
    // IFA_FLAGS (u32) supersedes the u8 ifa_flags and carries NOPREFIXROUTE (0x200) and above.
    uint32_t f32 = static_cast<uint32_t>(flags);
    AddAttr(&r, IFA_FLAGS, &f32, sizeof f32);
  }

  const char* what = add ? "rtnetlink(RTM_NEWADDR)" : "rtnetlink(RTM_DELADDR)";
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = sendto(fd, &r, r.nh.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return ThrowErrno(env, what, errno);
  int err = ReadAck(fd, r.nh.nlmsg_seq);
  if (err != 0) return ThrowErrno(env, what, err);
  return Undefined(env);
}

napi_value IfNameToIndex(napi_env env, napi_callback_info info) {
  Args a(env, info);
  std::string name;
  if (!a.String(0, &name) || name.empty() || name.size() >= IFNAMSIZ) return ThrowType(env, "ifNameToIndex(name)");
  unsigned index = if_nametoindex(name.c_str());
  if (index == 0) return ThrowErrno(env, "if_nametoindex " + name, errno);
  return Int(env, index);
}

}  // namespace

void InitRtnetlink(napi_env env, napi_value exports) {
  Export(env, exports, "rtnlOpen", RtnlOpen);
  Export(env, exports, "rtnlClose", RtnlClose);
  Export(env, exports, "rtnlAddress", RtnlAddress);
  Export(env, exports, "ifNameToIndex", IfNameToIndex);
}

}  // namespace netio
