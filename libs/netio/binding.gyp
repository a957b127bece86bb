{
  "targets": [
    {
      "target_name": "netio",
      "sources": [
        "native/addon.cc",
        "native/fd_watcher.cc",
        "native/clock_timer.cc",
        "native/vrrp_socket.cc",
        "native/packet_socket.cc",
        "native/interface.cc",
        "native/rtnetlink.cc"
      ],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
