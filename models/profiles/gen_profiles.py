#!/usr/bin/env python3
"""gen_profiles.py - writes models/profiles/*.cfg, the kernel mix of one step of each job
kind, from the model's architecture. Every count, shape, FLOP and byte in a profile comes
from here, with the derivation written into the file's opening comment; edit this script
and rerun it (python3 models/profiles/gen_profiles.py), never the .cfg files.

Kernel names and cost formulas are those of models/platform/calibration.c (fgsim checks them when
it loads a profile): gemm_bf16 MxNxK costs 2MNK FLOPs and 2(MK + KN + MN) bytes, and so
on. Work fgcal has no kernel for is priced `like` the kernel it behaves as (element-wise
work like triad_fp32, by bytes; a backward attention like the tiled forward, by FLOPs),
with its own FLOPs and bytes, so the service model interpolates it from that kernel's
measured shapes.
"""
import os
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))


# ---- cost formulas (models/platform/calibration.c) ------------------------------------------------

def gemm(m, n, k):
    return 2.0 * m * n * k, 2.0 * (m * k + k * n + m * n)


def layernorm_fused(r, c):
    return 8.0 * r * c, 4.0 * r * c + 4.0 * c


def layernorm_unfused(r, c):
    return 8.0 * r * c, 8.0 * r * c + 20.0 * r + 4.0 * c


def softmax(r, c):
    return 5.0 * r * c, 4.0 * r * c


def attn_tiled(b, h, s, d):
    pairs = s * (s + 1) / 2.0
    return 4.0 * b * h * pairs * d + 5.0 * b * h * pairs, 8.0 * b * h * s * d


def attn_naive(b, h, s, d):
    return 4.0 * b * h * s * s * d + 5.0 * b * h * s * s, 8.0 * b * h * s * d + 8.0 * b * h * s * s


KNOWN = {
    "gemm_bf16": lambda d: gemm(*d),
    "gemv_bf16": lambda d: gemm(*d),
    "layernorm_fused_bf16": lambda d: layernorm_fused(*d),
    "layernorm_unfused_bf16": lambda d: layernorm_unfused(*d),
    "softmax_bf16": lambda d: softmax(*d),
    "attention_tiled_bf16": lambda d: attn_tiled(*d),
    "attention_naive_bf16": lambda d: attn_naive(*d),
}


class Step:
    """The kernels of one step, merged by (name, like, shape, cost)."""

    def __init__(self):
        self.k = OrderedDict()

    def add(self, name, shape_dims, count, what):
        shape = "x".join(str(int(v)) for v in shape_dims)
        f, b = KNOWN[name](shape_dims)
        self._put(name, "", shape, count, what, f, b, None)

    def like(self, name, like, count, what, flops, bytes_, shape_dims=None):
        shape = "x".join(str(int(v)) for v in shape_dims) if shape_dims else ""
        self._put(name, like, shape, count, what, float(flops), float(bytes_), None)

    def _put(self, name, like, shape, count, what, f, b, unit):
        key = (name, like, shape, round(f, 3), round(b, 3))
        if key in self.k:
            e = self.k[key]
            e["count"] += count
            if what not in e["what"]:
                e["what"].append(what)
        else:
            self.k[key] = {"name": name, "like": like, "shape": shape, "count": count, "what": [what],
                           "flops": f, "bytes": b}

    def scale(self, factor):
        for e in self.k.values():
            e["count"] *= factor

    def totals(self):
        f = sum(e["count"] * e["flops"] for e in self.k.values())
        b = sum(e["count"] * e["bytes"] for e in self.k.values())
        return f, b


def fmt(v):
    s = "%.10g" % v
    return s if any(c in s for c in ".en") else s + ".0"


