"""Golden AdamW trajectory from torch.optim.AdamW (lr 1e-2, betas (0.9, 0.999), eps 1e-8,
weight_decay 0.01) for Tests/TrainingTests/Fixtures/adamw_reference.json.
Parameters p0[i] = sin(i + 1) for i < 12; the gradient at step s (1..5) is
g[i] = cos(0.7 i + s) * (1 + 0.3 s) - 0.2 p[i] (it depends on the current parameters).

usage: /tmp/peers/venv/bin/python scripts/goldens/adamw_reference.py > Tests/TrainingTests/Fixtures/adamw_reference.json
"""
import json
import math

import torch

p = torch.tensor([math.sin(i + 1) for i in range(12)], dtype=torch.float32, requires_grad=True)
opt = torch.optim.AdamW([p], lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
trajectory = []
for s in range(1, 6):
    with torch.no_grad():
        g = torch.tensor([math.cos(0.7 * i + s) * (1 + 0.3 * s) for i in range(12)], dtype=torch.float32) - 0.2 * p
    p.grad = g.clone()
    opt.step()
    trajectory.append([float(x) for x in p.detach()])
print(json.dumps({"lr": 1e-2, "weight_decay": 0.01, "trajectory": trajectory}))
