bind-addr: 127.0.0.1:{{ config_get("user.rockpool.code-server.port", "8080") }}
auth: none
disable-telemetry: true
disable-update-check: true
abs-proxy-base-path: "{{ config_get("user.rockpool.code-server.base-path", "/") }}"
