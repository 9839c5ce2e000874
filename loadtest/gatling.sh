#!/usr/bin/env bash
# The Gatling load test of the api in one command: starts the whole pipeline (bin/postroom demo
# --keep-running: Kafka broker, relay, dispatcher, api), runs a Gatling simulation against the api
# with the key the demo made for this run, keeps the HTML report, stops the pipeline, and exits with
# the simulation's result (non-zero when an assertion failed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIMULATION=io.postroom.loadtest.gatling.ApiIngestSimulation
DEMO_JOBS=100
API_URL=""
MVN_FLAGS="${POSTROOM_GATLING_MVN_FLAGS:--B -q}"
START_TIMEOUT="${POSTROOM_GATLING_START_TIMEOUT:-600}"   # seconds; the first bin/postroom call builds
PROPS=()

usage() {
  cat <<'TXT'
usage: bin/postroom gatling [options] [-Dname=value ...]     (= loadtest/gatling.sh)

Starts bin/postroom demo --keep-running (Kafka, relay, dispatcher, api), waits until the api is
ready, runs the Gatling simulation against it with the key the demo made for this run, prints where
the HTML report is (loadtest/target/gatling/<run>/index.html), stops the demo and exits with the
simulation's result: 0 when every assertion held.

  --users-per-sec N        new users per second posting one job each (default 50)
  --batch-users-per-sec N  new users per second posting a batch each (default 2; 0 for none)
  --batch-size N           jobs per batch (default 100)
  --duration S             seconds of injection in all, ramp included (default 60)
  --ramp S                 seconds over which the rates climb from a tenth to full (default 20)
  --repeat-every N         every N-th single job is posted again, expecting 200 (default 10; 0: never)
  --max-failed-percent P   assertion: failed requests below P % (default 1)
  --p99-ms MS              assertion: p99 of all requests below MS (default 1500)
  --single-p99-ms MS       assertion: p99 of one-job requests below MS (default 1000)
  --batch-p99-ms MS        assertion: p99 of batch requests below MS (default 1500)
  --simulation CLASS       the simulation (default io.postroom.loadtest.gatling.ApiIngestSimulation)
  --demo-jobs N            jobs the demo sends through the pipeline before the test (default 100)
  --api-url URL            test an api that runs already instead of starting the demo; its key in
                           the environment variable POSTROOM_API_KEY
  -Dname=value             passed to Maven and the simulation as they are (e.g. -Dpostroom.tenant=x)

Environment: POSTROOM_GATLING_MVN_FLAGS (default "-B -q"; add -o offline), POSTROOM_GATLING_START_TIMEOUT
(seconds to wait for the demo, default 600). mvn -pl loadtest compiles against the upstream modules
in the local Maven repository: the script installs them there (mvn -DskipTests install -pl testkit
-am) when they are missing or older than their sources.
TXT
}

say() { echo "gatling.sh: $*" >&2; }
die() { say "$*"; exit 2; }
# an option that cannot be used: one line naming it, a hint, exit code 2 (as every bin/postroom command)
refuse() {
  echo "postroom gatling: $*" >&2
  echo "try 'bin/postroom gatling --help'" >&2
  exit 2
}
number() {
  [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || refuse "invalid value for $1: '$2' is not a number"
}

while [ $# -gt 0 ]; do
  option="$1"
  case "$option" in
    -h|--help) usage; exit 0 ;;
    -V|--version) exec "$ROOT/bin/postroom" version ;;
    -D?*=*) PROPS+=("$option"); shift; continue ;;
  esac
  case "$option" in
    --users-per-sec|--batch-users-per-sec|--batch-size|--duration|--ramp|--repeat-every|--max-failed-percent|\
    --p99-ms|--single-p99-ms|--batch-p99-ms|--simulation|--demo-jobs|--api-url) ;;
    *) refuse "unknown option '$option'" ;;
  esac
  [ $# -ge 2 ] || refuse "$option needs a value"
  value="$2"
  shift 2
  case "$option" in
    --simulation|--api-url) ;;
    *) number "$option" "$value" ;;
  esac
  case "$option" in
    --users-per-sec)       PROPS+=("-Dpostroom.single.usersPerSec=$value") ;;
    --batch-users-per-sec) PROPS+=("-Dpostroom.batch.usersPerSec=$value") ;;
    --batch-size)          PROPS+=("-Dpostroom.batch.size=$value") ;;
    --duration)            PROPS+=("-Dpostroom.duration=$value") ;;
    --ramp)                PROPS+=("-Dpostroom.ramp=$value") ;;
    --repeat-every)        PROPS+=("-Dpostroom.repeatEvery=$value") ;;
    --max-failed-percent)  PROPS+=("-Dpostroom.maxFailedPercent=$value") ;;
    --p99-ms)              PROPS+=("-Dpostroom.p99Ms=$value") ;;
    --single-p99-ms)       PROPS+=("-Dpostroom.single.p99Ms=$value") ;;
    --batch-p99-ms)        PROPS+=("-Dpostroom.batch.p99Ms=$value") ;;
    --simulation)          SIMULATION="$value" ;;
    --demo-jobs)           [[ "$value" =~ ^[0-9]+$ ]] && [ "$value" -ge 1 ] \
                             || refuse "invalid value for --demo-jobs: '$value' is not a whole number of 1 or more"
                           DEMO_JOBS="$value" ;;
    --api-url)             API_URL="$value" ;;
  esac
