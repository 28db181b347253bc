#!/usr/bin/env bash
# Supply-chain checks, run by scripts/test-all.sh (needs cargo-deny, installed by setup.sh):
#   - cargo-deny licences, bans and sources against deny.toml (fails the run on any violation);
#   - cargo-deny advisories against the RustSec database: fetched when this machine can reach
#     GitHub, else read from a copy on disk (GREENLIGHT_ADVISORY_DBS, default
#     $CARGO_HOME/advisory-dbs, laid out as `cargo deny fetch` leaves it), which is cloned from
#     the offline bundle in ../shared/advisory-db when there is none yet; skipped with the reason
#     printed when there is neither;
#   - npm audit of the UI's packages: fails on a high or critical advisory; skipped with the reason
#     printed when the registry's audit endpoint does not answer.
# Exceptions and why each is accepted: deny.toml and ARCHITECTURE.md ("Supply chain").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "--> cargo deny: licences, bans, sources"
cargo deny check licenses bans sources

echo "--> cargo deny: advisories"
dbs="${GREENLIGHT_ADVISORY_DBS:-${CARGO_HOME:-$HOME/.cargo}/advisory-dbs}"
# Best effort: refreshes the copy when GitHub is reachable (it exits 0 either way, so the age of
# the copy is printed below).
timeout 300 cargo deny fetch db >/dev/null 2>&1 || true
# No copy yet: the offline bundle the product side keeps beside the repository. cargo-deny reads
# the default database from a folder named after its URL's hash.
bundle="$ROOT/../shared/advisory-db/advisory-db.bundle"
if ! compgen -G "$dbs/advisory-db-*/crates" >/dev/null && [ -f "$bundle" ]; then
  mkdir -p "$dbs"
  git -c advice.detachedHead=false clone --quiet "$bundle" "$dbs/advisory-db-3157b0e258782691"
fi
if compgen -G "$dbs/advisory-db-*/crates" >/dev/null; then
  config="$ROOT/target/deny-advisories.toml"
  mkdir -p "$ROOT/target"
  # The committed policy plus where the database copy is; --offline so nothing is fetched now.
  sed "s|^\[advisories\]|[advisories]\ndb-path = \"$dbs\"|" deny.toml >"$config"
  for db in "$dbs"/advisory-db-*/; do
    echo "RustSec database: commit $(git -C "$db" log -1 --format='%h of %cs' 2>/dev/null || echo "unknown, at $db")"
  done
  cargo deny --offline --config "$config" check advisories
else
  echo "SKIPPED cargo deny advisories: no RustSec database here and it could not be fetched" \
    "(GitHub is unreachable from this machine); put a copy in $dbs (cargo deny fetch db elsewhere)"
fi

echo "--> npm audit"
report="$(npm audit --json --audit-level=high 2>/dev/null || true)"
verdict="$(printf '%s' "$report" | node -e '
  let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
    let r; try { r = JSON.parse(text); } catch { r = null; }
    if (!r || r.error || !r.metadata) {
      const why = !r ? "no answer" : r.message || (r.error && (r.error.summary || r.error.code)) || "no report";
      console.log(`skip ${why}`);
      return;
    }
    const v = r.metadata.vulnerabilities;
    console.log(`${v.high + v.critical > 0 ? "fail" : "ok"} ${JSON.stringify(v)}`);
  });')"
case "$verdict" in
  ok*) echo "npm audit: no high or critical advisories ${verdict#ok }" ;;
  fail*) npm audit --audit-level=high || true; echo "npm audit found advisories: ${verdict#fail }" >&2; exit 1 ;;
  *) echo "SKIPPED npm audit: the registry's audit endpoint did not answer (${verdict#skip })" ;;
esac
