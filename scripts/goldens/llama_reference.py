"""Golden logits and greedy continuations for the Swift llama forward (Tests/ModelsTests).

Two references on the default model SmolLM2-135M-Instruct.Q4_1.gguf, for each prompt (stored
as token ids, so the Swift test does not depend on the tokenizer):
- llama.cpp through llama-cpp-python (0.3.x), n_threads=2, logits_all=True. llama.cpp rounds
  the activations to Q8_1 before every quantised product, so its logits carry ~0.3 of noise.
- transformers loading the same GGUF (weights dequantised exactly), run in float64: the exact
  arithmetic Parallax implements in f32, so it allows a tight tolerance.
Each records the last-position logits at the 64 largest entries plus 64 fixed random vocabulary
entries, and a greedy 32-token continuation (argmax, EOS not honoured) with the top-1/top-2
margin at each step.

usage: /tmp/peers/venv/bin/python scripts/goldens/llama_reference.py [MODEL.gguf]
writes Tests/ModelsTests/Fixtures/llama_golden.json
"""
import json
import os
import random
import sys

import numpy as np
from llama_cpp import Llama

MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/parallax/models/SmolLM2-135M-Instruct.Q4_1.gguf")
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ModelsTests", "Fixtures", "llama_golden.json")

PROMPTS = [
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWrite a short poem about the sea.<|im_end|>\n<|im_start|>assistant\n",
    "The history of the printing press begins in the fifteenth century, when Johannes Gutenberg combined "
    "movable metal type, oil-based ink and a wooden press adapted from wine making. Within a few decades, "
    "printing shops had spread across Europe, and the price of books fell sharply. Scholars argue that",
    "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n    if n < 2:\n        return n\n",
]
GREEDY = 32


def torch_reference(cases):
    import torch
    from transformers import AutoModelForCausalLM
    folder, name = os.path.split(MODEL)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float64).eval()
    with torch.no_grad():
        for c in cases:
            ids = list(c["prompt"])
            logits = model(torch.tensor([ids])).logits[0, -1].numpy()
            c["exact_top_ids"] = [int(i) for i in np.argsort(-logits)[:64]]
            c["exact_top_logits"] = [float(logits[i]) for i in c["exact_top_ids"]]
            c["exact_fixed_logits"] = [float(logits[i]) for i in c["fixed_ids"]]
            greedy, margins = [], []
            for _ in range(GREEDY):
                s = np.sort(logits)[::-1]
                margins.append(float(s[0] - s[1]))
                nxt = int(np.argmax(logits))
                greedy.append(nxt)
                ids.append(nxt)
                logits = model(torch.tensor([ids])).logits[0, -1].numpy()
            c["exact_greedy"] = greedy
            c["exact_greedy_margins"] = margins
            print("exact greedy == llama.cpp greedy:", greedy == c["greedy"], "min margin %.3f" % min(margins))


def main():
    llm = Llama(model_path=MODEL, n_ctx=512, n_batch=512, n_threads=2, n_threads_batch=2,
                logits_all=True, verbose=False)
    n_vocab = llm.n_vocab()
    rng = random.Random(1234)
    fixed = sorted(rng.sample(range(n_vocab), 64))
    cases = []
    for text in PROMPTS:
        ids = llm.tokenize(text.encode(), add_bos=False, special=True)
        llm.reset()
        llm.eval(ids)
        logits = np.array(llm.scores[len(ids) - 1], dtype=np.float64)
        top = [int(i) for i in np.argsort(-logits)[:64]]
        srt = np.sort(logits)[::-1]
        greedy, margins = [], []
        cur = logits
        for _ in range(GREEDY):
            nxt = int(np.argmax(cur))
            s = np.sort(cur)[::-1]
            margins.append(float(s[0] - s[1]))
            greedy.append(nxt)
            llm.eval([nxt])
            cur = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float64)
        cases.append({
            "text": text, "prompt": ids,
            "top_ids": top, "top_logits": [float(logits[i]) for i in top],
            "fixed_ids": fixed, "fixed_logits": [float(logits[i]) for i in fixed],
            "margin": float(srt[0] - srt[1]),
            "greedy": greedy, "greedy_margins": margins,
            "greedy_text": llm.detokenize(greedy).decode("utf-8", "replace"),
        })
    torch_reference(cases)
    meta = {"reference": "llama.cpp via llama-cpp-python", "version": __import__("llama_cpp").__version__,
            "model": os.path.basename(MODEL), "n_threads": 2,
            "exact": "transformers %s, float64" % __import__("transformers").__version__}
    with open(OUT, "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=0)
    for c in cases:
        print(len(c["prompt"]), "tokens; margin %.3f; min greedy margin %.3f;" % (c["margin"], min(c["greedy_margins"])),
              repr(c["greedy_text"]))


if __name__ == "__main__":
    main()
