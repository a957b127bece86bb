// AF_PACKET sockets: send a whole Ethernet frame built by the caller (gratuitous ARP, unsolicited
// Neighbour Advertisement — keepalived's vrrp_arp.c / vrrp_ndisc.c do the same), and optionally
// receive frames of one EtherType (tests, `inspect`).
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

namespace netio {

namespace {

thread_local uint8_t frameBuffer[65536];

// packetOpen(ifindex, ethertype) → fd. ethertype 0 opens a send-only socket (receives nothing);
// 0x0003 (ETH_P_ALL) receives every frame, ours included (pktType 4 = outgoing).
napi_value PacketOpen(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t ifindex, ethertype;
  if (!a.Int(0, &ifindex) || !a.Int(1, &ethertype) || ethertype < 0 || ethertype > 0xffff)
    return ThrowType(env, "packetOpen(ifindex, ethertype)");
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(uint16_t(ethertype)));
  if (fd < 0) return ThrowErrno(env, "socket(AF_PACKET, SOCK_RAW)", errno);
  sockaddr_ll sll = {};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(uint16_t(ethertype));
  sll.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, "bind(AF_PACKET)", err);
  }
  return Int(env, fd);
}

// packetSend(fd, ifindex, frame) → bytes sent. The frame starts with the Ethernet header.
napi_value PacketSend(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd, ifindex;
  const uint8_t* frame;
  size_t len;
  if (!a.Int(0, &fd) || !a.Int(1, &ifindex) || !a.Bytes(2, &frame, &len))
    return ThrowType(env, "packetSend(fd, ifindex, frame)");
  if (len < ETH_HLEN) return ThrowType(env, "frame shorter than an Ethernet header (14 bytes)");
  sockaddr_ll sll = {};
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = ifindex;
  sll.sll_halen = ETH_ALEN;
  std::memcpy(sll.sll_addr, frame, ETH_ALEN);
  std::memcpy(&sll.sll_protocol, frame + 12, 2);
  ssize_t n = sendto(fd, frame, len, 0, reinterpret_cast<sockaddr*>(&sll), sizeof sll);
  if (n < 0) return ThrowErrno(env, "sendto(AF_PACKET)", errno);
  return Int(env, n);
}

// packetRecv(fd) → { data, ifindex, ethertype, pktType } | undefined (nothing queued)
napi_value PacketRecv(napi_env env, napi_callback_info info) {
  Args a(env, info);
  int32_t fd;
  if (!a.Int(0, &fd)) return ThrowType(env, "packetRecv(fd)");
  sockaddr_ll from = {};
  socklen_t fromlen = sizeof from;
  ssize_t n = recvfrom(fd, frameBuffer, sizeof frameBuffer, 0, reinterpret_cast<sockaddr*>(&from), &fromlen);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return Undefined(env);
    return ThrowErrno(env, "recvfrom(AF_PACKET)", errno);
  }
  napi_value obj;
  napi_create_object(env, &obj);
  Set(env, obj, "data", Copy(env, frameBuffer, size_t(n)));
  Set(env, obj, "ifindex", Int(env, from.sll_ifindex));
  Set(env, obj, "ethertype", Int(env, ntohs(from.sll_protocol)));
  Set(env, obj, "pktType", Int(env, from.sll_pkttype));
  return obj;
}

}  // namespace

void InitPacketSocket(napi_env env, napi_value exports) {
  Export(env, exports, "packetOpen", PacketOpen);
  Export(env, exports, "packetSend", PacketSend);
  Export(env, exports, "packetRecv", PacketRecv);
}

}  // namespace netio