def write(name, title, derivation, step_text, arch, min_gpus, memory_gb, scaling, step):
    f, b = step.totals()
    lines = ["# %s.cfg - %s" % (name, title), "#",
             "# Written by models/profiles/gen_profiles.py from the architecture below; edit that",
             "# script and rerun it, not this file. fgsim checks every kernel's FLOPs and bytes",
             "# against its shape and the totals against the kernels when it loads the profile.", "#"]
    for d in derivation:
        lines.append(("# " + d) if d else "#")
    lines.append("#   per step: %.4g FLOPs, %.4g bytes of memory traffic (%.1f FLOPs per byte)" % (f, b, f / b))
    lines += ["format = 1;", 'name = "%s";' % name, 'step = "%s";' % step_text]
    lines.append("architecture = { " + " ".join("%s = %s;" % (k, fmt(v) if isinstance(v, float) else v)
                                               for k, v in arch.items()) + " };")
    lines += ["min_gpus = %d;" % min_gpus, "memory_gb = %s;" % fmt(memory_gb),
              "scaling_efficiency = %s;" % fmt(scaling),
              "flops_per_step = %s;" % fmt(f), "bytes_per_step = %s;" % fmt(b), "kernels = ("]
    entries = list(step.k.values())
    for i, e in enumerate(entries):
        what = "; ".join(e["what"])
        if len(what) > 95:
            what = what[:92] + "..."
        parts = ['name = "%s";' % e["name"]]
        if e["like"]:
            parts.append('like = "%s";' % e["like"])
        if e["shape"]:
            parts.append('shape = "%s";' % e["shape"])
        parts.append("count = %s;" % fmt(e["count"]))
        if e["like"]:
            parts.append("flops = %s; bytes = %s;" % (fmt(e["flops"]), fmt(e["bytes"])))
        parts.append('what = "%s";' % what)
        lines.append("  { " + " ".join(parts) + " }" + ("," if i + 1 < len(entries) else ""))
    lines.append(");")
    path = os.path.join(HERE, name + ".cfg")
    with open(path + ".tmp", "w") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)
    print("%s: %d kernels, %.4g FLOPs, %.4g bytes per step" % (path, len(entries), f, b))


# ---- transformers (Llama 2: Touvron et al. 2023, arXiv:2307.09288) -----------------------

LLAMA7B = OrderedDict(layers=32, hidden=4096, heads=32, kv_heads=32, head_dim=128, intermediate=11008,
                      vocab=32000, params=6.74e9)
LLAMA70B = OrderedDict(layers=80, hidden=8192, heads=64, kv_heads=8, head_dim=128, intermediate=28672,
                       vocab=32000, params=68.98e9)


def llama_layer_fwd(s, a, batch, seq, naive=False, count=1.0):
    """One transformer layer forward over batch x seq tokens (prefill or training)."""
    t = batch * seq
    h, ff = a["hidden"], a["intermediate"]
    qkv = h + 2 * a["kv_heads"] * a["head_dim"]
    norm = "layernorm_unfused_bf16" if naive else "layernorm_fused_bf16"
    s.add(norm, (t, h), 2 * count, "RMSNorm before attention and MLP")
    s.add("gemm_bf16", (t, qkv, h), count, "QKV projection")
    rope_el = t * (h + a["kv_heads"] * a["head_dim"])
    s.like("rope", "triad_fp32", count, "rotary embedding of q and k", 3 * rope_el, 4 * rope_el)
    attn = "attention_naive_bf16" if naive else "attention_tiled_bf16"
    s.add(attn, (batch, a["heads"], seq, a["head_dim"]), count, "causal self-attention")
    s.add("gemm_bf16", (t, h, h), count, "attention output projection")
    s.like("residual_add", "triad_fp32", 2 * count, "residual adds", t * h, 6 * t * h)
    s.add("gemm_bf16", (t, 2 * ff, h), count, "MLP gate and up projections (SwiGLU)")
    s.like("silu_mul", "triad_fp32", count, "SiLU(gate) x up", 5 * t * ff, 6 * t * ff)
    s.add("gemm_bf16", (t, h, ff), count, "MLP down projection")


def llama_layer_bwd(s, a, batch, seq, weight_grads=True, count=1.0):
    """One layer backward: input gradients of every GEMM (and weight gradients when the
    weights train), FlashAttention-2 backward (5 matmuls to the forward's 2: 2.5x the
    FLOPs, Dao 2023), norm and element-wise backward passes."""
    t = batch * seq
    h, ff = a["hidden"], a["intermediate"]
    qkv = h + 2 * a["kv_heads"] * a["head_dim"]
    for n_out, k_in, what in ((qkv, h, "QKV"), (h, h, "attention output"), (2 * ff, h, "gate and up"),
                              (h, ff, "down")):
        s.add("gemm_bf16", (t, k_in, n_out), count, what + " input gradient")
        if weight_grads:
            s.add("gemm_bf16", (k_in, n_out, t), count, what + " weight gradient")
    fa, ba = attn_tiled(batch, a["heads"], seq, a["head_dim"])
    s.like("attention_bwd", "attention_tiled_bf16", count, "FlashAttention-2 backward (2.5x forward FLOPs)",
           2.5 * fa, 2 * ba, (batch, a["heads"], seq, a["head_dim"]))
    fn, bn = layernorm_fused(t, h)
    s.like("rmsnorm_bwd", "layernorm_fused_bf16", 2 * count, "RMSNorm backward", 2 * fn, 1.5 * bn, (t, h))
    rope_el = t * (h + a["kv_heads"] * a["head_dim"])
    s.like("rope_bwd", "triad_fp32", count, "rotary embedding backward", 3 * rope_el, 4 * rope_el)
    s.like("silu_mul_bwd", "triad_fp32", count, "SiLU(gate) x up backward", 8 * t * ff, 10 * t * ff)
    s.like("residual_bwd", "triad_fp32", 2 * count, "residual gradient adds", t * h, 6 * t * h)