done

# mvn -pl loadtest compiles the module against the upstream modules in the local Maven repository,
# not against their sources: install them when they are missing or older than their sources.
REPO="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
outdated=()
for module in api dispatcher testkit; do
  jar="$REPO/io/postroom/postroom-$module/0.1.0-SNAPSHOT/postroom-$module-0.1.0-SNAPSHOT.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/$module/pom.xml" "$ROOT/$module/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    outdated+=("postroom-$module")
  fi
done
if [ ${#outdated[@]} -gt 0 ]; then
  say "installing ${outdated[*]} into $REPO (missing or older than its sources; the loadtest module compiles against it)"
  (cd "$ROOT" && mvn -B -q -DskipTests install -pl testkit -am) || die "mvn install of the upstream modules failed"
fi

DEMO_PID=""
DEMO_LOG=""
DEMO_WORK=""
TOLD_BUILDING=""
STARTED=$SECONDS

# Stops the demo: SIGTERM to its whole process group (the demo JVM, and the broker JVM and the
# watchdogs it started), SIGKILL to whatever is left after 30 s.
stop_demo() {
  [ -n "$DEMO_PID" ] || return 0
  local pid="$DEMO_PID"
  DEMO_PID=""
  if kill -0 -- "-$pid" 2>/dev/null; then
    say "stopping the demo (process group $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 60); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      say "the demo did not stop within 30 s: SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}
trap stop_demo EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits until the demo's log has a line matching $1; fails if the demo exits first or after the timeout.
await_log() {
  local pattern="$1" what="$2"
  until grep -q -- "$pattern" "$DEMO_LOG"; do
    if [ -z "$TOLD_BUILDING" ] && grep -q "^postroom: building" "$DEMO_LOG"; then
      say "bin/postroom is building first (sources changed since its last build): a minute or more"
      TOLD_BUILDING=yes
    fi
    if ! kill -0 "$DEMO_PID" 2>/dev/null; then
      say "the demo exited before $what; its log ($DEMO_LOG) ends with:"
      tail -n 40 "$DEMO_LOG" >&2
      exit 1
    fi
    if [ $((SECONDS - STARTED)) -ge "$START_TIMEOUT" ]; then
      say "no $what after ${START_TIMEOUT} s; the demo's log: $DEMO_LOG"
      exit 1
    fi
    sleep 0.5
  done
}

cd "$ROOT"
if [ -n "$API_URL" ]; then
  [ -n "${POSTROOM_API_KEY:-}" ] || die "--api-url needs the api's key in the environment variable POSTROOM_API_KEY"
  say "testing the api at $API_URL (no demo started)"
else
  DEMO_LOG="$(mktemp "${TMPDIR:-/tmp}/postroom-gatling-demo.XXXXXX")"
  say "starting the pipeline: bin/postroom demo --keep-running --jobs $DEMO_JOBS --recipients 0 (log: $DEMO_LOG)"
  # in a session of its own, so that stop_demo can signal the demo and everything it started at once
  # without the demo's bulk sends: they would only delay the test
  setsid "$ROOT/bin/postroom" demo --keep-running --jobs "$DEMO_JOBS" --recipients 0 </dev/null >"$DEMO_LOG" 2>&1 &
  DEMO_PID=$!
  await_log "Postroom demo: working in" "start (bin/postroom builds first when a source changed)"
  DEMO_WORK="$(grep -m1 -o "Postroom demo: working in .*" "$DEMO_LOG" | sed 's/^Postroom demo: working in //')"
  # compile the simulations while the broker starts (bin/postroom has finished building by now)
  say "compiling the loadtest module (mvn $MVN_FLAGS -pl loadtest test-compile)"
  # shellcheck disable=SC2086
  mvn $MVN_FLAGS -pl loadtest test-compile
  await_log "^  api: POST http" "api"
  api_line="$(grep -m1 "^  api: POST http" "$DEMO_LOG")"
  API_URL="$(sed -E 's|^  api: POST (https?://[^ ]+)/v1/jobs .*|\1|' <<<"$api_line")"
  POSTROOM_API_KEY="$(sed -E "s|.*'Authorization: Bearer ([^']+)'.*|\1|" <<<"$api_line")"
  export POSTROOM_API_KEY
  [[ "$API_URL" =~ ^https?://[^\ ]+$ ]] && [[ "$POSTROOM_API_KEY" =~ ^[A-Za-z0-9_-]+$ ]] \
    || die "could not read the api's URL and key from the demo's line: $api_line"
  # the demo's own jobs first, so that the test has the pipeline to itself
  await_log "^--keep-running:" "end of the demo's batch"
  say "demo up in $((SECONDS - STARTED)) s: api $API_URL, dashboard $API_URL/"
fi

until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$API_URL/health/ready" || true)" = 200 ]; do
  if [ -n "$DEMO_PID" ] && ! kill -0 "$DEMO_PID" 2>/dev/null; then
    say "the demo exited; its log ($DEMO_LOG) ends with:"; tail -n 40 "$DEMO_LOG" >&2; exit 1
  fi
  [ $((SECONDS - STARTED)) -lt "$START_TIMEOUT" ] || die "$API_URL/health/ready did not answer 200 within ${START_TIMEOUT} s"
  sleep 1
done
say "$API_URL/health/ready: 200"

RESULTS="$ROOT/loadtest/target/gatling"
mkdir -p "$RESULTS"
MARKER="$(mktemp "${TMPDIR:-/tmp}/postroom-gatling-start.XXXXXX")"
say "running $SIMULATION against $API_URL"
# the key goes to the simulation in the environment (POSTROOM_API_KEY), not on a command line
set +e
# shellcheck disable=SC2086
mvn $MVN_FLAGS -pl loadtest gatling:test \
  -Dgatling.simulationClass="$SIMULATION" \
  -Dpostroom.api.url="$API_URL" \
  ${PROPS[@]+"${PROPS[@]}"}
status=$?
set -e

# this run's report: the newest report directory written since the run began
report=""
run_dir="$(find "$RESULTS" -mindepth 1 -maxdepth 1 -type d -newer "$MARKER" -printf '%T@ %p\n' 2>/dev/null \
  | sort -n | tail -n 1 | cut -d' ' -f2-)"
rm -f "$MARKER"
[ -n "$run_dir" ] && [ -f "$run_dir/index.html" ] && report="$run_dir/index.html"

# One line per request from the report's statistics table; jobs/s counts the jobs a request
# carries ("batch of N": N, "1 job": 1, anything else, e.g. a repeated id: none published).
summary() {
  awk '
    /class="ellipsed-name">/ { sub(/.*class="ellipsed-name">/, ""); sub(/<\/span>.*/, ""); name = $0; n = 0; next }
    /<td class="value [a-z]+ col-[0-9]+">/ {
      col = $0; sub(/.*col-/, "", col); sub(/".*/, "", col)
      v = $0; sub(/.*">/, "", v); sub(/<.*/, "", v); value[col] = v; n++; next }
    /<\/tr>/ && name != "" && n >= 13 {
      jobs = 0
      if (match(name, /batch of [0-9]+/)) { jobs = substr(name, RSTART + 9, RLENGTH - 9) + 0 }
      else if (name ~ /: 1 job$/) { jobs = 1 }
      printf "  %-34s %7s %7s %5s %8s %9s %6s %6s %6s %6s %6s\n", name, value[2], value[3], value[4], value[6],
        (name == "All Requests" ? "-" : sprintf("%.1f", value[6] * jobs)), value[13], value[8], value[10], value[11], value[12]
      name = ""; n = 0 }
  ' "$1"
}

stop_demo
if [ -n "$report" ]; then
  say "summary (response times in ms; req/s and jobs/s over the whole run, ramp included):"
  printf '  %-34s %7s %7s %5s %8s %9s %6s %6s %6s %6s %6s\n' request total OK KO req/s jobs/s mean p50 p95 p99 max >&2
  summary "$report" >&2 || true
  say "HTML report: $report"
else
  say "no HTML report was written (see the output above)"
fi
if [ "$status" -eq 0 ]; then
  # the demo's log and its working directory (broker data, api state): kept only when the run failed
  [ -z "$DEMO_LOG" ] || rm -f "$DEMO_LOG"
  [[ "$DEMO_WORK" =~ /postroom-demo-[0-9]+$ ]] && rm -rf "$DEMO_WORK"
  say "all assertions held; $((SECONDS - STARTED)) s in all"
else
  say "FAILED (exit code $status: an assertion failed or the run crashed, see above); $((SECONDS - STARTED)) s in all"
  [ -z "$DEMO_LOG" ] || say "the demo's log: $DEMO_LOG, its working directory: ${DEMO_WORK:-none}"
fi
exit "$status"
