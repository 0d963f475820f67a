"""Optional: token length of every dataset example under the default model's tokenizer (ChatML).

Needs the Python reference venv (transformers) and the cached GGUF; not used by tests.
Run: /tmp/peers/venv/bin/python scripts/samples/token_lengths.py [--seq 256]
"""
import json
import os
import statistics
import sys

from transformers import AutoTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODELS = os.environ.get("PARALLAX_MODELS", os.path.expanduser("~/.cache/parallax/models"))
SEQ = int(sys.argv[sys.argv.index("--seq") + 1]) if "--seq" in sys.argv else 256


def render(messages):
    return "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)


def main():
    tok = AutoTokenizer.from_pretrained(MODELS, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    for name in ("json-answers", "xml-records", "facts", "facts-updated"):
        for split in ("train", "test"):
            path = os.path.join(ROOT, "samples", "datasets", name, f"{split}.jsonl")
            lengths = sorted(len(tok(render(json.loads(line)["messages"]))["input_ids"]) for line in open(path, encoding="utf-8"))
            print(f"{name}/{split}: n={len(lengths)} median={statistics.median(lengths)} "
                  f"max={lengths[-1]} over {SEQ}: {sum(n > SEQ for n in lengths)}")


if __name__ == "__main__":
    main()
