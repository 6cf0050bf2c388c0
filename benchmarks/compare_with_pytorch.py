#!/usr/bin/python3
"""Rewind vs PyTorch on the reference config, same data, same run.

For each surrogate and T: Rewind writes its benchmark problem (parameters, inputs, labels) and its
store-all gradient; PyTorch (benchmarks/pytorch/snn_reference.py) computes the gradient of the same
problem, which is compared tensor by tensor, then times forward+backward on it; finally Rewind's
ForwardBackwardBenchmark times the same problem on 1 and 2 threads (with the Vector API kernel).
Prints one table with the ratios; the main ratio is both on 2 threads.

Run from the repository root (it builds the trainer's test classpath first, offline):

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


def build_classpath():
    subprocess.run(["mvn", "-B", "-o", "-q", "-Dspotless.check.skip=true", "-pl", "trainer", "-am",
                    "test-compile", "dependency:build-classpath", "-DskipTests",
                    "-Dmdep.outputFile=target/cp.txt", "-Dmdep.includeScope=test"],
                   cwd=ROOT, check=True)


def classpath():
    with open(os.path.join(ROOT, "trainer", "target", "cp.txt")) as f:
        deps = f.read().strip()
    return ":".join([os.path.join(ROOT, "trainer", "target", "test-classes"),
                     os.path.join(ROOT, "trainer", "target", "classes"), deps])


def java(main, *args):
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    out = subprocess.run(["java", "-Xmx6g", "--add-modules", "jdk.incubator.vector",
                          "-Dthreads=1,2", "-cp", classpath(), main, *map(str, args)],
                         check=True, capture_output=True, text=True, env=env)
    return out.stdout


def torch(*args, check=True):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    out = subprocess.run(["/usr/bin/python3", SCRIPT, *map(str, args)], check=check,
                         capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(lengths):
    build_classpath()
    rows = []
    rewind_times = {}
    text = java("dev.rewind.trainer.bench.ForwardBackwardBenchmark", *lengths)
    for m in re.finditer(r"surrogate=(\w+) T=(\d+) threads=(\d+) forward\+backward: wall median"
                         r" ([\d.]+) s.*?process CPU median ([\d.]+) s", text):
        kind = "fast_sigmoid" if m.group(1) == "FastSigmoid" else "triangle"
        rewind_times[(kind, int(m.group(2)), int(m.group(3)))] = (float(m.group(4)),
                                                                  float(m.group(5)))
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
            one, _ = rewind_times[(kind, steps, 1)]
            wall, cpu = rewind_times[(kind, steps, 2)]
            rows.append((kind, steps, one, wall, cpu, bench["median_s"], bench["median_cpu_s"],
                         check["ok"], max(r["rel_l2_err"] for r in check["tensors"])))
    print(f"load average: {os.getloadavg()[0]:.2f}, cores: {os.cpu_count()}")
    print("| surrogate | T | Rewind wall s, 1 thread | Rewind wall s, 2 threads"
          " | PyTorch wall s, 2 threads | PyTorch / Rewind (both 2 threads)"
          " | Rewind CPU s | PyTorch CPU s | gradients agree (rtol 1e-3) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, steps, one, wall, cpu, twall, tcpu, ok, err in rows:
        print(f"| {kind} | {steps} | {one:.3f} | {wall:.3f} | {twall:.3f} | {twall / wall:.2f}x"
              f" | {cpu:.3f} | {tcpu:.3f} | {'yes' if ok else 'NO'}"
              f" (largest relative L2 error {err:.2g}) |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 4000])
