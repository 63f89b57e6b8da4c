#!/bin/bash
# DriftWatch DeviceLab emulator: ForceCommand target, one device per sshd listen port.
# See README.md beside this file for the files it reads.
dev="$1"
here="$(cd "$(dirname "$0")" && pwd)"
lab="${here%/*}"
dir="$lab/devices/$dev"
platform="$(cat "$dir/platform" 2>/dev/null || echo ios)"
user="${USER:-lab}"
interactive=0
mode=user
pager="$(cat "$dir/pager_lines" 2>/dev/null || echo 20)"

read_behaviour() {
  kind=normal; arg=""
  if [ -s "$dir/behaviour" ]; then read -r kind arg < "$dir/behaviour"; fi
}

# Apply hang/flood/garbage/slow to an exec channel of a Linux host.
if [ "$platform" = linux ]; then
  case "$SSH_ORIGINAL_COMMAND" in
    /usr/lib/openssh/sftp-server|internal-sftp) exec /usr/lib/openssh/sftp-server ;;
  esac
  read_behaviour
  case "$kind" in
    hang) echo "partial output"; exec sleep 3600 ;;
    flood) exec yes 'flood flood flood flood flood flood flood flood flood flood flood flood' ;;
    garbage) head -c 4096 /dev/urandom; exit 0 ;;
    slow) sleep "${arg:-1}" ;;
  esac
  if [ -z "$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh -i; fi
  exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"
fi

case "$platform" in
  junos) more='---(more)---'; erase=$'\r            \r' ;;
  *) more=' --More-- '; erase=$'\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b' ;;
esac

prompt() {
  case "$platform" in
    junos) printf '%s@%s> ' "$user" "$dev" ;;
    *) if [ "$mode" = enable ]; then printf '%s#' "$dev"; else printf '%s>' "$dev"; fi ;;
  esac
}

invalid() {
  if [ "$platform" = junos ]; then
    printf 'syntax error, expecting <command>: %s\n' "$1"
  else
    printf "%% Invalid input detected at '^' marker.\n"
  fi
}

# Print a file with the device's behaviour and, on a PTY, its pager.
emit() {
  local file="$1" lines total i key
  read_behaviour
  case "$kind" in
    flood) exec yes 'flood flood flood flood flood flood flood flood flood flood flood flood' ;;
    garbage) head -c 4096 /dev/urandom; printf '\n'; return ;;
    echo-secrets) kind=normal ;;
  esac
  if [ "$kind" = normal ] && { [ "$interactive" = 0 ] || [ "$pager" = 0 ]; }; then
    cat -- "$file"
    return
  fi
  mapfile -t lines < "$file"
  total=${#lines[@]}
  for ((i = 0; i < total; i++)); do
    printf '%s\n' "${lines[i]}"
    case "$kind" in
      slow) sleep "${arg:-0.05}" ;;
      hang) if [ $((i + 1)) -ge "${arg:-3}" ]; then exec sleep 3600; fi ;;
    esac
    if [ "$interactive" = 1 ] && [ "$pager" -gt 0 ] && [ $(((i + 1) % pager)) -eq 0 ] && [ $((i + 1)) -lt "$total" ]; then
      printf '%s' "$more"
      IFS= read -rsn1 key
      printf '%s' "$erase"
      if [ "$key" = q ]; then break; fi
    fi
  done
}

handle() {
  local line="$1" secret expected
  line="${line%$'\r'}"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  case "$line" in
    "") ;;
    "terminal length 0"|"terminal pager 0"|"set cli screen-length 0"|"terminal no pager") pager=0 ;;
    "terminal length "*) pager="${line#terminal length }" ;;
    "terminal width "*|"set cli screen-width "*) ;;
    enable)
      if [ "$platform" = junos ]; then invalid "$line"; return; fi
      expected="$(cat "$dir/enable_secret" 2>/dev/null)"
      if [ -n "$expected" ]; then
        # Not echoed (the emulator echoes only commands, see below). The echo-secrets behaviour
        # prints what was typed, like a device with a broken terminal.
        read_behaviour
        printf 'Password: '
        IFS= read -r secret
        secret="${secret%$'\r'}"
        if [ "$kind" = echo-secrets ]; then printf '%s' "$secret"; fi
        printf '\n'
        if [ "$secret" = "$expected" ]; then mode=enable; else printf '%% Access denied\n'; fi
      else
        mode=enable
      fi ;;
    disable) mode=user ;;
    "show running-config"|"show run"|"show running-config all"|"more system:running-config")
      if [ "$platform" = junos ]; then invalid "$line"; return; fi
      if [ "$platform" = ios ] && [ "$mode" != enable ]; then invalid "$line"; return; fi
      emit "$dir/config" ;;
    "show configuration"|"show configuration | no-more")
      if [ "$platform" != junos ]; then invalid "$line"; return; fi
      emit "$dir/config" ;;
    "show configuration | display set"|"show configuration | display set | no-more")
      if [ "$platform" != junos ]; then invalid "$line"; return; fi
      emit "$dir/config.set" ;;
    "show version")
      case "$platform" in
        junos) printf 'Hostname: %s\nModel: vmx\nJunos: 21.4R3-S1 (DriftWatch lab)\n' "$dev" ;;
        eos) printf 'Arista vEOS-lab\nSoftware image version: 4.30.1F (DriftWatch lab)\n' ;;
        *) printf 'Cisco IOS Software, IOSv Software, Version 15.9(3)M6 (DriftWatch lab)\n%s uptime is 1 day\n' "$dev" ;;
      esac ;;
    exit|quit|logout) exit 0 ;;
    *) invalid "$line" ;;
  esac
}

if [ -n "$SSH_ORIGINAL_COMMAND" ]; then
  mode=enable
  pager=0
  while IFS= read -r command; do
    handle "$command"
  done < <(printf '%s\n' "$SSH_ORIGINAL_COMMAND" | tr ';' '\n')
  exit 0
fi

# Reads one command line into $input, echoing what it reads as it reads it, as a device's CLI
# does: characters typed ahead are echoed after the prompt that reads them. (The PTY's own echo
# would echo them at once, before that prompt: `r1>r1>` on one line.) A client that sends a whole
# line gets its echo in one piece; one that types without the return (scrapli waits for the echo
# before it sends the return) gets what it typed echoed within 10 ms.
read_command() {
  local first rest status
  input=""
  while true; do
    IFS= read -rsn1 first || return 1
    if [ -z "$first" ]; then printf '\n'; return 0; fi  # the return (CR arrives as LF)
    input+="$first"
    rest=""
    IFS= read -rs -n 1024 -t 0.01 rest
    status=$?
    input+="$rest"
    printf '%s' "$first$rest"
    if [ "$status" = 0 ] && [ "${#rest}" -lt 1024 ]; then printf '\n'; return 0; fi
    if [ "$status" = 1 ]; then return 1; fi
  done
}

interactive=1
stty -echo 2>/dev/null
if [ -s "$dir/banner" ]; then cat "$dir/banner"; fi
while true; do
  prompt
  read_command || exit 0
  handle "$input"
done
