"""Golden values for the GGUF reader: metadata and dequantised samples of the default model.

Uses the `gguf` package (reference reader of the llama.cpp project). Run once:
    /tmp/peers/venv/bin/python scripts/goldens/gguf_reference.py MODEL.gguf > Tests/ModelFilesTests/Fixtures/gguf_smollm2.json
"""
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

path = sys.argv[1]
reader = GGUFReader(path)
names = ["token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_norm.weight", "blk.7.ffn_down.weight",
         "blk.29.attn_v.weight", "output_norm.weight"]
out = {"tensor_count": len(reader.tensors), "version": int(reader.fields["GGUF.version"].parts[-1][0]), "tensors": []}
meta = {}
for key in ["general.architecture", "llama.block_count", "llama.embedding_length", "llama.attention.head_count",
            "llama.attention.head_count_kv", "llama.feed_forward_length", "llama.rope.freq_base", "tokenizer.ggml.model",
            "tokenizer.ggml.pre"]:
    f = reader.fields[key]
    v = f.parts[f.data[0]]
    meta[key] = bytes(v).decode() if f.types[0].name == "STRING" else float(v[0])
out["metadata"] = meta
out["token_count"] = len(reader.fields["tokenizer.ggml.tokens"].data)
by_name = {t.name: t for t in reader.tensors}
for name in names:
    t = by_name[name]
    values = dequantize(t.data, t.tensor_type).astype(np.float64).reshape(-1)
    rng = np.random.default_rng(len(name))
    idx = sorted(set(rng.integers(0, values.size, 48).tolist()))
    out["tensors"].append({
        "name": name, "type": t.tensor_type.name, "dimensions": [int(d) for d in t.shape],
        "first": values[:40].tolist(), "indices": idx, "values": values[idx].tolist(),
        "sum": float(values.sum()), "abs_sum": float(np.abs(values).sum()),
    })
json.dump(out, sys.stdout, indent=1)
