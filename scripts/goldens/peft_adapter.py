"""A PEFT LoRA adapter made by Hugging Face PEFT itself (save_pretrained), for the test that loads
adapters trained elsewhere: Tests/TrainingTests/Fixtures/peft_adapter/.

SmolLM2-135M-Instruct from the Q4_1 GGUF (smollm_torch.load_manual, fp32); LoRA r=2, alpha=4 on
q_proj, k_proj, v_proj, o_proj and down_proj of layers 0 and 1 (layers_to_transform); A and B drawn
from torch.manual_seed(3) with std 0.05 (B non-zero so the adapter changes the output). Writes the
adapter, and expected.json with the causal-LM loss of base and base+adapter on one fixed batch
(tokens[t] = (500 + 7919 t) mod 49152, 16 tokens, labels = tokens).

usage: /tmp/peers/venv/bin/python scripts/goldens/peft_adapter.py Tests/TrainingTests/Fixtures/peft_adapter
"""
import json
import os
import sys

sys.path.insert(0, "/work/shared/peers")
import torch  # noqa: E402
import smollm_torch  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402


def main(out):
    torch.set_num_threads(2)
    model = smollm_torch.load_manual(torch.float32)
    model.config.use_cache = False
    tokens = torch.tensor([[(500 + 7919 * t) % 49152 for t in range(16)]])
    with torch.no_grad():
        base_loss = float(model(input_ids=tokens, labels=tokens).loss)
    cfg = LoraConfig(r=2, lora_alpha=4, lora_dropout=0.0, bias="none", layers_to_transform=[0, 1],
                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "down_proj"], task_type="CAUSAL_LM")
    model = get_peft_model(model, cfg)
    torch.manual_seed(3)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_" in name:
                p.copy_(torch.randn_like(p) * 0.05)
        adapted_loss = float(model(input_ids=tokens, labels=tokens).loss)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    for extra in ("README.md",):
        path = os.path.join(out, extra)
        if os.path.exists(path):
            os.remove(path)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"base_loss": base_loss, "adapted_loss": adapted_loss,
                   "tokens": tokens[0].tolist()}, f, indent=1)
    print(base_loss, adapted_loss)


if __name__ == "__main__":
    main(sys.argv[1])
