// interfaceInfo(name): what the shell needs to know about a NIC to speak VRRP on it — ifindex, MAC
// (the source of GARP/NA frames; keepalived sends from the interface's own MAC), MTU, flags, and its
// addresses (the IPv6 link-local is the advert source, RFC 9568 §5.1.2.1; the primary IPv4 for v4).
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "common.h"

namespace netio {

namespace {

napi_value InterfaceInfo(napi_env env, napi_callback_info info) {
  Args a(env, info);
  std::string name;
  if (!a.String(0, &name) || name.empty() || name.size() >= IFNAMSIZ) return ThrowType(env, "interfaceInfo(name)");
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, "socket(AF_INET, SOCK_DGRAM)", errno);
  ifreq req = {};
  std::memcpy(req.ifr_name, name.c_str(), name.size());
  struct Step { unsigned long op; const char* what; } steps[] = {
      {SIOCGIFINDEX, "ioctl(SIOCGIFINDEX)"}, {SIOCGIFHWADDR, "ioctl(SIOCGIFHWADDR)"},
      {SIOCGIFMTU, "ioctl(SIOCGIFMTU)"}, {SIOCGIFFLAGS, "ioctl(SIOCGIFFLAGS)"}};
  int ifindex = 0, mtu = 0, flags = 0;
  uint8_t mac[6];
  for (const Step& s : steps) {
    if (ioctl(fd, s.op, &req) < 0) {
      int err = errno;
      close(fd);
      return ThrowErrno(env, std::string(s.what) + " " + name, err);
    }
    if (s.op == SIOCGIFINDEX) ifindex = req.ifr_ifindex;
    if (s.op == SIOCGIFHWADDR) std::memcpy(mac, req.ifr_hwaddr.sa_data, 6);
    if (s.op == SIOCGIFMTU) mtu = req.ifr_mtu;
    if (s.op == SIOCGIFFLAGS) flags = req.ifr_flags;
  }
  close(fd);

  ifaddrs* list = nullptr;
  if (getifaddrs(&list) < 0) return ThrowErrno(env, "getifaddrs", errno);
  napi_value v4, v6;
  napi_create_array(env, &v4);
  napi_create_array(env, &v6);
  uint32_t n4 = 0, n6 = 0;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || name != i->ifa_name) continue;
    char text[INET6_ADDRSTRLEN];
    if (i->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text, sizeof text);
      napi_set_element(env, v4, n4++, Str(env, text));
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr, text, sizeof text);
      napi_set_element(env, v6, n6++, Str(env, text));
    }
  }
  freeifaddrs(list);

  napi_value obj;
  napi_create_object(env, &obj);
  Set(env, obj, "name", Str(env, name.c_str()));
  Set(env, obj, "ifindex", Int(env, ifindex));
  Set(env, obj, "mac", Copy(env, mac, 6));
  Set(env, obj, "mtu", Int(env, mtu));
  Set(env, obj, "flags", Int(env, flags & 0xffff));
  Set(env, obj, "ipv4", v4);
  Set(env, obj, "ipv6", v6);
  return obj;
}

}  // namespace

void InitInterface(napi_env env, napi_value exports) {
  Export(env, exports, "interfaceInfo", InterfaceInfo);
}

}  // namespace netio
