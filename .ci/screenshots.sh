#!/usr/bin/env bash
# Takes a screenshot of every dialbridge window, in English and German,
# under a private Xvfb, into docs/screenshots/ (`make screenshots`).
#
# The windows run for real: a resident (`dialbridge serve`) with the
# built-in demo phone answers them, a day of calls is played through the
# demo phone's events, and the outgoing action URLs go to a small local web
# server standing in for a CRM (one of them to a port where nothing
# listens, so that the delivery log shows a failure).
# Needs Xvfb, x11-utils (xwininfo), imagemagick (import) and python3.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
session_bus "$@"

cd "$(dirname "$0")/.."
out=${SCREENSHOT_DIR:-docs/screenshots}
mkdir -p "$out"
scratch shots

echo "building…" >&2
bash .ci/build.sh "$tmp"

private_home
# Screenshots must not depend on the machine: a fixed time zone and the
# demo phone, whatever the caller's config says.
export TZ=Europe/Berlin

start_xvfb 1280x900x24

# The CRM stand-in: answers 200 to /call, 404 to anything else.
mkdir -p "$tmp/crm"
echo ok >"$tmp/crm/call"
crm=$(free_port)
(cd "$tmp/crm" && exec python3 -m http.server "$crm" --bind 127.0.0.1) >/dev/null 2>&1 &
pids+=($!)
dead=$(free_port) # nothing listens here

port=$(free_port)
cfg="$XDG_CONFIG_HOME/dialbridge/config.toml"
cat >"$cfg" <<EOF
[listener]
port = $port
allowed_origins = ["https://crm.example"]

[phone]
brand = "demo"

[dialing]
country = "DE"
area_code = "30"

[[outgoing]]
event = "inbound"
url = "http://127.0.0.1:$crm/call?nr=<\$remote_party>&name=<\$remote_alias>"
enabled = true

[[outgoing]]
event = "disconnected"
url = "http://127.0.0.1:$dead/hangup?guid=<\$call_guid>&secs=<\$call_duration_seconds>"
enabled = true
EOF

start_resident "$cfg"
ctl="$XDG_CONFIG_HOME/dialbridge/control.json"

# A day at the desk, through the demo phone's events.
api() {
  python3 - "$ctl" "$@" <<'PY'
import json, sys, urllib.request
ctl = json.load(open(sys.argv[1]))
method, path, body = sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None
req = urllib.request.Request(ctl["url"] + path, method=method, data=body.encode() if body else None,
                             headers={"Authorization": "Bearer " + ctl["token"], "Content-Type": "application/json"})
try:
    urllib.request.urlopen(req, timeout=30).read()
except Exception as e:
    print("dialbridge answered:", e, file=sys.stderr)
PY
}
# The demo phone waits for the person, as a real one does: each call is
# answered and hung up (or rejected: missed) from the command line.
call() { "$tmp/dialbridge" call --config "$cfg" "$@" >/dev/null; }
api POST /api/v1/demo/incoming '{"number":"+49 30 1234567","name":"Erika Mustermann"}'
sleep 1; call answer; sleep 3; call hangup; sleep 1
api POST /api/v1/demo/incoming '{"number":"+49 40 998877","name":"Hamburg Office"}'
sleep 1; call hangup; sleep 1
api POST /api/v1/demo/incoming '{"number":"204","name":"Reception"}'
sleep 1; call answer; sleep 2; call hangup; sleep 1
"$tmp/dialbridge" dial --config "$cfg" "030 7654321" >/dev/null 2>&1 || true
sleep 3; call hangup # the far end picked up after 1.5 s
sleep 3 # let the deliveries be attempted

# shoot NAME LANG TITLE ARGS...: run `dialbridge ui ARGS` in LANG until its
# window TITLE is viewable, then save it as NAME-LANG.png.
# SCREENSHOT_ONLY, a bash regex, retakes only the windows whose NAME
# matches (e.g. "settings-(phone|outgoing)").
shoot() {
  local name=$1 lang=$2 title=$3
  shift 3
  if [ -n "${SCREENSHOT_ONLY:-}" ] && ! [[ $name =~ ^(${SCREENSHOT_ONLY})$ ]]; then return; fi
  LANGUAGE=$lang LC_ALL=C.UTF-8 "$tmp/dialbridge" ui --config "$cfg" "$@" 2>>"$tmp/ui.log" &
  local pid=$!
  local id=""
  for _ in $(seq 300); do
    id=$(xwininfo -name "$title" 2>/dev/null | awk '/Window id:/ { print $4 }') || true
    if [ -n "$id" ] && xwininfo -id "$id" | grep -q IsViewable; then break; fi
    id=""
    sleep 0.1
  done
  if [ -z "$id" ]; then
    echo "the window \"$title\" did not appear:" >&2
    cat "$tmp/ui.log" >&2
    exit 1
  fi
  sleep 2 # the window's data arrives from the resident in the background
  import -window "$id" "$out/$name-$lang.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$out/$name-$lang.png" >&2
}

title() { # title LANG KEY: a window title from the translations
  python3 -c 'import json,sys; print(json.load(open("i18n/translations/ui."+sys.argv[1]+".json"))[sys.argv[2]])' "$1" "$2"
}

for lang in en de; do
  shoot dialpad "$lang" "$(title "$lang" dialpad.title)" dial "Tel.: +49 (30) 123 45-67"
  for page in actionurls outgoing security dialing phone; do
    shoot "settings-$page" "$lang" "$(title "$lang" settings.title)" settings "$page"
  done
  shoot wizard "$lang" "$(title "$lang" wizard.title)" pair 192.0.2.10
  shoot journal-calls "$lang" "$(title "$lang" journal.title)" journal calls
  shoot journal-deliveries "$lang" "$(title "$lang" journal.title)" journal deliveries
  shoot confirm "$lang" "$(title "$lang" confirm.title)" confirm --origin=https://shop.example --number="+49 30 1234567" --dial=0301234567
  shoot transfer "$lang" "$(title "$lang" dialpad.transfer.title)" dial --transfer=demo-call 204
  shoot about "$lang" "$(title "$lang" about.title)" about
done

# Last, so that its missed call stays out of the journal's screenshots: the
# dial pad while the demo phone rings, offering Answer and Reject.
for lang in en de; do
  if [ -n "${SCREENSHOT_ONLY:-}" ] && ! [[ dialpad-ringing =~ ^(${SCREENSHOT_ONLY})$ ]]; then continue; fi
  api POST /api/v1/demo/incoming '{"number":"+49 40 998877","name":"Hamburg Office"}'
  sleep 1
  shoot dialpad-ringing "$lang" "$(title "$lang" dialpad.title)" dial
  call hangup
  sleep 1
done
