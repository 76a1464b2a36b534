# Sourced by the demos (scripts/demo.sh, scripts/demo_residents.sh); needs $WS.
# The SMS gateway: a stand-in on 127.0.0.1 (scripts/sms_stub.py; nothing leaves this machine), its
# token in a 0600 file of the workspace, and the workspace's templates without quiet hours (the demo
# sends at any hour; an office keeps them).
SMS_DIR=""
start_sms_stub() {
  [ -z "$SMS_DIR" ] || return 0  # one stand-in a demo
  SMS_DIR=$(mktemp -d)
  python3 scripts/sms_stub.py --port-file "$SMS_DIR/port" --log "$SMS_DIR/log" --token demo-sms-token >/dev/null 2>&1 &
  SMS_PID=$!
  trap 'kill $SMS_PID 2>/dev/null || true; rm -rf "$SMS_DIR"' EXIT
  for _ in $(seq 100); do [ -s "$SMS_DIR/port" ] && break; sleep 0.05; done
  [ -s "$SMS_DIR/port" ] || { echo "demo: the stand-in SMS gateway (scripts/sms_stub.py) did not start"; exit 1; }
  (umask 077; printf 'demo-sms-token\n' > "$WS/sms-token")
  printf '\nnotify:\n  gateway: {url: "http://127.0.0.1:%s/sms", token_file: sms-token}\n' "$(cat "$SMS_DIR/port")" >> "$WS/pikou.yaml"
  (umask 077; grep -v '^quiet_hours:' Formats/notices.yaml > "$WS/notices.yaml")
}
