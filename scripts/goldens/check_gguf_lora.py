"""Checks a GGUF LoRA written by `parallax adapters export` with llama.cpp (llama-cpp-python):
loads the base model with `lora_path`, and prints the causal-LM loss of a fixed token sequence
with and without the adapter. Run on the export of Tests/TrainingTests/Fixtures/peft_adapter, the
losses must match PyTorch + PEFT's (expected.json: base_loss, adapted_loss) up to llama.cpp's
quantised arithmetic; a transposed or mis-permuted adapter gives a very different adapted loss.

usage: /tmp/peers/venv/bin/python scripts/goldens/check_gguf_lora.py ADAPTER.gguf EXPECTED.json
"""
import json
import math
import sys

import numpy as np
from llama_cpp import Llama

MODEL = "/root/.cache/parallax/models/SmolLM2-135M-Instruct.Q4_1.gguf"


def loss(llm, tokens):
    llm.reset()
    llm.eval(tokens)
    logits = np.array(llm.scores[: len(tokens)], dtype=np.float64)
    total = 0.0
    for t in range(len(tokens) - 1):
        row = logits[t]
        m = row.max()
        total += m + math.log(np.exp(row - m).sum()) - row[tokens[t + 1]]
    return total / (len(tokens) - 1)


def main(adapter, expected_path):
    expected = json.load(open(expected_path))
    tokens = expected["tokens"]
    base = Llama(model_path=MODEL, logits_all=True, n_ctx=64, n_threads=2, verbose=False)
    adapted = Llama(model_path=MODEL, lora_path=adapter, logits_all=True, n_ctx=64, n_threads=2, verbose=False)
    b, a = loss(base, tokens), loss(adapted, tokens)
    print(json.dumps({"llama_cpp_base_loss": b, "llama_cpp_adapted_loss": a,
                      "torch_base_loss": expected["base_loss"], "torch_adapted_loss": expected["adapted_loss"],
                      "llama_cpp_delta": a - b, "torch_delta": expected["adapted_loss"] - expected["base_loss"]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
