# Shared by bench/run and bench/jvm-options (sourced; needs $here and $port): a work directory,
# the bench config, and starting and stopping a fresh Tunnelgate on it.
# shellcheck shell=bash
work=$(mktemp -d)
pid=""
stop_tunnelgate() {
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
}
trap 'stop_tunnelgate; rm -rf "$work"' EXIT

# write_config LOG: the bench config, with the access log off or written to a file; the relay
# splices unless $relay_splice says otherwise. Keep-alive limits are those of the nginx anchor's
# config (nginx's default of 1000 requests a connection would close 30 client connections a second
# in the http step, which the anchor does not). tcp_notsent_lowat 64k is set although it is off by
# default: it moves a third more bytes a second here, and its cost (a tunnel cut mid-write logs less
# than the client got) does not touch what the bench measures; see docs/directives.md.
relay_splice=on
write_config() {
    local log_line="access_log off;"
    [ "$1" = on ] && log_line="access_log $work/access.log;"
    cat > "$work/bench.conf" <<CONF
worker_processes 2;
events { worker_connections 20000; tcp_notsent_lowat 64k; }
error_log $work/error.log error;
http {
    $log_line
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    relay_splice $relay_splice;
    server {
        listen 127.0.0.1:$port backlog=4096;
        proxy_connect;
        proxy_connect_allow all;
        proxy_connect_data_timeout 600s;
        location / { proxy_pass http://\$host; }
    }
}
CONF
}

# start_tunnelgate LOG [JAVA_OPTS]: a fresh process on the bench config, with the access log off
# or on and extra JVM options; sets $pid (the launcher execs java)
start_tunnelgate() {
    write_config "$1"
    rm -f "$work/access.log"
    local opts=${TUNNELGATE_JAVA_OPTS:-}
    [ $# -ge 2 ] && opts=$2
    TUNNELGATE_JAVA_OPTS="$opts" "$here/tunnelgate" -c "$work/bench.conf" > "$work/out.log" 2>&1 &
    pid=$!
    for _ in $(seq 150); do
        grep -q "listening on" "$work/out.log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    cat "$work/out.log" >&2
    exit 1
}

