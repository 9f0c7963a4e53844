#!/usr/bin/env bash
# Renders and lints the helm chart (helm/nexus-orleans) and checks what it renders, as part of the test command.
#
# With helm on the PATH: `helm lint` and `helm template` (helm validates values.schema.json itself). Without it: the
# offline stand-in helm-render (HELM_RENDER, else ../shared/tools/helm-render/helm-render beside the repository, else
# /work/shared/tools/helm-render/helm-render) with
# --lint, after node check/values.mjs validates the values against values.schema.json as helm would. Neither found:
# one failure saying what to install.
#
# Checked: the chart renders with its default values, with values-production.example.yaml and with the fixtures in
# check/values/; a values file the schema rejects fails the render; the rendered objects pass the structural checks
# of check/manifests.mjs (security context, probes, secrets only by reference, grace period, cluster identity, HPA,
# dashboards); and those checks themselves catch a broken manifest.
#
# usage: helm/check.sh [--tap FILE]   Writes TAP (with "# pass N" and "# fail N" totals) to FILE, or to stdout.
# Exits 1 when any check failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
chart="$here/nexus-orleans"
tap=/dev/stdout
if [ "${1:-}" = "--tap" ] && [ -n "${2:-}" ]; then tap=$2; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/nexus-helm-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
release=nexus
count=0 passed=0 failed=0

say() { printf 'helm/check.sh: %s\n' "$*" >&2; }
: >"$tap" 2>/dev/null || true
echo "TAP version 13" >"$tap"

# result NAME EXIT_CODE [DETAIL_FILE]: one TAP line; a failure's detail is echoed as a YAML comment block and to stderr.
result() {
  count=$((count + 1))
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok $count - $1" >>"$tap"
    say "ok   $1"
  else
    failed=$((failed + 1))
    echo "not ok $count - $1" >>"$tap"
    say "FAIL $1"
    if [ -n "${3:-}" ] && [ -s "$3" ]; then
      sed 's/^/# /' "$3" >>"$tap"
      sed 's/^/    /' "$3" >&2
    fi
  fi
}

