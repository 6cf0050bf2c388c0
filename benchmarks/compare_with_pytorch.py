#!/usr/bin/python3
"""Rewind vs PyTorch on the reference config, same data, same run.

For each surrogate and T: Rewind writes its benchmark problem (parameters, inputs, labels) and its
store-all gradient; PyTorch (benchmarks/pytorch/snn_reference.py) computes the gradient of the same
problem, which is compared tensor by tensor, then times forward+backward on it; finally Rewind's
ForwardBackwardBenchmark times the same problem. Prints one table with the ratios.

Run from the repository root after
`mvn -B -o -q -pl trainer -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt`:

    /usr/bin/python3 benchmarks/compare_with_pytorch.py 1000 4000
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "benchmarks", "pytorch", "snn_reference.py")


def classpath():
    with open(os.path.join(ROOT, "trainer", "target", "cp.txt")) as f:
        deps = f.read().strip()
    return ":".join([os.path.join(ROOT, "trainer", "target", "test-classes"),
                     os.path.join(ROOT, "trainer", "target", "classes"), deps])


def java(main, *args):
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    out = subprocess.run(["java", "-Xmx6g", "-cp", classpath(), main, *map(str, args)],
                         check=True, capture_output=True, text=True, env=env)
    return out.stdout


def torch(*args, check=True):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    out = subprocess.run(["/usr/bin/python3", SCRIPT, *map(str, args)], check=check,
                         capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(lengths):
    rows = []
    rewind_times = {}
    text = java("dev.rewind.trainer.bench.ForwardBackwardBenchmark", *lengths)
    for m in re.finditer(r"surrogate=(\w+) T=(\d+) forward\+backward: wall median ([\d.]+) s"
                         r".*?thread CPU median ([\d.]+) s", text):
        kind = "fast_sigmoid" if m.group(1) == "FastSigmoid" else "triangle"
        rewind_times[(kind, int(m.group(2)))] = (float(m.group(3)), float(m.group(4)))
    for kind in ("fast_sigmoid", "triangle"):
        for steps in lengths:
            with tempfile.TemporaryDirectory() as d:
                java("dev.rewind.trainer.bench.ReferenceProblemExport", d, steps, kind)
                files = ["--config", f"{d}/model.json", "--params", f"{d}/params",
                         "--inputs", f"{d}/inputs.npy", "--labels", f"{d}/labels.npy"]
                torch("grad", *files, "--out", f"{d}/torch-grad")
                for extra in ("loss.npy", "logits.npy"):  # outputs, not parameter gradients
                    os.remove(f"{d}/torch-grad/{extra}")
                check = torch("compare", "--expected", f"{d}/torch-grad", "--actual", f"{d}/grad",
                              "--rtol", "1e-3", check=False)
                reps = 5 if steps <= 1000 else 3
                bench = torch("bench", *files, "--reps", reps, "--warmup", 1, "--threads", 2)
            wall, cpu = rewind_times[(kind, steps)]
            rows.append((kind, steps, wall, cpu, bench["median_s"], bench["median_cpu_s"],
                         check["ok"], max(r["rel_l2_err"] for r in check["tensors"])))
    print(f"load average: {os.getloadavg()[0]:.2f}, cores: {os.cpu_count()}")
    print("| surrogate | T | Rewind wall s | PyTorch wall s (2 threads) | PyTorch / Rewind wall"
          " | Rewind CPU s | PyTorch CPU s | gradients agree (rtol 1e-3) |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, steps, wall, cpu, twall, tcpu, ok, err in rows:
        print(f"| {kind} | {steps} | {wall:.3f} | {twall:.3f} | {twall / wall:.2f}x | {cpu:.3f}"
              f" | {tcpu:.3f} | {'yes' if ok else 'NO'} (largest relative L2 error {err:.2g}) |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 4000])
