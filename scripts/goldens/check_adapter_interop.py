"""End-to-end interoperability check of an adapter trained by `parallax train`:
1. Hugging Face PEFT loads the adapter folder (PeftModel.from_pretrained) onto SmolLM2 (fp32,
   weights dequantised from the GGUF), and
2. llama.cpp (llama-cpp-python) loads the `parallax adapters export --gguf` file with `lora_path`;
then the change each makes to the logits of a fixed prompt is compared: cosine similarity of the
two deltas (llama.cpp computes on the quantised model, so they agree closely, not exactly).

usage: /tmp/peers/venv/bin/python scripts/goldens/check_adapter_interop.py ADAPTER_DIR ADAPTER.gguf
"""
import json
import sys

import numpy as np

sys.path.insert(0, "/work/shared/peers")
MODEL = "/root/.cache/parallax/models/SmolLM2-135M-Instruct.Q4_1.gguf"


def main(adapter_dir, adapter_gguf):
    import torch
    import smollm_torch
    from peft import PeftModel
    from llama_cpp import Llama

    llm = Llama(model_path=MODEL, logits_all=True, n_ctx=128, n_threads=2, verbose=False)
    prompt = ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
              "What is the capital of France?<|im_end|>\n<|im_start|>assistant\n")
    tokens = llm.tokenize(prompt.encode(), add_bos=False, special=True)

    def cpp_logits(model):
        model.reset()
        model.eval(tokens)
        return np.array(model.scores[: len(tokens)], dtype=np.float64)

    base_cpp = cpp_logits(llm)
    lora_cpp = cpp_logits(Llama(model_path=MODEL, lora_path=adapter_gguf, logits_all=True, n_ctx=128,
                                n_threads=2, verbose=False))
    torch.set_num_threads(2)
    model = smollm_torch.load_manual(torch.float32)
    ids = torch.tensor([tokens])
    with torch.no_grad():
        base_t = model(input_ids=ids).logits[0].double().numpy()
        peft_model = PeftModel.from_pretrained(model, adapter_dir)
        lora_t = peft_model(input_ids=ids).logits[0].double().numpy()
    d_cpp, d_t = (lora_cpp - base_cpp).ravel(), (lora_t - base_t).ravel()
    cos = float(d_cpp @ d_t / (np.linalg.norm(d_cpp) * np.linalg.norm(d_t)))
    print(json.dumps({"tokens": len(tokens), "peft_delta_norm": float(np.linalg.norm(d_t)),
                      "llama_cpp_delta_norm": float(np.linalg.norm(d_cpp)), "delta_cosine": cos,
                      "argmax_agree_last": int(lora_cpp[-1].argmax() == lora_t[-1].argmax())}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
