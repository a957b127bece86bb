// keepalived keywords hotstandby knows of but does not implement. Using one is a warning ("not supported
// by hotstandby; ignored") and the config still loads, as keepalived loads a config with keywords of a
// feature it was built without. Anything in neither this list nor the interpreter is "unknown", which
// keepalived also only logs ("Unknown keyword"). Sources: keepalived.conf(5) and the install_keyword()
// calls of global_parser.c, vrrp_parser.c, check_parser.c, bfd_parser.c (2.2.x).

export const UNSUPPORTED_ROOT = new Set([
  'virtual_server', 'virtual_server_group', 'static_ipaddress', 'static_routes', 'static_rules',
  'track_group', 'garp_group', 'linkbeat_interfaces', 'interface_up_down_delays', 'vrrp_track_process',
  'track_file', 'vrrp_track_file', 'bfd_instance', 'net_namespace', 'net_namespace_ipvs',
  'namespace_with_ipsets', 'instance', 'use_pid_dir', 'linkbeat_use_polling', 'child_wait_time',
  'includea', 'includer', 'includem', 'includew', 'includeb', 'include_check',
]);

export const UNSUPPORTED_GLOBAL = new Set([
  'tmp_config_directory', 'config_save_dir', 'process_names', 'process_name', 'vrrp_process_name',
  'checker_process_name', 'bfd_process_name', 'use_symlink_paths', 'set_supplementary_groups',
  'startup_script', 'startup_script_timeout', 'shutdown_script', 'shutdown_script_timeout',
  'smtp_helo_name', 'smtp_alert', 'smtp_alert_vrrp', 'smtp_alert_checker', 'checker_log_all_failures',
  'no_email_faults', 'default_interface', 'lvs_sync_daemon', 'lvs_timeouts', 'lvs_flush',
  'lvs_flush_on_stop', 'vrrp_garp_lower_prio_repeat', 'vrrp_garp_lower_prio_delay', 'vrrp_garp_interval',
  'vrrp_gna_interval', 'vrrp_min_garp', 'vrrp_garp_extra_if', 'vrrp_down_timer_adverts', 'nftables',
  'nftables_priority', 'nftables_counters', 'nftables_ifindex', 'nftables_ipvs', 'nftables_ipvs_priority',
  'nftables_ipvs_start_fwmark', 'vrrp_iptables', 'vrrp_ipsets', 'disable_local_igmp',
  'vrrp_notify_priority_changes', 'max_auto_priority', 'min_auto_priority_delay', 'vrrp_priority',
  'checker_priority', 'bfd_priority', 'vrrp_no_swap', 'checker_no_swap', 'bfd_no_swap',
  'vrrp_cpu_affinity', 'checker_cpu_affinity', 'bfd_cpu_affinity', 'vrrp_rt_priority',
  'checker_rt_priority', 'bfd_rt_priority', 'vrrp_rlimit_rttime', 'checker_rlimit_rttime',
  'bfd_rlimit_rttime', 'snmp_socket', 'enable_snmp_vrrp', 'enable_snmp_keepalived', 'enable_snmp_checker',
  'enable_snmp_rfc', 'enable_snmp_rfcv2', 'enable_snmp_rfcv3', 'enable_traps',
  'snmp_vs_stats_update_interval', 'snmp_rs_stats_update_interval', 'enable_dbus', 'dbus_service_name',
  'dbus_no_interface_name', 'script_security', 'notify_fifo', 'notify_fifo_script', 'vrrp_notify_fifo',
  'vrrp_notify_fifo_script', 'lvs_notify_fifo', 'lvs_notify_fifo_script', 'vrrp_netlink_cmd_rcv_bufs',
  'vrrp_netlink_cmd_rcv_bufs_force', 'vrrp_netlink_monitor_rcv_bufs', 'vrrp_netlink_monitor_rcv_bufs_force',
  'lvs_netlink_cmd_rcv_bufs', 'lvs_netlink_cmd_rcv_bufs_force', 'lvs_netlink_monitor_rcv_bufs',
  'lvs_netlink_monitor_rcv_bufs_force', 'rs_init_notifies', 'no_checker_emails', 'vrrp_rx_bufs_policy',
  'vrrp_rx_bufs_multiplier', 'vrrp_startup_delay', 'log_unknown_vrids', 'vrrp_min_garp', 'random_seed',
  'reload_check_config', 'reload_time_file', 'reload_repeat', 'reload_file', 'data_use_instance',
  'dynamic_interfaces', 'umask', 'vrrp_track_process_queue', 'vrrp_use_process_cmdline',
  'vrrp_use_process_comm', 'vrrp_skip_check_adv_addr_ipv6', 'vrrp_owner_ignore_adverts',
  'vrrp_garp_master_repeat_lower_prio', 'checker_process_priority', 'vrrp_process_priority',
  'vrrp_ipsets_flush', 'vrrp_iptables_flush', 'network_timeout', 'fifo_write_vrrp_states_on_reload',
  'vrrp_startup_delay',
]);

export const UNSUPPORTED_INSTANCE = new Set([
  'use_vmac', 'use_vmac_addr', 'vmac_xmit_base', 'use_ipvlan', 'unicast_fault_no_peer',
  'old_unicast_checksum', 'native_ipv6', 'vrf', 'track_file', 'track_process', 'track_bfd', 'mcast_dst_ip',
  'track_src_ip', 'unicast_ttl', 'no_virtual_ipaddress', 'promote_secondaries', 'linkbeat_use_polling',
  'virtual_routes', 'virtual_rules', 'debug', 'notify_deleted', 'notify_master_rx_lower_pri',
  'notify_priority_changes', 'lvs_sync_daemon_interface', 'garp_lower_prio_delay', 'garp_lower_prio_repeat',
  'down_timer_adverts', 'timer_expired_backup', 'garp_extra_if', 'vmac_garp_intvl', 'kernel_rx_buf_size',
]);

export const UNSUPPORTED_SYNC_GROUP = new Set([
  'track_file', 'track_process', 'track_bfd', 'global_tracking', 'sync_group_tracking_weight',
  'notify_priority_changes',
]);
