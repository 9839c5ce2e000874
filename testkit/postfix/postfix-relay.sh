#!/usr/bin/env bash
# The real Postfix relay of Postroom's end-to-end tests, set up like the government relay:
# STARTTLS mandatory before AUTH, TLS >= 1.2, Cyrus sasldb AUTH PLAIN/LOGIN, SIZE 36700160,
# client-IP whitelist answering 554 at the greeting; every message lands in ONE maildir.
#
#   postfix-relay.sh install                    apt-get postfix sasl2-bin libsasl2-modules (if missing)
#   postfix-relay.sh configure CERT_PEM KEY_PEM write /etc/postfix/{main,master}.cf etc.
#   postfix-relay.sh adduser USER PASSWORD      sasldb user (realm = smtpd_sasl_local_domain)
#   postfix-relay.sh start|stop|restart|status  start waits for a real 220 on 127.0.0.1:2525
#   postfix-relay.sh clear                      empty the maildir and the queue
#   postfix-relay.sh count                      delivered messages (maildir new/ + cur/)
#   postfix-relay.sh maildir                    print the maildir path
#   postfix-relay.sh log [N]                    last N (40) lines of /var/log/postfix.log
#
# Root only. No systemd needed: Postfix is started with `postfix start`. Idempotent.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOST=127.0.0.1
PORT=2525
HOSTNAME_=relay.postroom.test
REALM=relay.postroom.test
SINK_USER=postroom-sink
MAILBASE=/var/mail/postroom
MAILBOX=sink
MAILDIR="$MAILBASE/$MAILBOX"
LOG=/var/log/postfix.log
CONF=/etc/postfix

die() { echo "postfix-relay: $*" >&2; exit 1; }
need_root() { [[ "$(id -u)" == 0 ]] || die "must run as root"; }
need_postfix() { [[ -x /usr/sbin/postfix ]] || die "Postfix is not installed: run '$0 install'"; }

cmd_install() {
  need_root
  if [[ -x /usr/sbin/postfix && -x /usr/sbin/saslpasswd2 ]]; then
    echo "postfix-relay: Postfix already installed ($(postconf -d -h mail_version 2>/dev/null || echo '?'))"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string $HOSTNAME_" | debconf-set-selections
  apt-get update -q
  apt-get install -y -q --no-install-recommends postfix sasl2-bin libsasl2-modules
  echo "postfix-relay: installed Postfix $(postconf -d -h mail_version)"
}

