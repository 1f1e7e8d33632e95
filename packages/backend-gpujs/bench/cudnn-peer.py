"""cuDNN's throughput on the benchmark grid, through PyTorch, for the real-GPU goal of issue #7.

The gpu.js backend's goal on an NVIDIA GPU is measured against cuDNN on the same GPU. This
script runs PyTorch's nn.RNN (tanh) / nn.GRU / nn.LSTM (cuDNN kernels) on the workloads of
`packages/conformance/src/bench/workloads.ts` and counts FLOPs by the same convention:
per step per batch row 2·(input + hidden)·hidden·G, training (forward + backward) = 3× forward.
Training is forward, loss Σ Y ⊙ G with a fixed G, and backward to every parameter and the
input, as the JavaScript peers do. Times are medians of CUDA-synchronised wall time after
warm-up. It runs twice: PyTorch's defaults (cuDNN may use TF32 tensor cores for float32) and
strict float32 (TF32 off), the precision the gpu.js backend computes in.

Usage: python3 cudnn-peer.py [--json FILE]   (needs PyTorch with CUDA)
"""

import argparse
import json
import statistics
import time

import torch

WORKLOADS = [
    {"name": "latency", "batch": 1, "steps": 100, "inputSize": 32, "hiddenSize": 64},
    {"name": "standard", "batch": 32, "steps": 64, "inputSize": 64, "hiddenSize": 128},
    {"name": "large", "batch": 64, "steps": 128, "inputSize": 128, "hiddenSize": 256},
]
GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def flops(workload, cell, mode):
    per_row = 2 * (workload["inputSize"] + workload["hiddenSize"]) * workload["hiddenSize"] * GATES[cell]
    forward = per_row * workload["steps"] * workload["batch"]
    return 3 * forward if mode == "train" else forward


def make_layer(cell, workload):
    size = (workload["inputSize"], workload["hiddenSize"])
    if cell == "rnn":
        return torch.nn.RNN(*size, nonlinearity="tanh")
    if cell == "gru":
        return torch.nn.GRU(*size)
    return torch.nn.LSTM(*size)


def measure(cell, workload, mode, repetitions=20, warmup=5):
    generator = torch.Generator(device="cpu").manual_seed(1)
    layer = make_layer(cell, workload).cuda()
    shape = (workload["steps"], workload["batch"])
    x = torch.randn(*shape, workload["inputSize"], generator=generator).cuda()
    upstream = torch.randn(*shape, workload["hiddenSize"], generator=generator).cuda()
    if mode == "train":
        x.requires_grad_(True)

    def call():
        if mode == "forward":
            with torch.no_grad():
                layer(x)
            return
        layer.zero_grad(set_to_none=True)
        x.grad = None
        output, _ = layer(x)
        (output * upstream).sum().backward()

    for _ in range(warmup):
        call()
    torch.cuda.synchronize()
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        call()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return {
        "median_ms": median * 1e3,
        "min_ms": min(times) * 1e3,
        "max_ms": max(times) * 1e3,
        "seq_per_s": workload["batch"] / median,
        "gflop_per_s": flops(workload, cell, mode) / median / 1e9,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    assert torch.cuda.is_available(), "needs a CUDA GPU"
    assert torch.backends.cudnn.is_available(), "needs cuDNN"
    device = torch.cuda.get_device_name(0)
    print(f"device {device}, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}")
    rows = []
    for precision, tf32 in (("default (TF32 allowed)", True), ("strict float32", False)):
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cuda.matmul.allow_tf32 = tf32
        for workload in WORKLOADS:
            for cell in GATES:
                for mode in ("forward", "train"):
                    result = measure(cell, workload, mode)
                    row = {"precision": precision, "workload": workload["name"], "cell": cell, "mode": mode}
                    row.update(result)
                    rows.append(row)
                    print(
                        f"{precision:24} {workload['name']:9} {cell:5} {mode:8} "
                        f"{result['median_ms']:9.3f} ms  {result['seq_per_s']:10.1f} seq/s  "
                        f"{result['gflop_per_s']:9.2f} GFLOP/s",
                        flush=True,
                    )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"device": device, "torch": torch.__version__, "results": rows}, handle, indent=1)


if __name__ == "__main__":
    main()