def llm_7b_decode():
    a = LLAMA7B
    batch, ctx = 16, 512
    h, ff, L, v = a["hidden"], a["intermediate"], a["layers"], a["vocab"]
    s = Step()
    s.add("layernorm_fused_bf16", (batch, h), 2 * L + 1, "RMSNorm (2 a layer and the final one)")
    s.add("gemv_bf16", (batch, 3 * h, h), L, "QKV projection")
    s.like("rope", "triad_fp32", L, "rotary embedding of q and k", 3 * batch * 2 * h, 4 * batch * 2 * h)
    s.like("kv_append", "triad_fp32", L, "append k and v to the KV cache", 0, 2 * 2 * batch * h * 2)
    kv_bytes = 2 * batch * ctx * h * 2  # k and v of every cached token, BF16
    s.like("attention_decode", "triad_fp32", L, "decode attention over the KV cache (reads it once)",
           4 * batch * a["heads"] * ctx * a["head_dim"], kv_bytes + 2 * batch * h * 2)
    s.add("gemv_bf16", (batch, h, h), L, "attention output projection")
    s.like("residual_add", "triad_fp32", 2 * L, "residual adds", batch * h, 6 * batch * h)
    s.add("gemv_bf16", (batch, 2 * ff, h), L, "MLP gate and up projections")
    s.like("silu_mul", "triad_fp32", L, "SiLU(gate) x up", 5 * batch * ff, 6 * batch * ff)
    s.add("gemv_bf16", (batch, h, ff), L, "MLP down projection")
    s.add("gemv_bf16", (batch, v, h), 1, "LM head")
    s.add("softmax_bf16", (batch, v), 1, "next-token distribution")
    s.like("embedding", "triad_fp32", 1, "token embedding lookup", 0, 2 * batch * h * 2)
    weights = a["params"] * 2 / 1e9
    kv = L * kv_bytes / 1e9
    mem = weights + kv + 1.0
    write("llm-7b-decode", "one decode step of a 7B Llama-style model: 16 sequences, one new token each",
          ["Model: Llama-2-7B (Touvron et al. 2023): 32 layers, hidden 4096, 32 heads of 128, SwiGLU",
           "  MLP of 11008, vocabulary 32000, 6.74e9 parameters, BF16 weights and KV cache.",
           "Step: one token for each of 16 sequences (continuous batching) whose KV cache holds",
           "  512 tokens on average. Per layer: RMSNorm, QKV GEMV 16x12288x4096, RoPE, decode",
           "  attention reading the layer's KV cache (2 x 16 x 512 x 4096 x 2 B = 134 MB), output",
           "  GEMV 16x4096x4096, residual, RMSNorm, gate+up GEMV 16x22016x4096, SiLU x up, down",
           "  GEMV 16x4096x11008, residual; then final norm, LM head 16x32000x4096, softmax.",
           "  Weights are read once per step (13.5 GB), the KV cache once (4.3 GB): decode is",
           "  bandwidth-bound, 2 x 16 FLOPs per 2-byte weight, far below an H100's ridge of ~300.",
           "Memory: %.1f GB weights + %.1f GB KV cache + 1 GB activations and workspace = %.1f GB."
           % (weights, kv, mem),
           "Multi-GPU (tensor parallel): efficiency 0.8 per GPU, assumed (all-reduces twice a layer)."],
          "one decode iteration: 16 sequences x 1 token at a mean context of 512",
          OrderedDict(list(a.items()) + [("batch", batch), ("context", ctx)]), 1, mem, 0.8, s)


