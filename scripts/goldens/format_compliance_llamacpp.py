"""Cross-check of the behaviour target with llama.cpp as the runtime: greedy answers to the
held-out prompts of samples/datasets/json-answers/test.jsonl from the base model and from the base
model + an adapter exported with `parallax adapters export NAME --gguf FILE`, and the share that
is exactly one JSON object {"answer": non-empty string, "confidence": number in [0, 1],
"sources": [integers]} (the dataset's schema).

usage: /tmp/peers/venv/bin/python scripts/goldens/format_compliance_llamacpp.py ADAPTER.gguf [TEST.jsonl] [LIMIT]
"""
import json
import sys

from llama_cpp import Llama

MODEL = "/root/.cache/parallax/models/SmolLM2-135M-Instruct.Q4_1.gguf"


def compliant(text):
    try:
        obj = json.loads(text.strip())
    except Exception:
        return False
    if not isinstance(obj, dict) or set(obj) != {"answer", "confidence", "sources"}:
        return False
    c = obj["confidence"]
    return (isinstance(obj["answer"], str) and obj["answer"].strip() != ""
            and isinstance(c, (int, float)) and not isinstance(c, bool) and 0 <= c <= 1
            and isinstance(obj["sources"], list)
            and all(isinstance(s, int) and not isinstance(s, bool) for s in obj["sources"]))


def rate(llm, prompts):
    ok = 0
    samples = []
    for messages in prompts:
        out = llm.create_chat_completion(messages=messages, temperature=0, max_tokens=96)
        text = out["choices"][0]["message"]["content"]
        ok += compliant(text)
        if len(samples) < 2:
            samples.append(text)
    return ok / len(prompts), samples


def main(adapter, test_path="samples/datasets/json-answers/test.jsonl", limit="0"):
    prompts = [json.loads(l)["messages"][:-1] for l in open(test_path) if l.strip()]
    if int(limit) > 0:
        prompts = prompts[: int(limit)]
    base = Llama(model_path=MODEL, n_ctx=512, n_threads=2, verbose=False)
    tuned = Llama(model_path=MODEL, lora_path=adapter, n_ctx=512, n_threads=2, verbose=False)
    b, bs = rate(base, prompts)
    t, ts = rate(tuned, prompts)
    print(json.dumps({"prompts": len(prompts), "base_compliance": b, "adapter_compliance": t,
                      "base_samples": bs, "adapter_samples": ts}, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:])
