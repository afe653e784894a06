"""Remote sessions over SSH (``csshell serve``): see docs/remote.md.

Modules: ``command`` (the ``serve`` command line), ``server`` (listen, shutdown), ``auth`` (sign-in,
throttling, logging), ``channels`` (one SSH channel → shell or exec run), ``shell_channel`` (the
interactive prompt over SSH), ``exec_channel`` (one command or a script from stdin),
``session_engine`` (one confined engine per session), ``sandbox`` (what confines it), ``store_pool``
(warm Stores lent to sessions), ``fair_lock`` (sessions queue for the store lock in arrival order),
``accounts`` (what the store says about an account), ``hostkey``, ``throttle``, ``config``, ``channel_io``;
``object_channel`` (the ``csshell-objects`` subsystem: a persistent session speaking JSON lines).

The client side (New-PSSession, Invoke-Command, Enter-PSSession): ``client`` (the remoting service a
shell's cmdlets use), ``client_transport`` (SSH connections on a background event loop), ``known_hosts``
(OpenSSH's known_hosts), and ``wire`` (values and error records as JSON, shared by both sides).
Only this package imports asyncssh.
"""