finish() {
  { echo "1..$count"; echo "# pass $passed"; echo "# fail $failed"; } >>"$tap"
  say "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# The renderer: helm itself, else helm-render.
renderer=""
if command -v helm >/dev/null 2>&1; then
  mode=helm
  say "rendering with $(helm version --short 2>/dev/null || echo helm)"
else
  mode=helm-render
  # Beside the repository, or where the build machines keep the shared tools (a checkout elsewhere, e.g. a fresh clone).
  for candidate in "${HELM_RENDER:-}" "$root/../shared/tools/helm-render/helm-render" /work/shared/tools/helm-render/helm-render; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then renderer=$candidate; break; fi
  done
  if [ -z "$renderer" ]; then
    echo "neither helm nor helm-render was found: install helm (https://helm.sh), or set HELM_RENDER to the helm-render script (shared/tools/helm-render/helm-render)" >"$work/why"
    result "find a chart renderer (helm, or helm-render)" 1 "$work/why"
    finish
  fi
  say "rendering with $renderer (helm is not installed)"
fi

# The checks' node packages (ajv, yaml), pinned by check/package-lock.json, installed like the interop ones.
if [ ! -f "$here/check/node_modules/.package-lock.json" ] || [ "$here/check/package-lock.json" -nt "$here/check/node_modules/.package-lock.json" ]; then
  say "installing the check's npm packages (npm ci --prefix helm/check)"
  if ! npm ci --prefix "$here/check" --no-audit --no-fund >"$work/npm.log" 2>&1; then
    result "install the check's npm packages (npm ci --prefix helm/check)" 1 "$work/npm.log"
    finish
  fi
fi

# render CHART OUT [VALUES...]: schema validation (helm-render only: helm does its own), lint, then the manifests.
render() {
  local dir=$1 out=$2; shift 2
  local args=() file
  for file in "$@"; do args+=(-f "$file"); done
  if [ "$mode" = helm ]; then
    helm lint "$dir" "${args[@]}" >"$out.log" 2>&1 \
      && helm template "$release" "$dir" "${args[@]}" >"$out" 2>>"$out.log"
  else
    node "$here/check/values.mjs" "$dir" "${args[@]}" >"$out.log" 2>&1 \
      && "$renderer" --lint "$dir" --release "$release" "${args[@]}" >"$out" 2>>"$out.log"
  fi
}

# check NAME CHECK RENDERED [ARG]: one structural check of check/manifests.mjs.
check() {
  node "$here/check/manifests.mjs" "$2" "$3" "${4:-}" >"$work/check.log" 2>&1
  result "$1" $? "$work/check.log"
}

values=$here/check/values
render "$chart" "$work/default.yaml"
result "the chart lints and renders with its default values" $? "$work/default.yaml.log"
render "$chart" "$work/production.yaml" "$chart/values-production.example.yaml"
result "the chart lints and renders with values-production.example.yaml" $? "$work/production.yaml.log"
render "$chart" "$work/secrets.yaml" "$values/created-secrets.yaml"
result "the chart renders with Secrets created from values" $? "$work/secrets.yaml.log"
render "$chart" "$work/pod-dns.yaml" "$values/pod-dns.yaml"
result "the chart renders with silos named by DNS, gateways on a LoadBalancer without autoscaling" $? "$work/pod-dns.yaml.log"
render "$chart" "$work/no-gateway.yaml" "$values/no-gateway.yaml"
result "the chart renders with gateways disabled" $? "$work/no-gateway.yaml.log"

if render "$chart" "$work/bad.yaml" "$values/bad-replicas.yaml"; then
  echo "silo.replicas: \"three\" rendered without an error" >"$work/bad.why"
  result "a values file the schema rejects (silo.replicas: \"three\") fails the render" 1 "$work/bad.why"
else
  grep -q "replicas" "$work/bad.yaml.log"
  result "a values file the schema rejects (silo.replicas: \"three\") fails the render, naming the value" $? "$work/bad.yaml.log"
fi

for case in default production secrets pod-dns; do
  check "$case: every pod and container runs non-root, read-only, without capabilities, seccomp RuntimeDefault, /tmp an emptyDir" security "$work/$case.yaml"
  check "$case: every container has startup and readiness probes on /health/ready, liveness on /health/live" probes "$work/$case.yaml"
  check "$case: the silos' grace period covers Grains:ShutdownTimeout + 5 s + preStop" grace "$work/$case.yaml"
  check "$case: Cluster:Host from the downward API, no fixed generation, one partition count" cluster "$work/$case.yaml"
  check "$case: a Deployment scaled by an HPA does not fix its replicas" hpa "$work/$case.yaml"
done
check "secrets: no Secret value appears in a ConfigMap or a literal env value" secrets "$work/secrets.yaml" expect-secrets
check "production: secrets reach pods only by reference" secrets "$work/production.yaml"
check "default: silo StatefulSet, gateway Deployment, HPA, two Services, two PDBs, ConfigMaps, no ServiceMonitor" kinds "$work/default.yaml" \
  "ConfigMap,ConfigMap,Deployment,HorizontalPodAutoscaler,PodDisruptionBudget,PodDisruptionBudget,Service,Service,ServiceAccount,StatefulSet$(ls "$chart"/dashboards/*.json >/dev/null 2>&1 && echo ,ConfigMap)"
check "production: adds the Ingress and the ServiceMonitor" kinds "$work/production.yaml" \
  "ConfigMap,ConfigMap,Deployment,HorizontalPodAutoscaler,Ingress,PodDisruptionBudget,PodDisruptionBudget,Service,Service,ServiceAccount,ServiceMonitor,StatefulSet$(ls "$chart"/dashboards/*.json >/dev/null 2>&1 && echo ,ConfigMap)"

# The dashboard ConfigMap, on a copy of the chart: nothing for an empty folder, one entry per file, and the chart's own.
shopt -s nullglob
own=("$chart"/dashboards/*.json)
shopt -u nullglob
check "the chart's dashboards/ folder (${#own[@]} files) is in ConfigMaps labelled grafana_dashboard: \"1\"" dashboards "$work/default.yaml" "${#own[@]}"
copy="$work/chart"
cp -r "$chart" "$copy" && rm -rf "$copy/dashboards" && mkdir "$copy/dashboards"
render "$copy" "$work/dash0.yaml"
result "the chart renders with an empty dashboards/ folder" $? "$work/dash0.yaml.log"
check "an empty dashboards/ folder renders no dashboard ConfigMap" dashboards "$work/dash0.yaml" 0
echo '{"title":"check","panels":[]}' >"$copy/dashboards/check.json"
render "$copy" "$work/dash1.yaml"
result "the chart renders with one dashboard file" $? "$work/dash1.yaml.log"
check "one dashboard file renders one ConfigMap entry with the sidecar label" dashboards "$work/dash1.yaml" 1

# The checks catch what they are meant to: each is run on a copy of the default render with one fault put in.
sed 's#path: /health/live#path: /health/ready#' "$work/default.yaml" >"$work/fault-probe.yaml"
! node "$here/check/manifests.mjs" probes "$work/fault-probe.yaml" >/dev/null 2>&1
result "the probes check catches a liveness probe on /health/ready" $?
sed 's#readOnlyRootFilesystem: true#readOnlyRootFilesystem: false#' "$work/default.yaml" >"$work/fault-security.yaml"
! node "$here/check/manifests.mjs" security "$work/fault-security.yaml" >/dev/null 2>&1
result "the security check catches a writable root filesystem" $?
awk '{ print } /^  Storage__Provider:/ { print "  Leaked: \"Host=db;Database=nexus;Username=nexus;Password=check-secret-password-7f3a\"" }' \
  "$work/secrets.yaml" >"$work/fault-secret.yaml"
! node "$here/check/manifests.mjs" secrets "$work/fault-secret.yaml" expect-secrets >/dev/null 2>&1
result "the secrets check catches a connection string copied into a ConfigMap" $?
sed 's#terminationGracePeriodSeconds: 40#terminationGracePeriodSeconds: 30#' "$work/default.yaml" >"$work/fault-grace.yaml"
! node "$here/check/manifests.mjs" grace "$work/fault-grace.yaml" >/dev/null 2>&1
result "the grace check catches a grace period shorter than Grains:ShutdownTimeout + 5 s" $?

finish