def llm_7b_prefill(naive=False):
    a = LLAMA7B
    batch, seq = 2, 2048
    s = Step()
    llama_layer_fwd(s, a, batch, seq, naive, a["layers"])
    h, L = a["hidden"], a["layers"]
    t = batch * seq
    s.like("kv_write", "triad_fp32", L, "write k and v into the KV cache", 0, 2 * 2 * t * h * 2)
    s.add("layernorm_unfused_bf16" if naive else "layernorm_fused_bf16", (batch, h), 1, "final RMSNorm (last tokens)")
    s.add("gemv_bf16", (batch, a["vocab"], h), 1, "LM head on each prompt's last token")
    s.add("softmax_bf16", (batch, a["vocab"]), 1, "first-token distribution")
    weights = a["params"] * 2 / 1e9
    kv = L * 2 * t * h * 2 / 1e9
    mem = weights + kv + 2.0
    name = "llm-7b-prefill-naive" if naive else "llm-7b-prefill"
    variant = ("plain kernels: attention with the score matrix in memory (cuBLAS + softmax + cuBLAS), "
               "layer-norm in three kernels") if naive else "fused kernels: tiled attention, one-kernel layer-norm"
    write(name, "prefill of two 2048-token prompts on a 7B Llama-style model, " + variant,
          ["Model: Llama-2-7B (Touvron et al. 2023): 32 layers, hidden 4096, 32 heads of 128, SwiGLU",
           "  MLP of 11008, vocabulary 32000, 6.74e9 parameters, BF16.",
           "Step: the prompt pass of 2 prompts x 2048 tokens = 4096 tokens. Per layer: RMSNorm,",
           "  QKV GEMM 4096x12288x4096, RoPE, causal attention 2x32x2048x128, output GEMM",
           "  4096x4096x4096, residual, RMSNorm, gate+up GEMM 4096x22016x4096, SiLU x up, down GEMM",
           "  4096x4096x11008, residual, KV-cache write; then the LM head on the 2 last tokens.",
           "  GEMM FLOPs = 2 x 4096 tokens x 6.5e9 weights in the layers = 5.3e13, about 2 P T.",
           "Variant: " + variant + " (the pair llm-7b-prefill / llm-7b-prefill-naive shows what",
           "  the fused kernels buy; scenarios/kernel-variants.md).",
           "Memory: %.1f GB weights + %.1f GB KV cache + 2 GB activations = %.1f GB." % (weights, kv, mem),
           "Multi-GPU (tensor parallel): efficiency 0.85 per GPU, assumed."],
          "one prefill: 2 prompts x 2048 tokens", OrderedDict(list(a.items()) + [("batch", batch), ("seq", seq)]),
          1, mem, 0.85, s)


def llm_7b_finetune():
    a = LLAMA7B
    batch, seq, micro = 2, 2048, 8
    s = Step()
    L, h, v = a["layers"], a["hidden"], a["vocab"]
    t = batch * seq
    llama_layer_fwd(s, a, batch, seq, False, L)
    llama_layer_bwd(s, a, batch, seq, True, L)
    s.add("layernorm_fused_bf16", (t, h), 1, "final RMSNorm")
    s.add("gemm_bf16", (t, v, h), 1, "LM head forward")
    s.add("softmax_bf16", (t, v), 1, "cross-entropy softmax")
    s.like("cross_entropy_bwd", "triad_fp32", 1, "cross-entropy backward", 2 * t * v, 4 * t * v)
    s.add("gemm_bf16", (t, h, v), 1, "LM head input gradient")
    s.add("gemm_bf16", (h, v, t), 1, "LM head weight gradient")
    s.scale(micro)
    p = a["params"]
    s.like("adamw", "triad_fp32", 1, "AdamW update of every parameter (FP32 master, m, v; BF16 copy)",
           12 * p, 28 * p)
    states = 16 * p / 1e9
    act = 34 * seq * batch * h * L / 1e9  # Korthikanti et al. 2022, 16-bit, FlashAttention
    mem = states + 2 * act
    write("llm-7b-finetune", "one optimizer step of a full fine-tune of a 7B Llama-style model",
          ["Model: Llama-2-7B (Touvron et al. 2023): 32 layers, hidden 4096, 32 heads of 128, SwiGLU",
           "  MLP of 11008, vocabulary 32000, 6.74e9 parameters.",
           "Step: one AdamW step over a global batch of 16 sequences x 2048 tokens = 32768 tokens,",
           "  as 8 micro-batches of 2 x 2048 = 4096 tokens: BF16 mixed precision, no recomputation.",
           "  Per micro-batch and layer: the prefill layer forward (llm-7b-prefill), then backward:",
           "  input and weight gradients of the four GEMMs (QKV 4096x4096x12288 and 4096x12288x4096,",
           "  ...), FlashAttention-2 backward (2.5x the forward FLOPs, Dao 2023), RMSNorm, RoPE,",
           "  SiLU and residual backward. Then LM head and cross-entropy, and one AdamW update at",
           "  28 bytes a parameter. GEMM FLOPs = 6 x 32768 tokens x 6.5e9 = 1.3e15, the usual 6 P T.",
           "Memory over all GPUs (FSDP / ZeRO-3): 16 B a parameter (BF16 weights and gradients, FP32",
           "  master, m and v) = %.0f GB, plus activations of one micro-batch, 34 s b h L bytes" % states,
           "  (Korthikanti et al. 2022, with FlashAttention) = %.1f GB on each of 2 GPUs: %.0f GB." % (act, mem),
           "  Parameter gathering and gradient reduction are not kernels here: they are what the",
           "  multi-GPU efficiency of 0.85 per GPU (assumed, data parallel over NVLink) stands for."],
          "one optimizer step: 8 micro-batches of 2 x 2048 tokens",
          OrderedDict(list(a.items()) + [("micro_batch", batch), ("seq", seq), ("micro_batches", micro)]),
          2, mem, 0.85, s)


