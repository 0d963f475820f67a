"""Golden LoRA gradients of SmolLM2-135M-Instruct from PyTorch + PEFT (fp32), for
Tests/TrainingTests/Fixtures/lora_reference.json.

The model is the Q4_1 GGUF dequantised with gguf.quants (smollm_torch.load_manual: the same
block arithmetic as Parallax's dequantiser, q/k rows un-permuted to Hugging Face order).
LoRA r=4, alpha=8, dropout 0 on q,k,v,o,gate,up,down of every layer, with deterministic
initial values (formula below, reproduced by the Swift test; B in Hugging Face row order):
    A_flat[e] = 0.05 * sin(0.37 e + 1.3 layer + 0.7 proj + 0.1)      A: (r, in)
    B_flat[e] = 0.02 * cos(0.53 e + 0.9 layer + 0.4 proj + 0.2)      B: (out, r)
    proj = index in [q, k, v, o, gate, up, down]
Batch: 2 rows x 12 tokens, tokens[b][t] = (1000 + 7919 (12 b + t)) mod 49152; labels = tokens,
except row 1 positions 0..4 = -100; loss = Hugging Face causal-LM mean cross-entropy.
Output: the loss, and per LoRA matrix its gradient's L2 norm and 6 entries at fixed flat indices
idx_k = (7919 k + 31 layer + proj) mod size, k = 0..5.

usage: /tmp/peers/venv/bin/python scripts/goldens/lora_reference.py > Tests/TrainingTests/Fixtures/lora_reference.json
"""
import json
import math
import sys

sys.path.insert(0, "/work/shared/peers")
import torch  # noqa: E402
import smollm_torch  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402

PROJ = [("q", "self_attn.q_proj"), ("k", "self_attn.k_proj"), ("v", "self_attn.v_proj"),
        ("o", "self_attn.o_proj"), ("gate", "mlp.gate_proj"), ("up", "mlp.up_proj"),
        ("down", "mlp.down_proj")]
R, ALPHA, B, T = 4, 8, 2, 12


def main():
    torch.set_num_threads(2)
    model = smollm_torch.load_manual(torch.float32)
    model.config.use_cache = False
    cfg = LoraConfig(r=R, lora_alpha=ALPHA, lora_dropout=0.0, bias="none",
                     target_modules=[m.split(".")[1] for _, m in PROJ], task_type="CAUSAL_LM")
    model = get_peft_model(model, cfg)
    base = model.base_model.model.model
    with torch.no_grad():
        for layer, block in enumerate(base.layers):
            for p, (_, name) in enumerate(PROJ):
                mod = block.get_submodule(name)
                a, b = mod.lora_A["default"].weight, mod.lora_B["default"].weight
                ea = torch.arange(a.numel(), dtype=torch.float64)
                eb = torch.arange(b.numel(), dtype=torch.float64)
                a.copy_((0.05 * torch.sin(0.37 * ea + 1.3 * layer + 0.7 * p + 0.1)).float().view_as(a))
                b.copy_((0.02 * torch.cos(0.53 * eb + 0.9 * layer + 0.4 * p + 0.2)).float().view_as(b))
    tokens = torch.tensor([[(1000 + 7919 * (T * b + t)) % 49152 for t in range(T)] for b in range(B)])
    labels = tokens.clone()
    labels[1, :5] = -100
    model.train()
    loss = model(input_ids=tokens, labels=labels).loss
    loss.backward()
    out = {"loss": float(loss), "rank": R, "alpha": ALPHA, "batch": B, "seq": T, "tensors": []}
    for layer, block in enumerate(base.layers):
        for p, (short, name) in enumerate(PROJ):
            mod = block.get_submodule(name)
            for which, w in (("A", mod.lora_A["default"].weight), ("B", mod.lora_B["default"].weight)):
                g = w.grad.detach().double().flatten()
                idx = [(7919 * k + 31 * layer + p) % g.numel() for k in range(6)]
                out["tensors"].append({"layer": layer, "projection": short, "matrix": which,
                                       "norm": math.sqrt(float((g * g).sum())),
                                       "indices": idx, "values": [float(g[i]) for i in idx]})
    json.dump(out, sys.stdout, indent=0)


if __name__ == "__main__":
    main()
