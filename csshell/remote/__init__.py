"""Remote sessions over SSH (``csshell serve``): see docs/remote.md.

Modules: ``command`` (the ``serve`` command line), ``server`` (listen, shutdown), ``auth`` (sign-in,
throttling, logging), ``channels`` (one SSH channel → shell or exec run), ``shell_channel`` (the
interactive prompt over SSH), ``exec_channel`` (one command or a script from stdin),
``session_engine`` (one confined engine per session), ``sandbox`` (what confines it), ``store_pool``
(warm Stores lent to sessions), ``fair_lock`` (sessions queue for the store lock in arrival order),
``accounts`` (what the store says about an account), ``hostkey``, ``throttle``, ``config``, ``channel_io``.
Only this package imports asyncssh.
"""