def llm_70b_finetune():
    a = LLAMA70B
    batch, seq, micro = 1, 4096, 8
    s = Step()
    L, h, v = a["layers"], a["hidden"], a["vocab"]
    t = batch * seq
    llama_layer_fwd(s, a, batch, seq, False, 2 * L)  # forward, and again when recomputing
    llama_layer_bwd(s, a, batch, seq, False, L)
    s.add("layernorm_fused_bf16", (t, h), 1, "final RMSNorm")
    s.add("gemm_bf16", (t, v, h), 1, "LM head forward")
    s.add("softmax_bf16", (t, v), 1, "cross-entropy softmax")
    s.like("cross_entropy_bwd", "triad_fp32", 1, "cross-entropy backward", 2 * t * v, 4 * t * v)
    s.add("gemm_bf16", (t, h, v), 1, "LM head input gradient")
    s.scale(micro)
    rank = 16
    lora = L * 4 * rank * (h + h)  # q, k, v, o adapters: A (h x r) and B (r x h)
    s.like("adamw", "triad_fp32", 1, "AdamW update of the LoRA adapters", 12 * lora, 28 * lora)
    weights = a["params"] * 2 / 1e9
    ckpt = L * t * h * 2 / 1e9
    mem = weights + 8 * (ckpt + 10.0)
    write("llm-70b-finetune", "one optimizer step of a LoRA fine-tune of a 70B Llama-style model on 8 GPUs",
          ["Model: Llama-2-70B (Touvron et al. 2023): 80 layers, hidden 8192, 64 query heads and 8",
           "  key-value heads of 128 (GQA, so QKV is 8192 -> 10240), SwiGLU MLP of 28672, vocabulary",
           "  32000, 6.9e10 parameters, frozen BF16 weights; LoRA rank 16 on q, k, v, o (%.3g" % lora,
           "  trainable parameters; their matmuls add under 0.5%% of the FLOPs and are left out).",
           "Step: one AdamW step over 8 sequences x 4096 tokens = 32768 tokens, as 8 micro-batches of",
           "  one sequence, with activation checkpointing: each layer runs forward twice (the second",
           "  time inside backward) and backward computes input gradients only (frozen weights).",
           "  Per micro-batch and layer: QKV GEMM 4096x10240x8192, attention 1x64x4096x128, output",
           "  4096x8192x8192, gate+up 4096x57344x8192, down 4096x8192x28672, and their input",
           "  gradients; FlashAttention-2 backward at 2.5x forward FLOPs. GEMM FLOPs about",
           "  3 x 2 P T = 1.35e16 a step: some 17 s on one H100 at 80% of peak, 2.5 s on eight.",
           "Memory over the 8 GPUs (FSDP): %.0f GB of weights + per GPU %.1f GB of checkpoints and"
           % (weights, ckpt),
           "  about 10 GB of working activations = %.0f GB. The step is the work of all 8 GPUs; the" % mem,
           "  service model divides it by n x 0.85 (assumed efficiency of FSDP over NVLink)."],
          "one optimizer step: 8 micro-batches of 1 x 4096 tokens, checkpointed",
          OrderedDict(list(a.items()) + [("micro_batch", batch), ("seq", seq), ("micro_batches", micro),
                                         ("lora_rank", rank)]),
          8, mem, 0.85, s)


