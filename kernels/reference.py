#!/usr/bin/env python3
"""reference.py - an external reference for fgsim's service model: each profile's step
timed in PyTorch with production kernels (cuBLAS, cuDNN / FlashAttention through
scaled_dot_product_attention), BF16, random weights built from the published dimensions
(no download), against the step fgsim predicts from a calibration file.

  llm-7b-prefill        Llama-2-7B-shaped model, eager, SDPA (flash / cuDNN) causal
  llm-7b-prefill-naive  the same with SDPA's math backend (the score matrix in memory)
  llm-7b-decode         16 sequences x 1 token over a 512-token KV cache, one CUDA graph
  llm-7b-finetune       full fine-tune step (fwd, bwd, AdamW), a few layers scaled to 32
  llm-70b-finetune      LoRA r16 on q,k,v,o, activation checkpointing, a few of the 80
                        layers per micro-batch, scaled (the file says how many)
  resnet50-train        torchvision ResNet-50, the profile's batch, random images, SGD
  sdxl-inference        no framework counterpart in the device image (no diffusers)

Each row: measured_us (PyTorch), predicted_us (fgsim's service model, read from the
TSV `bin/fgcal --predictions` writes, or from a calibration file's fidelity rows) and
error = measured / predicted - 1, the sign convention of the fidelity rows. Written as a
libconfig fragment `reference = ( {...}, ... );` for the calibration file, and as JSON.

--dry-run prints the plan without importing torch (torch is not on the build machine).
"""
import argparse
import json
import math
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NO_COUNTERPART = {"sdxl-inference": "no framework counterpart in the device image (no diffusers)"}


def read_architecture(profile):
    """The `architecture = { k = v; ... };` group of models/profiles/<profile>.cfg."""
    path = os.path.join(ROOT, "models", "profiles", profile + ".cfg")
    with open(path) as f:
        text = f.read()
    m = re.search(r"^architecture\s*=\s*\{(.*?)\};", text, re.M | re.S)
    arch = {}
    for k, v in re.findall(r"(\w+)\s*=\s*([^;]+);", m.group(1) if m else ""):
        v = v.strip()
        try:
            arch[k] = int(v) if re.fullmatch(r"-?\d+", v) else float(v)
        except ValueError:
            arch[k] = v
    return arch


