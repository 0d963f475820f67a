#!/usr/bin/env bash
# Runs every `parallax bench` with its peer (when the peer venv exists), back to back, and appends
# one JSON object per benchmark to the output file. Peers: bash ../shared/peers/setup.sh once.
#   scripts/bench-all.sh [OUT.jsonl]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PARALLAX_BIN:-.build/release/parallax}
py=${PEER_PYTHON:-/tmp/peers/venv/bin/python}
out=${1:-bench-results.jsonl}
have_peer=false
[ -x "$py" ] && "$py" -c "import llama_cpp, torch, sentence_transformers" 2>/dev/null && have_peer=true
echo "benchmarks -> $out (peers: $have_peer); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

bench() {
  local name=$1; shift
  echo "== $name" >&2
  "$bin" bench "$name" --json "$@" | tee -a "$out"
}

if $have_peer; then
  bench generate --peer "$py"
  bench embed --peer-python "$py"
  bench search --peer
  bench train --peer --python "$py"
  bench tokenize --peer-python "$py"
else
  bench generate; bench embed; bench search; bench train; bench tokenize
fi
bench index
bench tui
