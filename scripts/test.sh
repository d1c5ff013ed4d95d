#!/usr/bin/env bash
# The one test command (README, .ci/run). On a fresh Debian 12 with the .NET 10 SDK, run as root, it installs what the
# tests need (Chromium for the web verifier page too), bundles the node interop peer, installs the web verifier's npm
# packages, builds the solution once, runs every test project of the solution one after the other, and ends with
# exactly one line "N passed, N failed[, N skipped]". Exit status is non-zero when a test failed or a project did not
# run. Idempotent: a prepared machine skips apt and npm.
#   scripts/test.sh                 everything
#   VAXCERT_TEST_RESULTS=DIR        where the per-project .trx files go (default out/test-results)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DEBIAN_FRONTEND=noninteractive

readonly APT_PACKAGES=(softhsm2 opensc postgresql python3-grpcio python3-grpc-tools python3-protobuf zbar-tools poppler-utils chromium)
readonly PEER_DIR=tests/interop/peer
readonly WEB_VERIFIER_DIR=web/verifier
readonly RESULTS_DIR=${VAXCERT_TEST_RESULTS:-out/test-results}
readonly SOLUTION=VaxCert.sln

log() { printf '== %s\n' "$*" >&2; }

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

run_as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi
}

apt_updated=false
apt_install() {
  if [[ $apt_updated == false ]]; then
    log "apt-get update"
    run_as_root apt-get -o DPkg::Lock::Timeout=900 update -qq
    apt_updated=true
  fi
  log "apt-get install $*"
  # Lock timeout: another apt run on a shared machine must delay us, not fail us.
  run_as_root apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$@" >/dev/null
}

install_debian_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
  # The interop peer needs Node.js (Debian 12 ships 18, which the bundle targets) and npm.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

# npm ci in a folder unless its node_modules already matches its package-lock.json.
npm_ci_when_lock_changed() {
  local dir=$1 lock_hash stamp=$1/node_modules/.vaxcert-lock.sha256
  lock_hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$lock_hash" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$lock_hash" >"$stamp"
  fi
}

prepare_node_peer() {
  npm_ci_when_lock_changed "$PEER_DIR"
  (cd "$PEER_DIR" && npm run --silent build >&2)
}

# The web verifier's bundle is committed; its npm packages are only needed to check that bundle (VaxCert.Web.Tests),
# so install them, never rebuild here: a rebuild would hide a stale committed file.
prepare_web_verifier() {
  npm_ci_when_lock_changed "$WEB_VERIFIER_DIR"
}

# Test projects come from the solution; a tests/*.Tests project missing from it would never be built or run.
solution_test_projects() {
  dotnet sln "$SOLUTION" list | tr '\\' '/' | grep -E '^tests/[^/]+\.Tests/[^/]+\.csproj$' | sort
}

# Prints each tests/*.Tests project on disk that the solution does not list.
test_projects_missing_from_solution() {
  comm -23 <(ls tests/*.Tests/*.csproj 2>/dev/null | sort) <(printf '%s\n' "$1")
}

# Prints "total passed failed skipped outcome" from one trx file.
trx_counts() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
summary = ET.parse(sys.argv[1]).getroot().find("t:ResultSummary", ns)
c = summary.find("t:Counters", ns).attrib
n = lambda k: int(c.get(k, 0))
failed = n("failed") + n("error") + n("timeout") + n("aborted")
print(n("total"), n("passed"), failed, n("notExecuted"), summary.get("outcome"))
PY
}

main() {
  install_debian_packages
  prepare_node_peer
  prepare_web_verifier

  log "dotnet build $SOLUTION"
  if ! dotnet build "$SOLUTION" -nologo -v q -clp:ErrorsOnly >&2; then
    # Never run stale binaries; the summary line still ends the output so callers can parse it.
    echo "build failed (errors above): no test ran" >&2
    return 1
  fi

  local projects
  projects=$(solution_test_projects || true)
  if [[ -z $projects ]]; then
    echo "no tests/*.Tests project found in $SOLUTION" >&2
    return 1
  fi
  local not_run=0 orphan
  while read -r orphan; do
    [[ -n $orphan ]] || continue
    printf '%s is not in %s, so it was neither built nor run\n' "$orphan" "$SOLUTION" >&2
    not_run=$((not_run + 1))
  done < <(test_projects_missing_from_solution "$projects")

  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"
  local passed=0 failed=0 skipped=0 project name trx exit counts total p f s outcome
  # One project at a time: the machine has 2 cores, and projects share external parts (PostgreSQL, SoftHSM2 tokens).
  for project in $projects; do
    name=$(basename "$project" .csproj)
    trx=$RESULTS_DIR/$name.trx
    log "dotnet test $name"
    exit=0
    dotnet test "$project" --no-build -nologo --results-directory "$RESULTS_DIR" \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --blame-hang-timeout 5min --blame-hang-dump-type none >&2 || exit=$?
    if [[ ! -f $trx ]]; then
      printf '%s did not run (dotnet test exit %s, no results)\n' "$name" "$exit" >&2
      not_run=$((not_run + 1))
      continue
    fi
    if ! counts=$(trx_counts "$trx"); then
      printf '%s wrote an unreadable %s\n' "$name" "$trx" >&2
      not_run=$((not_run + 1))
      continue
    fi
    read -r total p f s outcome <<<"$counts"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    if ((total == 0)); then
      # Usually broken discovery (a missing runner package); never let it look like a pass.
      printf '%s ran no tests\n' "$name" >&2
      not_run=$((not_run + 1))
    elif ((exit != 0 && f == 0)); then
      printf '%s: dotnet test exit %s with outcome %s (test host crash or hang?)\n' "$name" "$exit" "$outcome" >&2
      not_run=$((not_run + 1))
    fi
  done

  if ((not_run)); then printf '%s test project(s) did not run properly (see above)\n' "$not_run" >&2; fi
  local summary="$passed passed, $failed failed"
  if ((skipped)); then summary+=", $skipped skipped"; fi
  echo "$summary"
  summary_printed=true
  ((failed == 0 && not_run == 0))
}

# Whatever stops the run early (apt, npm, build), the last line is still the summary callers parse.
summary_printed=false
trap '[[ $summary_printed == true ]] || { echo "stopped before any test ran (see above)" >&2; echo "0 passed, 0 failed"; }' EXIT
main "$@"