def read_predictions(path):
    """profile -> predicted step (us), from fgcal's TSV or a calibration file's fidelity rows."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        text = f.read()
    if path.endswith(".cfg"):
        for prof, pred in re.findall(r'profile\s*=\s*"([^"]+)";\s*predicted_us\s*=\s*([0-9.eE+-]+);', text):
            out[prof] = float(pred)
    else:
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and not line.startswith("#"):
                out[parts[0]] = float(parts[1])
    return out


# ---- the plan: what each profile runs, and how its time is scaled ---------------------

def plan(profiles, layers_70b, layers_7b_train):
    rows = []
    for p in profiles:
        if p in NO_COUNTERPART:
            rows.append((p, "skip", NO_COUNTERPART[p]))
            continue
        a = read_architecture(p)
        if p in ("llm-7b-prefill", "llm-7b-prefill-naive"):
            how = "forward of all %d layers, %d x %d tokens, SDPA %s, eager" % (
                a["layers"], a["batch"], a["seq"], "math" if p.endswith("naive") else "flash/cuDNN")
        elif p == "llm-7b-decode":
            how = "one token for %d sequences over a %d-token KV cache, %d layers, one CUDA graph replayed" % (
                a["batch"], a["context"], a["layers"])
        elif p == "llm-7b-finetune":
            how = "fwd+bwd of %d distinct layers x %d/%d, %d micro-batches of %d x %d, AdamW over them x %d/%d" % (
                layers_7b_train, a["layers"], layers_7b_train, a["micro_batches"], a["micro_batch"], a["seq"],
                a["layers"], layers_7b_train)
        elif p == "llm-70b-finetune":
            how = ("LoRA r%d, checkpointed fwd+bwd of %d distinct layers x %d/%d, %d micro-batches of %d x %d, "
                   "LM head and loss" % (a["lora_rank"], layers_70b, a["layers"], layers_70b, a["micro_batches"],
                                         a["micro_batch"], a["seq"]))
        elif p == "resnet50-train":
            how = "torchvision resnet50, batch %d at %d px, channels-last BF16 autocast, SGD" % (a["batch"], a["image"])
        else:
            rows.append((p, "skip", "no reference written for this profile"))
            continue
        rows.append((p, "run", how))
    return rows


# ---- PyTorch (imported only when measuring) ------------------------------------------

def measure(profile, args):
    import torch
    import torch.nn.functional as F
    from torch.utils.checkpoint import checkpoint

    dev = torch.device("cuda")
    bf = torch.bfloat16
    torch.manual_seed(1)
    a = read_architecture(profile)

    def timed(fn, reps, warm=2):
        for _ in range(warm):
            fn()
        torch.cuda.synchronize()
        ts = []
        for _ in range(reps):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            s.record()
            fn()
            e.record()
            e.synchronize()
            ts.append(s.elapsed_time(e) * 1e3)
        ts.sort()
        return ts[len(ts) // 2], len(ts)

    class Layer(torch.nn.Module):
        """A Llama layer: RMSNorm, QKV (GQA), RoPE, causal SDPA, output, RMSNorm, SwiGLU."""

        def __init__(self, h, heads, kv, hd, inter, lora=0):
            super().__init__()
            self.h, self.heads, self.kv, self.hd = h, heads, kv, hd
            self.qkv = torch.nn.Linear(h, (heads + 2 * kv) * hd, bias=False)
            self.o = torch.nn.Linear(heads * hd, h, bias=False)
            self.gu = torch.nn.Linear(h, 2 * inter, bias=False)
            self.down = torch.nn.Linear(inter, h, bias=False)
            self.n1 = torch.nn.RMSNorm(h)
            self.n2 = torch.nn.RMSNorm(h)
            self.lora = lora
            if lora:
                for lin in (self.qkv, self.o, self.gu, self.down):
                    lin.weight.requires_grad_(False)
                self.qa = torch.nn.Parameter(torch.randn(h, lora) * 0.01)
                self.qb = torch.nn.Parameter(torch.zeros(lora, (heads + 2 * kv) * hd))
                self.oa = torch.nn.Parameter(torch.randn(heads * hd, lora) * 0.01)
                self.ob = torch.nn.Parameter(torch.zeros(lora, h))

        def rope(self, x, cos, sin):
            x1, x2 = x[..., : self.hd // 2], x[..., self.hd // 2:]
            return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), -1)

        def forward(self, x, cos, sin, cache=None, pos=None):
            b, s, _ = x.shape
            y = self.n1(x)
            qkv = self.qkv(y)
            if self.lora:
                qkv = qkv + (y @ self.qa) @ self.qb
            q, k, v = qkv.split([self.heads * self.hd, self.kv * self.hd, self.kv * self.hd], -1)
            q = self.rope(q.view(b, s, self.heads, self.hd).transpose(1, 2), cos, sin)
            k = self.rope(k.view(b, s, self.kv, self.hd).transpose(1, 2), cos, sin)
            v = v.view(b, s, self.kv, self.hd).transpose(1, 2)
            if cache is not None:  # decode: write this token, attend over the whole cache
                kc, vc = cache
                kc.index_copy_(2, pos, k)
                vc.index_copy_(2, pos, v)
                att = F.scaled_dot_product_attention(q, kc, vc, enable_gqa=self.kv != self.heads)
            else:
                att = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=self.kv != self.heads)
            att = att.transpose(1, 2).reshape(b, s, self.heads * self.hd)
            out = self.o(att)
            if self.lora:
                out = out + (att @ self.oa) @ self.ob
            x = x + out
            g, u = self.gu(self.n2(x)).chunk(2, -1)
            return x + self.down(F.silu(g) * u)

    def llama_layers(n, lora=0):
        # Built on the GPU one layer at a time (a 7B model's FP32 weights on the host
        # would take minutes to initialise), each cast to BF16 before the next.
        with torch.device(dev):
            return torch.nn.ModuleList(
                Layer(a["hidden"], a["heads"], a["kv_heads"], a["head_dim"], a["intermediate"], lora).to(bf)
                for _ in range(n))

    def rope_tables(s):
        t = torch.arange(s, device=dev, dtype=torch.float32)[:, None]
        f = 10000 ** (-torch.arange(0, a["head_dim"] // 2, device=dev, dtype=torch.float32) / (a["head_dim"] // 2))
        ang = t * f
        return ang.cos().to(bf), ang.sin().to(bf)

    reps = args.reps
    if profile in ("llm-7b-prefill", "llm-7b-prefill-naive"):
        from torch.nn.attention import SDPBackend, sdpa_kernel
        layers = llama_layers(a["layers"])
        head = torch.nn.Linear(a["hidden"], a["vocab"], bias=False, device=dev, dtype=bf)
        x0 = torch.randn(a["batch"], a["seq"], a["hidden"], device=dev, dtype=bf)
        cos, sin = rope_tables(a["seq"])
        backends = [SDPBackend.MATH] if profile.endswith("naive") else [SDPBackend.CUDNN_ATTENTION,
                                                                        SDPBackend.FLASH_ATTENTION]

        @torch.no_grad()
        def step():
            with sdpa_kernel(backends):
                x = x0
                for lyr in layers:
                    x = lyr(x, cos, sin)
                torch.softmax(head(x[:, -1]).float(), -1)

        us, n = timed(step, reps)
        return us, n, "all %d layers" % a["layers"]

    if profile == "llm-7b-decode":
        layers = llama_layers(a["layers"])
        head = torch.nn.Linear(a["hidden"], a["vocab"], bias=False, device=dev, dtype=bf)
        b, ctx = a["batch"], a["context"]
        caches = [(torch.randn(b, a["kv_heads"], ctx + 1, a["head_dim"], device=dev, dtype=bf),
                   torch.randn(b, a["kv_heads"], ctx + 1, a["head_dim"], device=dev, dtype=bf)) for _ in layers]
        x0 = torch.randn(b, 1, a["hidden"], device=dev, dtype=bf)
        pos = torch.tensor([ctx], device=dev)
        cos_all, sin_all = rope_tables(ctx + 1)
        cos, sin = cos_all[ctx:ctx + 1], sin_all[ctx:ctx + 1]

        @torch.no_grad()
        def step():
            x = x0
            for lyr, c in zip(layers, caches):
                x = lyr(x, cos, sin, cache=c, pos=pos)
            torch.softmax(head(x[:, -1]).float(), -1)

        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(3):
                step()
        torch.cuda.current_stream().wait_stream(s)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            step()
        us, n = timed(g.replay, max(reps, 20))
        return us, n, "all %d layers, CUDA graph" % a["layers"]

    if profile in ("llm-7b-finetune", "llm-70b-finetune"):
        lora = a.get("lora_rank", 0)
        nl = args.layers_70b if lora else args.layers_7b_train
        nl = min(nl, a["layers"])
        layers = llama_layers(nl, lora)
        head = torch.nn.Linear(a["hidden"], a["vocab"], bias=False, device=dev, dtype=bf)
        if lora:
            head.weight.requires_grad_(False)
        mb, seq, nmb = a["micro_batch"], a["seq"], a["micro_batches"]
        cos, sin = rope_tables(seq)
        params = [p for p in list(layers.parameters()) if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=1e-5, fused=True)
        x0 = torch.randn(mb, seq, a["hidden"], device=dev, dtype=bf, requires_grad=True)
        g0 = torch.randn(mb, seq, a["hidden"], device=dev, dtype=bf)

        def layers_fwd_bwd():  # one micro-batch through the nl layers and back
            x = x0
            for lyr in layers:
                x = checkpoint(lyr, x, cos, sin, use_reentrant=False) if lora else lyr(x, cos, sin)
            x.backward(g0)

        def head_fwd_bwd():  # LM head and cross-entropy on one micro-batch
            h = torch.randn(mb * seq, a["hidden"], device=dev, dtype=bf, requires_grad=True)
            tgt = torch.randint(0, a["vocab"], (mb * seq,), device=dev)
            F.cross_entropy(head(h).float(), tgt).backward()

        t_layers, n = timed(layers_fwd_bwd, reps)
        t_head, _ = timed(head_fwd_bwd, reps)
        t_opt, _ = timed(lambda: (opt.step(), opt.zero_grad(set_to_none=False)), reps)
        scale = a["layers"] / nl
        us = nmb * (t_layers * scale + t_head) + t_opt * scale
        return us, n, "%d of %d layers x%.4g, %d micro-batches" % (nl, a["layers"], scale, nmb)

    if profile == "resnet50-train":
        import torchvision
        model = torchvision.models.resnet50().to(dev, memory_format=torch.channels_last)
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        x = torch.randn(a["batch"], 3, a["image"], a["image"], device=dev).to(memory_format=torch.channels_last)
        y = torch.randint(0, 1000, (a["batch"],), device=dev)

        def step():
            with torch.autocast("cuda", dtype=bf):
                loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)

        us, n = timed(step, reps)
        return us, n, "batch %d" % a["batch"]
    raise ValueError(profile)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profiles", default="llm-7b-decode,llm-7b-prefill,llm-7b-prefill-naive,resnet50-train,"
                    "llm-7b-finetune,llm-70b-finetune,sdxl-inference")
    ap.add_argument("--predictions", help="fgcal --predictions TSV, or a calibration .cfg with fidelity rows")
    ap.add_argument("--out", help="write `reference = ( ... );` here (libconfig)")
    ap.add_argument("--json", help="write the rows as JSON here")
    ap.add_argument("--reps", type=int, default=10, help="timed repetitions of each step (median kept)")
    ap.add_argument("--layers-70b", type=int, default=2, help="distinct 70B layers timed, scaled to 80")
    ap.add_argument("--layers-7b-train", type=int, default=4, help="distinct 7B layers fine-tuned, scaled to 32")
    ap.add_argument("--budget", type=float, default=0, help="seconds; profiles past it are skipped and said so")
    ap.add_argument("--dry-run", action="store_true", help="print the plan and stop (needs no torch)")
    args = ap.parse_args()

    profiles = [p for p in args.profiles.split(",") if p]
    todo = plan(profiles, args.layers_70b, args.layers_7b_train)
    pred = read_predictions(args.predictions)
    if args.dry_run:
        for p, what, how in todo:
            print("%-22s %-4s %s%s" % (p, what, how, "" if p in pred or what == "skip" else "  (no prediction)"))
        return 0

    import torch
    framework = "pytorch %s (CUDA %s, cuDNN %s)" % (torch.__version__, torch.version.cuda,
                                                     torch.backends.cudnn.version())
    rows, t0 = [], time.monotonic()
    for p, what, how in todo:
        if what == "skip":
            rows.append({"profile": p, "framework": framework, "note": how})
            print("%-22s skipped: %s" % (p, how), flush=True)
            continue
        if args.budget and time.monotonic() - t0 > args.budget:
            rows.append({"profile": p, "framework": framework, "note": "skipped: past the time budget"})
            print("%-22s skipped: past the %.0f s budget" % (p, args.budget), flush=True)
            continue
        try:
            us, n, scope = measure(p, args)
        except Exception as e:  # an OOM or a missing kernel should not lose the other rows
            rows.append({"profile": p, "framework": framework, "note": "failed: %s" % str(e).splitlines()[0][:200]})
            print("%-22s failed: %s" % (p, e), flush=True)
            torch.cuda.empty_cache()
            continue
        r = {"profile": p, "framework": framework, "measured_us": us, "n": n, "scope": scope}
        if p in pred:
            r["predicted_us"] = pred[p]
            r["error"] = us / pred[p] - 1
        rows.append(r)
        print("%-22s measured %12.1f us  predicted %12s  error %s  (%s, n=%d)" % (
            p, us, "%.1f us" % pred[p] if p in pred else "-",
            "%+.1f%%" % (100 * r["error"]) if "error" in r else "-", scope, n), flush=True)
        torch.cuda.empty_cache()

    if args.out:
        with open(args.out, "w") as f:
            f.write("# PyTorch reference steps (kernels/reference.py); error = measured / predicted - 1\n")
            f.write("reference = (\n")
            body = []
            for r in rows:
                fields = ['profile = "%s"' % r["profile"], 'framework = "%s"' % r["framework"]]
                for k in ("measured_us", "predicted_us", "error"):
                    if k in r:
                        fields.append("%s = %.17g" % (k, r[k]))
                if "note" in r:
                    fields.append('note = "%s"' % r["note"].replace('"', "'"))
                body.append("  { " + "; ".join(fields) + "; }")
            f.write(",\n".join(body) + "\n);\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