cmd_configure() {
  need_root; need_postfix
  [[ $# -eq 2 ]] || die "usage: configure CERT_PEM KEY_PEM"
  local cert="$1" key="$2"
  [[ -r "$cert" ]] || die "certificate not readable: $cert"
  [[ -r "$key" ]] || die "key not readable: $key"

  # the user that owns the maildir
  if ! id -u "$SINK_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$MAILBASE" --shell /usr/sbin/nologin "$SINK_USER"
  fi
  local uid gid
  uid="$(id -u "$SINK_USER")"; gid="$(id -g "$SINK_USER")"
  mkdir -p "$MAILDIR"/{new,cur,tmp}
  chown -R "$uid:$gid" "$MAILBASE"
  chmod 755 "$MAILBASE"

  # TLS material
  install -d -m 755 "$CONF/tls"
  install -m 644 "$cert" "$CONF/tls/relay.crt"
  install -m 600 "$key" "$CONF/tls/relay.key"

  # SASL
  install -d -m 755 "$CONF/sasl"
  install -m 644 "$HERE/smtpd.conf" "$CONF/sasl/smtpd.conf"

  # maps
  install -m 644 "$HERE/client_whitelist.cidr" "$CONF/client_whitelist.cidr"
  install -m 644 "$HERE/client_not_whitelisted.cidr" "$CONF/client_not_whitelisted.cidr"
  install -m 644 "$HERE/all_domains.regexp" "$CONF/all_domains.regexp"
  install -m 644 "$HERE/rejected_recipients.regexp" "$CONF/rejected_recipients.regexp"
  install -m 644 "$HERE/remote_mx.regexp" "$CONF/remote_mx.regexp"

  # main.cf / master.cf
  sed -e "s|@HOSTNAME@|$HOSTNAME_|g" -e "s|@REALM@|$REALM|g" -e "s|@MAILBASE@|$MAILBASE|g" \
      -e "s|@MAILBOX@|$MAILBOX|g" -e "s|@MAILDIR@|$MAILDIR|g" -e "s|@SINK_UID@|$uid|g" -e "s|@SINK_GID@|$gid|g" \
      "$HERE/main.cf.in" > "$CONF/main.cf.new"
  mv "$CONF/main.cf.new" "$CONF/main.cf"
  install -m 644 "$HERE/master.cf.in" "$CONF/master.cf"
  chmod 644 "$CONF/main.cf"

  touch "$LOG"
  [[ -e /etc/aliases ]] || : > /etc/aliases
  newaliases 2>/dev/null || true
  # catches bad parameter lines that would otherwise only kill smtpd later
  postfix check
  local warnings
  warnings="$(postconf -n 2>&1 >/dev/null || true)"
  [[ -z "$warnings" ]] || die "main.cf: $warnings"
  echo "postfix-relay: configured ($HOST:2525 whitelisted, :2526 not whitelisted, :2465 implicit TLS; maildir $MAILDIR)"
}

cmd_adduser() {
  need_root; need_postfix
  [[ $# -eq 2 ]] || die "usage: adduser USER PASSWORD"
  printf '%s' "$2" | saslpasswd2 -p -c -u "$REALM" "$1"
  chown root:postfix /etc/sasldb2
  chmod 640 /etc/sasldb2
  echo "postfix-relay: SASL user $1@$REALM"
}

running() { postfix status >/dev/null 2>&1; }

# reads the greeting on $PORT; prints it and succeeds if it is a 220
greeting() {
  local line=""
  exec 3<>"/dev/tcp/$HOST/$PORT" || return 1
  IFS= read -r -t 5 line <&3 || true
  printf 'QUIT\r\n' >&3 2>/dev/null || true
  exec 3<&- 3>&-
  printf '%s\n' "${line%$'\r'}"
  [[ "$line" == 220* ]]
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

cmd_start() {
  need_root; need_postfix
  if running; then
    postfix reload >/dev/null 2>&1 || postfix reload
  else
    # a stop while cleanup(8) was writing leaves a half-written file named <inode>.<pid> in
    # incoming/; postsuper's check at start warns about it, cannot log the warning while postlogd
    # is down, and fails the start ("Postfix integrity check failed"). It never was a message.
    find "$(postconf -h queue_directory)/incoming" -type f -name '*.*' -delete 2>/dev/null || true
    postfix start 2>&1 | grep -v '^postfix/postfix-script: starting the Postfix mail system' || true
    running || { tail -n 40 "$LOG" 2>/dev/null || true; die "postfix start failed"; }
  fi
  local deadline=$((SECONDS + 20)) last=""
  while (( SECONDS < deadline )); do
    if last="$(greeting 2>/dev/null)"; then
      echo "postfix-relay: up: $last"
      return 0
    fi
    sleep 0.2
  done
  echo "postfix-relay: no 220 greeting on $HOST:$PORT within 20 s (last: ${last:-nothing})" >&2
  tail -n 40 "$LOG" >&2 2>/dev/null || true
  exit 1
}

cmd_stop() {
  need_root; need_postfix
  if running; then postfix stop >/dev/null 2>&1 || postfix stop; fi
  local deadline=$((SECONDS + 20))
  while port_open; do
    (( SECONDS < deadline )) || die "port $PORT still open 20 s after postfix stop"
    sleep 0.1
  done
  echo "postfix-relay: stopped"
}

cmd_status() {
  need_postfix
  if running; then
    echo "postfix-relay: running; greeting: $(greeting 2>/dev/null || true)"
  else
    echo "postfix-relay: not running"; return 3
  fi
}

cmd_clear() {
  need_root; need_postfix
  postsuper -d ALL >/dev/null 2>&1 || true
  local d
  for d in new cur tmp; do
    if [[ -d "$MAILDIR/$d" ]]; then
      find "$MAILDIR/$d" -mindepth 1 -delete
    fi
  done
}

cmd_count() {
  local n=0 d
  for d in new cur; do
    [[ -d "$MAILDIR/$d" ]] && n=$((n + $(find "$MAILDIR/$d" -mindepth 1 -maxdepth 1 -type f | wc -l)))
  done
  echo "$n"
}

main() {
  local sub="${1:-}"; shift || true
  case "$sub" in
    install) cmd_install "$@" ;;
    configure) cmd_configure "$@" ;;
    adduser) cmd_adduser "$@" ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    clear) cmd_clear ;;
    count) cmd_count ;;
    maildir) echo "$MAILDIR" ;;
    log) tail -n "${1:-40}" "$LOG" 2>/dev/null || true ;;
    *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