# ---- ResNet-50 (He et al. 2016), v1.5 -------------------------------------------------------

def conv(s, n, cin, cout, k, stride, hin, what, train=True, count=1.0):
    """A convolution as the implicit GEMM cuDNN runs (Chetlur et al. 2014): forward
    M = N Ho Wo, N = Cout, K = Cin k k; backward data as dY W^T, M = N Ho Wo, N = Cin k k,
    K = Cout (then col2im), the forward's FLOPs at any stride; backward filter M = Cout,
    N = Cin k k, K = N Ho Wo. Its bytes are those of the explicit GEMM, an upper bound for
    a k > 1 convolution, whose input is read about once."""
    ho = hin // stride
    s.add("gemm_bf16", (n * ho * ho, cout, cin * k * k), count, what + " forward")
    if train:
        s.add("gemm_bf16", (n * ho * ho, cin * k * k, cout), count, what + " data gradient")
        s.add("gemm_bf16", (cout, cin * k * k, n * ho * ho), count, what + " filter gradient")
    return ho


def bn_relu(s, n, c, hw, train, count=1.0, relu=True):
    el = n * c * hw * hw
    s.like("batchnorm_relu" if relu else "batchnorm", "triad_fp32", count,
           "batch norm%s (statistics pass and apply)" % (" + ReLU" if relu else ""), 8 * el, 6 * el)
    if train:
        s.like("batchnorm_relu_bwd", "triad_fp32", count, "batch norm%s backward" % (" + ReLU" if relu else ""),
               10 * el, 10 * el)
    return el


def resnet50_train():
    n = 256
    s = Step()
    act = 0.0
    hw = conv(s, n, 3, 64, 7, 2, 224, "conv1 7x7")
    act += bn_relu(s, n, 64, hw, True)
    el = n * 64 * 56 * 56
    s.like("maxpool", "triad_fp32", 1, "max pool 3x3 stride 2", 9 * el, 2 * (4 * el + el))
    s.like("maxpool_bwd", "triad_fp32", 1, "max pool backward", el, 2 * (el + 4 * el + 4 * el))
    hw, cin = 56, 64
    for width, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        cout = 4 * width
        for b in range(blocks):
            st = stride if b == 0 else 1
            tag = "stage %d" % {64: 1, 128: 2, 256: 3, 512: 4}[width]
            conv(s, n, cin, width, 1, 1, hw, tag + " 1x1 reduce")
            act += bn_relu(s, n, width, hw, True)
            h2 = conv(s, n, width, width, 3, st, hw, tag + " 3x3")
            act += bn_relu(s, n, width, h2, True)
            conv(s, n, width, cout, 1, 1, h2, tag + " 1x1 expand")
            act += bn_relu(s, n, cout, h2, True, relu=False)
            if b == 0:
                conv(s, n, cin, cout, 1, st, hw, tag + " 1x1 projection shortcut")
                act += bn_relu(s, n, cout, h2, True, relu=False)
            el = n * cout * h2 * h2
            s.like("residual_relu", "triad_fp32", 1, "residual add + ReLU", 2 * el, 6 * el)
            s.like("residual_relu_bwd", "triad_fp32", 1, "residual add + ReLU backward", el, 8 * el)
            act += el
            hw, cin = h2, cout
    el = n * 2048 * 7 * 7
    s.like("avgpool", "triad_fp32", 1, "global average pool and its backward", 2 * el, 4 * el)
    s.add("gemm_bf16", (n, 1000, 2048), 1, "fully connected forward")
    s.add("gemm_bf16", (n, 2048, 1000), 1, "fully connected data gradient")
    s.add("gemm_bf16", (1000, 2048, n), 1, "fully connected filter gradient")
    s.like("softmax_xent", "softmax_bf16", 1, "softmax cross-entropy and its backward", 7 * n * 1000, 8 * n * 1000,
           (n, 1000))
    params = 25.557e6
    s.like("sgd", "triad_fp32", 1, "SGD with momentum on FP32 master weights", 4 * params, 18 * params)
    f, _ = s.totals()
    mem = act * 2 * 2 / 1e9 + 2.0
    write("resnet50-train", "one training step of ResNet-50 on 256 images of 224x224",
          ["Model: ResNet-50 v1.5 (He et al. 2016; stride on the 3x3 convolution, as in NVIDIA's",
           "  DeepLearningExamples): conv1 7x7/2, max pool, bottleneck stages of 3, 4, 6, 3 blocks at",
           "  widths 64, 128, 256, 512 (outputs 4x), 25.6e6 parameters, 4.1e9 multiply-adds an image.",
           "Step: forward and backward over a batch of 256 images at 224x224 in BF16 with FP32",
           "  master weights, then SGD with momentum. Each convolution is the implicit GEMM cuDNN",
           "  runs (forward M = N Ho Wo, N = Cout, K = Cin k k; data gradient dY W^T then col2im;",
           "  filter gradient M = Cout, N = Cin k k, K = N Ho Wo),",
           "  priced as gemm_bf16 at that shape; its bytes are the explicit GEMM's, an upper bound.",
           "  Batch norm + ReLU, residual adds and pooling are element-wise, priced like triad.",
           "  FLOPs: %.3g a step, 3 x 2 x 4.1e9 x 256 = 6.3e12 expected. Data loading and" % f,
           "  augmentation run on the host and are left out.",
           "Memory: activations kept for backward (%.1f GB in BF16, two tensors per layer) + 2 GB"
           % (act * 2 * 2 / 1e9),
           "  of weights, optimizer state and workspace = %.1f GB." % mem,
           "Multi-GPU (data parallel): efficiency 0.9 per GPU, assumed (gradient all-reduce)."],
          "one training step: 256 images of 224x224, forward, backward, SGD",
          OrderedDict([("layers", 50), ("params", params), ("batch", n), ("image", 224)]), 1, mem, 0.9, s)


