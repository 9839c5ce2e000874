#!/usr/bin/env bash
# The real Dovecot of Postroom's bounce tests: the bounce mailbox the test Postfix relay delivers
# its DSNs into over LMTP, read by the bounce reader over IMAP with STARTTLS required. A private
# instance (config, base_dir, state and log of its own) on 127.0.0.2: IMAP 10143, LMTP 10024;
# any user name logs in with the one password (static passdb), all mail of user U lands in
# /var/lib/postroom-bounces/U/Maildir, owned by the system user postroom-bounces.
#
#   dovecot-mailbox.sh install                       apt-get dovecot-imapd dovecot-lmtpd (if missing)
#   dovecot-mailbox.sh configure CERT KEY PASSWORD   write the config (CERT must name IP 127.0.0.2)
#   dovecot-mailbox.sh start|stop|status             start (a reload if running) waits for the greeting
#   dovecot-mailbox.sh clear                         delete every mailbox of every user
#   dovecot-mailbox.sh save USER [FOLDER] < FILE     store a message as it is (doveadm save)
#   dovecot-mailbox.sh count USER FOLDER             messages in a folder (0 when it does not exist)
#   dovecot-mailbox.sh log [N]                       last N (40) lines of the log
#
# Root only. No systemd needed. Idempotent.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOST=127.0.0.2
IMAP_PORT=10143
LMTP_PORT=10024
MAIL_USER=postroom-bounces
MAIL_HOME=/var/lib/postroom-bounces
CONF_DIR=/etc/dovecot/postroom
CONF="$CONF_DIR/dovecot.conf"
BASE_DIR=/run/dovecot-postroom
STATE_DIR=/var/lib/dovecot-postroom
LOG=/var/log/dovecot-postroom.log

die() { echo "dovecot-mailbox: $*" >&2; exit 1; }
need_root() { [[ "$(id -u)" == 0 ]] || die "must run as root"; }
need_dovecot() { [[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/lmtp ]] || die "Dovecot is not installed: run '$0 install'"; }
need_config() { [[ -r "$CONF" ]] || die "not configured: run '$0 configure CERT KEY PASSWORD'"; }

cmd_install() {
  need_root
  if [[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/imap && -x /usr/lib/dovecot/lmtp ]]; then
    echo "dovecot-mailbox: Dovecot already installed ($(dovecot --version))"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends dovecot-imapd dovecot-lmtpd
  echo "dovecot-mailbox: installed Dovecot $(dovecot --version)"
}

cmd_configure() {
  need_root; need_dovecot
  [[ $# -eq 3 ]] || die "usage: configure CERT_PEM KEY_PEM PASSWORD"
  local cert="$1" key="$2" password="$3"
  [[ -r "$cert" ]] || die "certificate not readable: $cert"
  [[ -r "$key" ]] || die "key not readable: $key"
  [[ "$password" =~ ^[A-Za-z0-9._-]+$ ]] || die "the password may hold letters, digits and . _ - only"
  if ! id -u "$MAIL_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$MAIL_HOME" --shell /usr/sbin/nologin "$MAIL_USER"
  fi
  local uid gid
  uid="$(id -u "$MAIL_USER")"; gid="$(id -g "$MAIL_USER")"
  install -d -m 755 -o "$uid" -g "$gid" "$MAIL_HOME"
  install -d -m 755 "$CONF_DIR" "$STATE_DIR"
  install -m 644 "$cert" "$CONF_DIR/imap.crt"
  install -m 600 "$key" "$CONF_DIR/imap.key"
  sed -e "s|@BASE_DIR@|$BASE_DIR|g" -e "s|@STATE_DIR@|$STATE_DIR|g" -e "s|@LOG@|$LOG|g" \
      -e "s|@CONF_DIR@|$CONF_DIR|g" -e "s|@PASSWORD@|$password|g" -e "s|@UID@|$uid|g" -e "s|@GID@|$gid|g" \
      -e "s|@MAIL_HOME@|$MAIL_HOME|g" -e "s|@IMAP_PORT@|$IMAP_PORT|g" -e "s|@LMTP_PORT@|$LMTP_PORT|g" \
      "$HERE/dovecot.conf.in" > "$CONF.new"
  chmod 600 "$CONF.new"
  mv "$CONF.new" "$CONF"
  touch "$LOG"
  doveconf -c "$CONF" -n >/dev/null || die "the configuration does not parse (doveconf -c $CONF -n)"
  echo "dovecot-mailbox: configured (IMAP $HOST:$IMAP_PORT STARTTLS required, LMTP $HOST:$LMTP_PORT, mail in $MAIL_HOME)"
}

running() { [[ -f "$BASE_DIR/master.pid" ]] && kill -0 "$(cat "$BASE_DIR/master.pid")" 2>/dev/null; }

# reads the IMAP greeting; prints it and succeeds if it is "* OK"
greeting() {
  local line=""
  exec 3<>"/dev/tcp/$HOST/$IMAP_PORT" || return 1
  IFS= read -r -t 5 line <&3 || true
  printf 'a LOGOUT\r\n' >&3 2>/dev/null || true
  exec 3<&- 3>&-
  printf '%s\n' "${line%$'\r'}"
  [[ "$line" == "* OK"* ]]
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$IMAP_PORT") 2>/dev/null; }

cmd_start() {
  need_root; need_dovecot; need_config
  if running; then
    # a new certificate or password from configure: reloaded (new logins use it)
    dovecot -c "$CONF" reload
  else
    dovecot -c "$CONF" || { tail -n 40 "$LOG" >&2 || true; die "dovecot did not start"; }
  fi
  local deadline=$((SECONDS + 20)) last=""
  while (( SECONDS < deadline )); do
    if last="$(greeting 2>/dev/null)"; then
      echo "dovecot-mailbox: up: $last"
      return 0
    fi
    sleep 0.2
  done
  tail -n 40 "$LOG" >&2 2>/dev/null || true
  die "no IMAP greeting on $HOST:$IMAP_PORT within 20 s (last: ${last:-nothing})"
}

cmd_stop() {
  need_root; need_dovecot
  if running; then dovecot -c "$CONF" stop || true; fi
  local deadline=$((SECONDS + 20))
  while port_open; do
    (( SECONDS < deadline )) || die "port $IMAP_PORT still open 20 s after dovecot stop"
    sleep 0.1
  done
  echo "dovecot-mailbox: stopped"
}

cmd_status() {
  if running; then echo "dovecot-mailbox: running; greeting: $(greeting 2>/dev/null || true)"
  else echo "dovecot-mailbox: not running"; return 3; fi
}

cmd_clear() {
  need_root
  find "$MAIL_HOME" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
}

cmd_save() {
  need_root; need_config
  [[ $# -ge 1 ]] || die "usage: save USER [FOLDER] < FILE"
  doveadm -c "$CONF" save -u "$1" -m "${2:-INBOX}"
}

cmd_count() {
  need_root; need_config
  [[ $# -eq 2 ]] || die "usage: count USER FOLDER"
  doveadm -c "$CONF" -f flow mailbox status -u "$1" messages "$2" 2>/dev/null | sed -n 's/.*messages=\([0-9]*\).*/\1/p' | grep . || echo 0
}

main() {
  local sub="${1:-}"; shift || true
  case "$sub" in
    install) cmd_install "$@" ;;
    configure) cmd_configure "$@" ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    clear) cmd_clear ;;
    save) cmd_save "$@" ;;
    count) cmd_count "$@" ;;
    log) tail -n "${1:-40}" "$LOG" 2>/dev/null || true ;;
    *) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
