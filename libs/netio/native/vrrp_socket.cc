// Raw IP sockets for VRRP (IP protocol 112), IPv4 and IPv6, one per interface, as keepalived opens
// them (vrrp.c open_vrrp_read_socket/open_vrrp_send_socket), but one socket does both directions.
//
// Receive returns, for every packet, the facts the validation ladder needs: hop limit / TTL (RFC 9568
// §7.1: must be 255), source, destination (multicast vs unicast), ingress ifindex, and TOS/traffic class.
//   IPv6: from ancillary data (IPV6_HOPLIMIT, IPV6_PKTINFO, IPV6_TCLASS); the kernel strips the header.
//   IPv4: a raw IPv4 socket delivers the IP header, so TTL/TOS/addresses come from it; IP_PKTINFO adds
//         the ifindex. The header is stripped before the payload is handed to JS.
//
// Checksums: not computed by the kernel, on purpose. keepalived sets IPV6_CHECKSUM=6 on IPv6 sockets,
// which also makes the kernel verify — and silently drop — bad checksums on receive; we want those
// packets to reach the validation ladder as `checksum` / `checksum-other-form` anomalies. The caller
// (libs/protocol's codec) computes the checksum with the source address it passes to send().
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

namespace netio {

namespace {

constexpr int kProtoVrrp = 112;
thread_local uint8_t rxBuffer[65536];
thread_local uint8_t rxControl[512];

// Sets an int (or byte-sized) option; on failure closes fd and throws naming the option.
bool SetOpt(napi_env env, int fd, int level, int name, const void* value, socklen_t len, const char* what) {
  if (setsockopt(fd, level, name, value, len) == 0) return true;
  int err = errno;
  close(fd);
  ThrowErrno(env, std::string("setsockopt(") + what + ")", err);
  return false;
}

bool SetInt(napi_env env, int fd, int level, int name, int value, const char* what) {
  return SetOpt(env, fd, level, name, &value, sizeof value, what);
}

int OpenV6(napi_env env, const std::string& ifname, int ifindex, bool join, int hops, int tclass, const std::string& group) {
  int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, kProtoVrrp);
  if (fd < 0) return ThrowErrno(env, "socket(AF_INET6, SOCK_RAW, 112)", errno), -1;
  if (!SetOpt(env, fd, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(), socklen_t(ifname.size() + 1), "SO_BINDTODEVICE") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops, "IPV6_MULTICAST_HOPS") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops, "IPV6_UNICAST_HOPS") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_TCLASS, tclass, "IPV6_TCLASS") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO") ||
      !SetInt(env, fd, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS") ||
      !SetInt(env, fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS"))
    return -1;
  if (join) {
    ipv6_mreq mreq = {};
    // RFC 9568 §5.1.2.2 ff02::12, or keepalived's vrrp_mcast_group6.
    if (inet_pton(AF_INET6, group.empty() ? "ff02::12" : group.c_str(), &mreq.ipv6mr_multiaddr) != 1) {
      close(fd);
      return ThrowType(env, "bad IPv6 group"), -1;
    }
    mreq.ipv6mr_interface = unsigned(ifindex);
    if (!SetOpt(env, fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof mreq, "IPV6_JOIN_GROUP")) return -1;
  }
  return fd;
}

int OpenV4(napi_env env, const std::string& ifname, int ifindex, bool join, int ttl, int tos, const std::string& group) {
  int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, kProtoVrrp);
  if (fd < 0) return ThrowErrno(env, "socket(AF_INET, SOCK_RAW, 112)", errno), -1;
  ip_mreqn ifreq = {};
  ifreq.imr_ifindex = ifindex;
  if (!SetOpt(env, fd, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(), socklen_t(ifname.size() + 1), "SO_BINDTODEVICE") ||
      // keepalived: only the groups this socket joined, not every group joined on the host.
      !SetInt(env, fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL") ||
      !SetOpt(env, fd, IPPROTO_IP, IP_MULTICAST_IF, &ifreq, sizeof ifreq, "IP_MULTICAST_IF") ||
      !SetInt(env, fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL") ||
      !SetInt(env, fd, IPPROTO_IP, IP_TTL, ttl, "IP_TTL") ||
      !SetInt(env, fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP") ||
      !SetInt(env, fd, IPPROTO_IP, IP_TOS, tos, "IP_TOS") ||
      // keepalived's adverts have DF clear (it builds the header itself with IP_HDRINCL).
      !SetInt(env, fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT, "IP_MTU_DISCOVER") ||
      !SetInt(env, fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO") ||
      !SetInt(env, fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS"))
    return -1;
  if (join) {
    ip_mreqn mreq = {};
    // RFC 9568 §5.1.1.2 224.0.0.18, or keepalived's vrrp_mcast_group4.
    if (inet_pton(AF_INET, group.empty() ? "224.0.0.18" : group.c_str(), &mreq.imr_multiaddr) != 1) {
      close(fd);
      return ThrowType(env, "bad IPv4 group"), -1;
    }
    mreq.imr_ifindex = ifindex;
    if (!SetOpt(env, fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq, "IP_ADD_MEMBERSHIP")) return -1;
  }
  return fd;
}

// vrrpOpen(family: 4|6, ifname, ifindex, joinGroup, hopLimit, tos[, group]) → fd
// group: the multicast group to join ('' or absent: the RFC group).
napi_value VrrpOpen(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t family, ifindex, hops, tos;
  bool join;
  std::string ifname, group;
  if (!a.Int(0, &family) || !a.String(1, &ifname) || !a.Int(2, &ifindex) || !a.Bool(3, &join) ||
      !a.Int(4, &hops) || !a.Int(5, &tos) || (family != 4 && family != 6) || ifname.size() >= IFNAMSIZ)
    return ThrowType(env, "vrrpOpen(family, ifname, ifindex, joinGroup, hopLimit, tos[, group])");
  if (a.argc > 6 && !a.String(6, &group)) return ThrowType(env, "vrrpOpen: group must be a string");
  int fd = family == 6 ? OpenV6(env, ifname, ifindex, join, hops, tos, group) : OpenV4(env, ifname, ifindex, join, hops, tos, group);
  return fd < 0 ? nullptr : Int(env, fd);
}

// The kernel's receive time (SO_TIMESTAMPNS, CLOCK_REALTIME) as CLOCK_MONOTONIC µs: now on the monotonic
// clock minus the packet's age on the realtime one. -1 without a timestamp.
double ReceivedAtMonoUs(msghdr* msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec rx, real, mono;
    std::memcpy(&rx, CMSG_DATA(c), sizeof rx);
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    double ageNs = double(real.tv_sec - rx.tv_sec) * 1e9 + double(real.tv_nsec - rx.tv_nsec);
    return double(mono.tv_sec) * 1e6 + double(mono.tv_nsec) / 1e3 - ageNs / 1e3;
  }
  return -1;
}

napi_value Packet(napi_env env, const uint8_t* data, size_t len, int family, const void* src, const void* dst,
                  int ifindex, int hops, int tos, double kernelRxUs) {
  char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
  int af = family == 6 ? AF_INET6 : AF_INET;
  inet_ntop(af, src, s, sizeof s);
  inet_ntop(af, dst, d, sizeof d);
  napi_value obj;
  napi_create_object(env, &obj);
  Set(env, obj, "data", Copy(env, data, len));
  Set(env, obj, "source", Str(env, s));
  Set(env, obj, "destination", Str(env, d));
  Set(env, obj, "ifindex", Int(env, ifindex));
  Set(env, obj, "hopLimit", Int(env, hops));
  Set(env, obj, "tos", Int(env, tos));
  napi_value rx;
  napi_create_double(env, kernelRxUs, &rx);
  Set(env, obj, "kernelRxUs", rx);
  return obj;
}

// vrrpRecv(fd, family) → { data, source, destination, ifindex, hopLimit, tos, kernelRxUs } | undefined (nothing queued)
napi_value VrrpRecv(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd, family;
  if (!a.Int(0, &fd) || !a.Int(1, &family)) return ThrowType(env, "vrrpRecv(fd, family)");
  sockaddr_storage from = {};
  iovec iov = {rxBuffer, sizeof rxBuffer};
  msghdr msg = {};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = rxControl;
  msg.msg_controllen = sizeof rxControl;
  ssize_t n = recvmsg(fd, &msg, 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return Undefined(env);
    return ThrowErrno(env, "recvmsg", errno);
  }
  int ifindex = 0, hops = -1, tos = -1;
  if (family == 6) {
    in6_addr dst = {};
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != IPPROTO_IPV6) continue;
      if (c->cmsg_type == IPV6_HOPLIMIT) std::memcpy(&hops, CMSG_DATA(c), sizeof hops);
      else if (c->cmsg_type == IPV6_TCLASS) std::memcpy(&tos, CMSG_DATA(c), sizeof tos);
      else if (c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo pi;
        std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
        dst = pi.ipi6_addr;
        ifindex = int(pi.ipi6_ifindex);
      }
    }
    auto* src = reinterpret_cast<sockaddr_in6*>(&from);
    return Packet(env, rxBuffer, size_t(n), 6, &src->sin6_addr, &dst, ifindex, hops, tos, ReceivedAtMonoUs(&msg));
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo pi;
      std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
      ifindex = pi.ipi_ifindex;
    }
  }
  // The kernel has validated the IPv4 header before a raw socket sees it; still never read past n.
  size_t ihl = n >= 20 ? size_t(rxBuffer[0] & 0x0f) * 4 : 0;
  if (ihl < 20 || ihl > size_t(n)) return ThrowErrno(env, "recvmsg(short IPv4 header)", EPROTO);
  return Packet(env, rxBuffer + ihl, size_t(n) - ihl, 4, rxBuffer + 12, rxBuffer + 16, ifindex, rxBuffer[8],
                rxBuffer[1], ReceivedAtMonoUs(&msg));
}

// vrrpSend(fd, family, data, destination, source ('' = kernel's choice), ifindex, hopLimit (-1 = socket's))
// → bytes sent. The source goes in IP(V6)_PKTINFO, so it must be an address of this host.
napi_value VrrpSend(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd, family, ifindex, hops;
  const uint8_t* data;
  size_t len;
  std::string dstText, srcText;
  if (!a.Int(0, &fd) || !a.Int(1, &family) || !a.Bytes(2, &data, &len) || !a.String(3, &dstText) ||
      !a.String(4, &srcText) || !a.Int(5, &ifindex) || !a.Int(6, &hops))
    return ThrowType(env, "vrrpSend(fd, family, data, destination, source, ifindex, hopLimit)");
  sockaddr_storage to = {};
  socklen_t tolen;
  alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))] = {};
  msghdr msg = {};
  iovec iov = {const_cast<uint8_t*>(data), len};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  size_t used = 0;
  if (family == 6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&to);
    sin6->sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, dstText.c_str(), &sin6->sin6_addr) != 1) return ThrowType(env, "bad IPv6 destination");
    sin6->sin6_scope_id = unsigned(ifindex);  // needed for link-local and ff02:: destinations
    tolen = sizeof *sin6;
    in6_pktinfo pi = {};
    if (!srcText.empty() && inet_pton(AF_INET6, srcText.c_str(), &pi.ipi6_addr) != 1)
      return ThrowType(env, "bad IPv6 source");
    pi.ipi6_ifindex = unsigned(ifindex);
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof pi);
    std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
    used += CMSG_SPACE(sizeof pi);
    if (hops >= 0) {
      c = CMSG_NXTHDR(&msg, c);
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_HOPLIMIT;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &hops, sizeof(int));
      used += CMSG_SPACE(sizeof(int));
    }
  } else {
    auto* sin = reinterpret_cast<sockaddr_in*>(&to);
    sin->sin_family = AF_INET;
    if (inet_pton(AF_INET, dstText.c_str(), &sin->sin_addr) != 1) return ThrowType(env, "bad IPv4 destination");
    tolen = sizeof *sin;
    in_pktinfo pi = {};
    if (!srcText.empty() && inet_pton(AF_INET, srcText.c_str(), &pi.ipi_spec_dst) != 1)
      return ThrowType(env, "bad IPv4 source");
    pi.ipi_ifindex = ifindex;
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof pi);
    std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
    used += CMSG_SPACE(sizeof pi);
    if (hops >= 0) {  // IP_TTL as ancillary data overrides IP_TTL and IP_MULTICAST_TTL for this packet
      c = CMSG_NXTHDR(&msg, c);
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_TTL;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &hops, sizeof(int));
      used += CMSG_SPACE(sizeof(int));
    }
  }
  msg.msg_name = &to;
  msg.msg_namelen = tolen;
  msg.msg_controllen = used;
  ssize_t n = sendmsg(fd, &msg, 0);
  if (n < 0) return ThrowErrno(env, "sendmsg", errno);
  return Int(env, n);
}

}  // namespace

void InitVrrpSocket(napi_env env, napi_value exports) {
  Export(env, exports, "vrrpOpen", VrrpOpen);
  Export(env, exports, "vrrpRecv", VrrpRecv);
  Export(env, exports, "vrrpSend", VrrpSend);
}

}  // namespace netio