# ---- SDXL (Podell et al. 2023), base UNet ------------------------------------------------

def sdxl_inference():
    b = 2  # classifier-free guidance: conditional and unconditional in one batch
    ctx, ctx_dim = 77, 2048
    s = Step()

    def gn_silu(c, hw, what="GroupNorm + SiLU"):
        el = b * c * hw * hw
        s.like("groupnorm_silu", "triad_fp32", 1, what, 10 * el, 6 * el)

    def conv3(cin, cout, hw, what, stride=1):
        ho = hw // stride
        s.add("gemm_bf16", (b * ho * ho, cout, cin * 9), 1, what)

    def resnet(cin, cout, hw):
        gn_silu(cin, hw)
        conv3(cin, cout, hw, "ResNet 3x3 convolutions")
        gn_silu(cout, hw)
        conv3(cout, cout, hw, "ResNet 3x3 convolutions")
        if cin != cout:
            s.add("gemm_bf16", (b * hw * hw, cout, cin), 1, "ResNet 1x1 shortcut")
        el = b * cout * hw * hw
        s.like("residual_add", "triad_fp32", 1, "residual adds", el, 6 * el)

    def transformer(c, hw, depth):
        tok = hw * hw
        m = b * tok
        heads = c // 64
        gn_silu(c, hw, "GroupNorm before the transformer")
        s.add("gemm_bf16", (m, c, c), 2, "transformer proj_in and proj_out")
        for _ in range(depth):
            fn, bn = layernorm_fused(m, c)
            s.like("layernorm", "layernorm_fused_bf16", 3, "LayerNorm (3 a block)", fn, bn, (m, c))
            s.add("gemm_bf16", (m, 3 * c, c), 1, "self-attention QKV")
            f = 4.0 * b * heads * tok * tok * 64 + 5.0 * b * heads * tok * tok
            s.like("self_attention", "attention_tiled_bf16", 1, "self-attention over all latent tokens (not causal)",
                   f, 8.0 * b * heads * tok * 64, (b, heads, tok, 64))
            s.add("gemm_bf16", (m, c, c), 2, "attention output projections")
            s.add("gemm_bf16", (m, c, c), 1, "cross-attention Q")
            s.add("gemm_bf16", (b * ctx, 2 * c, ctx_dim), 1, "cross-attention K and V from the text")
            f = 4.0 * b * heads * tok * ctx * 64 + 5.0 * b * heads * tok * ctx
            s.like("cross_attention", "attention_tiled_bf16", 1, "cross-attention to 77 text tokens", f,
                   2.0 * (2 * m * c + 2 * b * ctx * c))
            s.add("gemm_bf16", (m, 8 * c, c), 1, "feed-forward GEGLU in (C -> 2 x 4C)")
            s.like("geglu", "triad_fp32", 1, "GELU(gate) x value", 8 * m * 4 * c, 6 * m * 4 * c)
            s.add("gemm_bf16", (m, c, 4 * c), 1, "feed-forward out (4C -> C)")
            s.like("residual_add", "triad_fp32", 3, "residual adds", m * c, 6 * m * c)

    hw = 128
    s.add("gemm_bf16", (b * hw * hw, 320, 4 * 9), 1, "conv_in 3x3 4 -> 320")
    # Down: (channels, transformer depth) per block; the last block does not downsample.
    cin = 320
    for i, (c, depth) in enumerate(((320, 0), (640, 2), (1280, 10))):
        for _ in range(2):
            resnet(cin, c, hw)
            if depth:
                transformer(c, hw, depth)
            cin = c
        if i < 2:
            conv3(c, c, hw, "downsample 3x3 stride 2", 2)
            hw //= 2
    resnet(1280, 1280, hw)
    transformer(1280, hw, 10)
    resnet(1280, 1280, hw)
    # Up: three ResNets a block, each taking a skip connection (channels of the skip).
    skips = {0: (1280, 1280, 640), 1: (640, 640, 320), 2: (320, 320, 320)}
    prev = 1280
    for i, (c, depth) in enumerate(((1280, 10), (640, 2), (320, 0))):
        for sk in skips[i]:
            s.like("concat", "triad_fp32", 1, "skip concatenation", 0, 4 * b * (prev + sk) * hw * hw)
            resnet(prev + sk, c, hw)
            if depth:
                transformer(c, hw, depth)
            prev = c
        if i < 2:
            el = b * c * (2 * hw) ** 2
            s.like("upsample", "triad_fp32", 1, "nearest upsample x2", 0, 2 * (el // 4 + el))
            hw *= 2
            conv3(c, c, hw, "upsample 3x3 convolution")
    gn_silu(320, hw)
    s.add("gemm_bf16", (b * hw * hw, 4, 320 * 9), 1, "conv_out 3x3 320 -> 4")
    f, _ = s.totals()
    params = 2.567e9
    mem = params * 2 / 1e9 + 1.6 + 0.2 + 3.0
    write("sdxl-inference", "one denoising step of the SDXL base UNet at 1024x1024 with guidance",
          ["Model: SDXL base 1.0 UNet (Podell et al. 2023; diffusers UNet2DConditionModel config):",
           "  latent 128x128x4, block channels 320, 640, 1280, two ResNets a down block and three an",
           "  up block, transformer depth 0, 2, 10 (mid block 10), attention heads of 64, text",
           "  context 77 tokens of 2048, 2.57e9 parameters, BF16.",
           "Step: one UNet evaluation on a batch of 2 (conditional and unconditional, classifier-free",
           "  guidance) of one 1024x1024 image. Convolutions as implicit GEMMs (see resnet50-train),",
           "  self-attention over 4096 tokens (64x64) and 1024 tokens (32x32), cross-attention to",
           "  the 77 text tokens, GEGLU feed-forward, GroupNorm + SiLU, LayerNorm, residual adds.",
           "  Attention is not causal here: it is priced like the tiled kernel at its own FLOPs.",
           "  FLOPs: %.3g a step. Text encoders (once a job) and the VAE decoder (once an image)" % f,
           "  are not steps and are left out; the time embedding and scheduler update are tiny.",
           "Memory: %.1f GB UNet + 1.6 GB text encoders + 0.2 GB VAE + 3 GB activations = %.1f GB."
           % (params * 2 / 1e9, mem),
           "Multi-GPU: images are independent; efficiency 0.95 per GPU, assumed."],
          "one denoising step: UNet on a batch of 2 at 128x128 latents (1024x1024 image)",
          OrderedDict([("params", params), ("latent", 128), ("channels", "[320, 640, 1280]"),
                       ("transformer_depth", "[0, 2, 10]"), ("context", ctx), ("batch", b)]), 1, mem, 0.95, s)


if __name__ == "__main__":
    llm_7b_decode()
    llm_7b_prefill()
    llm_7b_prefill(naive=True)
    llm_7b_finetune()
    llm_70b_finetune()
    resnet50_train()
    sdxl_inference()
