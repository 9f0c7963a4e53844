#!/usr/bin/env bash
# Runs every NexusOrleans test on a machine like the one the README describes (Debian 12, .NET 10 SDK).
# Installs what the tests need when run as root (PostgreSQL, libsodium, Node.js), installs the interop npm packages
# when they are missing and checks the envelope test vectors against the JavaScript implementation, checks and tests
# the chain contracts (contracts/: artifacts, EIP-1559 vectors, rule tests on a local anvil), renders and checks the
# helm chart (helm/check.sh: with helm, or offline with shared/tools/helm-render, which needs Go), starts a
# throwaway PostgreSQL on 127.0.0.1 on a free port for the whole run and removes it afterwards, builds the solution,
# runs each test project, and ends with one line "N passed, N failed". Exits non-zero when anything failed or could
# not run.
set -Eeuo pipefail
cd "$(dirname "$0")"
root=$PWD
work="$root/.test-work"
results="$work/results"
pg_dir=""
pg_bin=""

say() { printf 'test.sh: %s\n' "$*"; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

has_libsodium() {
  local file
  for file in /usr/lib/*/libsodium.so.* /usr/lib/libsodium.so.* /usr/local/lib/libsodium.so.*; do
    [ -e "$file" ] && return 0
  done
  return 1
}

install_prerequisites() {
  local missing=()
  find_pg_bin >/dev/null || missing+=(postgresql)
  has_libsodium || missing+=(libsodium23)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # Without helm, the chart is rendered by helm-render, built from Debian's Go packages on first use.
  if ! command -v helm >/dev/null; then
    command -v go >/dev/null || missing+=(golang-go)
    [ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || missing+=(golang-github-masterminds-sprig-dev)
    [ -d /usr/share/gocode/src/gopkg.in/yaml.v2 ] || missing+=(golang-gopkg-yaml.v2-dev)
    [ -d /usr/share/gocode/src/gopkg.in/yaml.v3 ] || missing+=(golang-gopkg-yaml.v3-dev)
  fi
  # The dashboard test scrapes a running silo and gateway with a real Prometheus (it does not start as a service here).
  [ -x /usr/bin/prometheus ] || missing+=(prometheus)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "missing packages: ${missing[*]}; run as root or install them with apt-get"
    return 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_postgres() {
  pg_bin=$(find_pg_bin)
  pg_dir=$(mktemp -d /tmp/nexus-test-pg.XXXXXX)
  local port
  port=$(free_port)
  local password
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s' "$password" >"$pg_dir/pwfile"
  [ "$(id -u)" = 0 ] && chown -R postgres "$pg_dir"
  # Password authentication, as in production: tests check that a wrong password is refused and never logged.
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=scram-sha-256 --pwfile="$pg_dir/pwfile" \
    -E UTF8 --locale=C --no-instructions >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; return 1; }
  rm -f "$pg_dir/pwfile"
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir -c max_connections=300" start >/dev/null \
    || { cat "$pg_dir/server.log"; return 1; }
  export NEXUS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
  say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# The envelope vectors (docs/vectors/envelope.json) checked by the independent JavaScript implementation in interop/;
# the C# tests check the same file and exchange fresh envelopes with it (and build epoch batch Merkle trees with
# interop/merkle.mjs). Its packages are pinned by interop/package-lock.json and installed when missing or when the lock
# file is newer than the installed tree (npm writes node_modules/.package-lock.json on every install).
check_interop() {
  if [ ! -f interop/node_modules/.package-lock.json ] || [ interop/package-lock.json -nt interop/node_modules/.package-lock.json ]; then
    say "installing the interop npm packages (npm ci --prefix interop)"
    npm ci --prefix interop --no-audit --no-fund || { say "npm ci --prefix interop failed"; return 1; }
  fi
  say "checking the envelope vectors with node interop/interop.mjs"
  node interop/interop.mjs
}

# The chain contracts in contracts/: their npm packages (solc-js, OpenZeppelin, ethers, the anvil binary) are pinned by
# contracts/package-lock.json and installed like the interop ones; then the committed artifacts must be what the
# sources compile to, and the node tests must pass: the rule tests against anvil processes they start on 127.0.0.1 and
# stop, and the EIP-1559 vectors (regenerated and compared with the committed file). The node tests also write TAP to
# $results/contracts.tap, whose counts join the "N passed, N failed" sum; a failed install or artifact check counts
# as one failure.
check_contracts() {
  if [ ! -f contracts/node_modules/.package-lock.json ] \
      || [ contracts/package-lock.json -nt contracts/node_modules/.package-lock.json ]; then
    say "installing the contracts npm packages (npm ci --prefix contracts)"
    npm ci --prefix contracts --no-audit --no-fund || { say "npm ci --prefix contracts failed"; return 1; }
  fi
  say "checking the contract artifacts with node contracts/compile.mjs --check"
  node contracts/compile.mjs --check || return 1
  say "running the contract rule tests (node --test contracts/test)"
  (cd contracts && node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$results/contracts.tap" test/*.test.mjs </dev/null)
  if [ ! -s "$results/contracts.tap" ]; then
    say "the contract tests did not report results"
    return 1
  fi
  return 0
}

# The helm chart: helm/check.sh renders and lints it (default values, the production example, fixtures), checks that a
# values file the schema rejects fails, and checks the rendered objects; its TAP report joins the sum like the contracts'.
check_helm() {
  say "rendering and checking the helm chart (helm/check.sh)"
  bash helm/check.sh --tap "$results/helm.tap"
  local status=$?
  if [ ! -s "$results/helm.tap" ]; then
    say "the helm chart check did not report results"
    return 1
  fi
  return $status
}

# Sums the counters of every TRX file of this run; errors, timeouts and aborts count as failures.
count_results() {
  local file
  for file in "$results"/*.trx; do
    [ -e "$file" ] && grep -o '<Counters [^>]*' "$file"
  done | awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); v[kv[1]] += kv[2] } }
    END { printf "%d %d\n", v["passed"], v["failed"] + v["error"] + v["timeout"] + v["aborted"] }'
}

# The totals of a TAP report ("# pass N", "# fail N", "# cancelled N"), as "passed failed".
count_tap_results() {
  awk '/^# pass / { p = $3 } /^# fail / { f += $3 } /^# cancelled / { f += $3 } END { printf "%d %d\n", p, f }' \
    "$1" 2>/dev/null || echo "0 0"
}

main() {
  rm -rf "$results"; mkdir -p "$results"
  install_prerequisites
  if ! check_interop; then
    say "the interop check failed"
    echo "0 passed, 1 failed"
    return 1
  fi
  local broken=0
  if ! check_contracts; then
    say "the contracts check failed"
    broken=$((broken + 1))
  fi
  # The chart's failures are counted in its TAP report; only a check that reported nothing counts here.
  if ! check_helm && [ ! -s "$results/helm.tap" ]; then
    broken=$((broken + 1))
  fi
  start_postgres

  say "building"
  if ! dotnet build NexusOrleans.sln -c Debug -nologo -clp:ErrorsOnly; then
    say "build failed"
    echo "0 passed, 1 failed"
    return 1
  fi

  local project name project_limit=${NEXUS_TEST_PROJECT_LIMIT:-30m}
  for project in $(find Tests -name '*.Tests.csproj' | sort); do
    name=$(basename "$project" .csproj)
    say "running $name"
    # A hung test host must not hang the run: past the limit the project counts as one that did not report.
    if ! timeout -k 30s "$project_limit" dotnet test "$project" --no-build -c Debug -nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results"; then
      if [ ! -f "$results/$name.trx" ]; then
        say "$name did not report results (the test host crashed, did not start, or ran past $project_limit)"
        broken=$((broken + 1))
      fi
    fi
  done

  local counts contract chart passed failed
  counts=$(count_results)
  contract=$(count_tap_results "$results/contracts.tap")
  chart=$(count_tap_results "$results/helm.tap")
  passed=$((${counts% *} + ${contract% *} + ${chart% *}))
  failed=$((${counts#* } + ${contract#* } + ${chart#* } + broken))
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

main "$@"
