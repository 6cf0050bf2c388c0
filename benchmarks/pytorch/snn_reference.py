#!/usr/bin/python3
"""PyTorch reference of Rewind's LIF spiking network (/work/shared/MODEL_SPEC.md, "LIF-SNN v1").

An independent implementation of the model Rewind trains, used to cross-check Rewind's loss and
gradients and to time PyTorch on the same configuration. It uses Debian's PyTorch, so run it with
/usr/bin/python3 (apt-get install python3-torch python3-numpy).

Model (per MODEL_SPEC.md), batch B, time steps t = 1..T, s^0_t = x_t:
    c_t = W_l s^{l-1}_t + R_l s^l_{t-1} + b_l        (R_l only for recurrent layers)
    v_t = beta_l v_{t-1} + (1 - beta_l) c_t - theta s^l_{t-1}   (reset term detached)
    s^l_t = H(v_t - theta), H(0) = 0, surrogate ds/dv as configured
    ALIF layers (MODEL_SPEC v2, "kappa" > 0 and "rho" in the layer's JSON): a_t = rho a_{t-1} +
    (1 - rho) s_{t-1}, A_t = theta + kappa a_t replaces theta in the reset and the spike
    u_t = beta_o u_{t-1} + (1 - beta_o) (W_o s^L_t + b_o),  logits = mean_t u_t
    trainable time constants (MODEL_SPEC v2, a layer's "trainTau", the config's
    "trainReadoutTau"): beta_i = sigmoid(q_i), rho_i = sigmoid(p_i), beta_o,c = sigmoid(qo_c),
    with q_l, p_l (ALIF layers) and qo tensors in the parameter folder
    (MODEL_SPEC v2 loss head "last:K", the config's "loss": logits = mean of u_t over t > T - K;
     "per-step": labels [T][B], -1 for none; loss = mean over labelled (t, b) of CE(u_t, y_t);
     "regression": targets [T][B][C], NaN for none; loss = mean over targeted (t, b, c) of
     (u_t[c] - z_t[c])^2 / 2)
    loss = mean over the batch of softmax cross-entropy(logits, label)
The input projection W_l s^{l-1}_t + b_l of a layer is computed for all t as one matrix product
(layer-major order); the result is the same function, computed faster.

Model config JSON, the schema of Rewind's ModelConfig.toJson() (every key but "beta", "theta"
and "betaOut" required; unknown keys are rejected):
    {"inputSize": 128,
     "layers": [{"size": 512, "recurrent": true, "beta": 0.951229424500714},   beta optional,
                {"size": 512, "recurrent": false}],                            default exp(-1/20)
     "classes": 10,
     "surrogate": {"kind": "fast_sigmoid", "gamma": 10.0}   or   {"kind": "triangle", "width": 0.5},
     "theta": 1.0,                                      optional, default 1
     "betaOut": 0.951229424500714,                      optional, default exp(-1/20)
     "loss": "last:25",     optional: "mean" (default), "last:K", "per-step" or "regression"
     "trainReadoutTau": true}                optional, and "trainTau": true in a layer
fast_sigmoid: ds/dv = 1 / (1 + gamma |v - theta|)^2.  triangle: ds/dv = max(0, 1 - |v - theta| / w) / w.

Files (NumPy .npy, C order, little-endian):
    parameter folder: W1, R1 (recurrent layers only), b1, W2, ..., Wo, bo (<name>.npy, float32
        or float64); W_l is N_l x N_{l-1}, R_l is N_l x N_l, b_l is N_l, Wo is C x N_L, bo is C;
        q_l and p_l are N_l and qo is C where those time constants are trainable.
        Every expected file must be present and no other .npy file may be.
    inputs.npy: [T][B][N0] float32 (float64 accepted).   labels.npy: [B] int32 (int64 accepted),
        [T][B] for the per-step head, -1 where a step has no label; for the regression head the
        labels file holds targets [T][B][C] float32 (float64 accepted), NaN where there are none.

Modes:
    grad     --config C --params DIR --inputs F --labels F --out DIR [--dtype float32|float64]
             Writes to DIR: loss.npy (0-d), logits.npy [B][C] ([T][B][C] per-step and regression), and one
             gradient per parameter under the parameter's own name (W1.npy, R1.npy, ..., bo.npy), in the compute dtype.
    bench    --T N [--surrogate fast_sigmoid|triangle] [--config C] [--batch 16] [--density 0.05]
             [--reps 5] [--warmup 1] [--threads 2] [--seed 0] [--params DIR --inputs F --labels F]
             [--device cpu|cuda]
             Times forward + backward; prints one JSON line with the median wall seconds, the
             median CPU seconds of the process (all threads) and the 1-minute load average. Without
             --config it uses the reference config: 128 inputs, 512 recurrent LIF, 512 LIF,
             10 classes, B = 16, inputs Bernoulli(density).
    init     --config C --T N --batch B --out DIR [--density 0.05] [--seed 0]
             Writes seeded random parameters (DIR/params/*.npy), DIR/inputs.npy, DIR/labels.npy
             and DIR/model.json, ready for `grad` and for Rewind.
    compare  --expected DIR --actual DIR [--rtol 1e-4]
             For every .npy in both folders (same names required): relative L2 error
             |a - e| / |e| and max absolute error; one JSON line; exit status 1 above --rtol.
    selfcheck
             float64 checks on a tiny model: autograd readout gradients vs central finite
             differences, and every gradient vs an independent hand-written NumPy BPTT.
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time

import numpy as np
import torch

DEFAULT_BETA = math.exp(-1.0 / 20.0)
CONFIG_KEYS = {"inputSize", "layers", "classes", "surrogate", "theta", "betaOut", "loss",
               "trainReadoutTau"}
REFERENCE_CONFIG = {
    "inputSize": 128,
    "layers": [{"size": 512, "recurrent": True}, {"size": 512, "recurrent": False}],
    "classes": 10,
    "surrogate": {"kind": "fast_sigmoid", "gamma": 10.0},
    "theta": 1.0,
}
SURROGATES = {
    "fast_sigmoid": {"kind": "fast_sigmoid", "gamma": 10.0},
    "triangle": {"kind": "triangle", "width": 0.5},
}


class InputError(ValueError):
    """A config, file or argument that does not follow the documented conventions."""


def fail(message):
    raise InputError(message)


def validate_config(cfg, source="config"):
    """Checks cfg against the schema; returns it with beta and betaOut filled in."""
    if not isinstance(cfg, dict):
        fail(f"{source}: expected a JSON object, got {type(cfg).__name__}")
    unknown = set(cfg) - CONFIG_KEYS
    if unknown:
        fail(f"{source}: unknown key(s) {sorted(unknown)}, expected only {sorted(CONFIG_KEYS)}")
    for key in ("inputSize", "layers", "classes", "surrogate"):
        if key not in cfg:
            fail(f"{source}: missing key '{key}'")
    for key in ("inputSize", "classes"):
        if not _count(cfg[key]):
            fail(f"{source}: {key}: expected an integer >= 1, got {cfg[key]!r}")
    layers = cfg["layers"]
    if not isinstance(layers, list) or not layers:
        fail(f"{source}: layers: expected a non-empty list, got {layers!r}")
    for i, layer in enumerate(layers, start=1):
        if (not isinstance(layer, dict) or not {"size", "recurrent"} <= set(layer)
                or not set(layer) <= {"size", "recurrent", "beta", "kappa", "rho", "trainTau"}):
            fail(f"{source}: layers[{i - 1}]: expected keys 'size', 'recurrent' and optionally "
                 f"'beta', 'kappa', 'rho' and 'trainTau', got {layer!r}")
        if not isinstance(layer.get("trainTau", False), bool):
            fail(f"{source}: layers[{i - 1}].trainTau: expected true or false, "
                 f"got {layer['trainTau']!r}")
        kappa = layer.get("kappa", 0.0)
        if not (_number(kappa) and kappa >= 0):
            fail(f"{source}: layers[{i - 1}].kappa: expected a number >= 0, got {kappa!r}")
        rho = layer.get("rho", 0.0)
        if kappa > 0 and not (_number(rho) and 0 < rho < 1):
            fail(f"{source}: layers[{i - 1}].rho: expected a number in (0, 1) for an ALIF layer, "
                 f"got {rho!r}")
        if not _count(layer["size"]):
            fail(f"{source}: layers[{i - 1}].size: expected an integer >= 1, got {layer['size']!r}")
        if not isinstance(layer["recurrent"], bool):
            fail(f"{source}: layers[{i - 1}].recurrent: expected true or false, "
                 f"got {layer['recurrent']!r}")
    sur = cfg["surrogate"]
    if not isinstance(sur, dict) or sur.get("kind") not in SURROGATES:
        fail(f"{source}: surrogate: expected kind 'fast_sigmoid' or 'triangle', got {sur!r}")
    param = "gamma" if sur["kind"] == "fast_sigmoid" else "width"
    if set(sur) != {"kind", param} or not _positive(sur[param]):
        fail(f"{source}: surrogate: expected {{'kind': '{sur['kind']}', '{param}': > 0}}, "
             f"got {sur!r}")
    theta = cfg.get("theta", 1.0)
    if not _positive(theta):
        fail(f"{source}: theta: expected a number > 0, got {theta!r}")
    beta = [layer.get("beta", DEFAULT_BETA) for layer in layers]
    for b in beta + [cfg.get("betaOut", DEFAULT_BETA)]:
        if not _number(b) or not 0 <= b < 1:
            fail(f"{source}: beta: expected values in [0, 1), got {b!r}")
    if not isinstance(cfg.get("trainReadoutTau", False), bool):
        fail(f"{source}: trainReadoutTau: expected true or false, got {cfg['trainReadoutTau']!r}")
    loss = cfg.get("loss", "mean")
    last = re.fullmatch(r"last:([1-9][0-9]{0,8})", loss) if isinstance(loss, str) else None
    if loss not in ("mean", "per-step", "regression") and last is None:
        fail(f"{source}: loss: expected 'mean', 'last:K' with a whole K >= 1, 'per-step' or "
             f"'regression', got {loss!r}")
    return dict(cfg, theta=float(theta), beta=[float(b) for b in beta],
                betaOut=float(cfg.get("betaOut", DEFAULT_BETA)),
                lastSteps=int(last.group(1)) if last else 0,
                perStep=loss in ("per-step", "regression"), regression=loss == "regression")


def _number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _count(x):
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1


def _positive(x):
    return _number(x) and x > 0 and math.isfinite(x)


def load_config(path):
    with open(path) as f:
        return validate_config(json.load(f), path)


def parameter_shapes(cfg):
    """Returns [(name, shape)] in the documented order: W1, R1, b1, q1, p1, ..., Wo, bo, qo.

    q_l (and p_l for an ALIF layer) only where the layer has "trainTau", qo only with
    "trainReadoutTau" (MODEL_SPEC v2: beta = sigmoid(q), rho = sigmoid(p), beta_o = sigmoid(qo)).
    """
    shapes, fan_in = [], cfg["inputSize"]
    for i, layer in enumerate(cfg["layers"], start=1):
        n = layer["size"]
        shapes.append((f"W{i}", (n, fan_in)))
        if layer["recurrent"]:
            shapes.append((f"R{i}", (n, n)))
        shapes.append((f"b{i}", (n,)))
        if layer.get("trainTau"):
            shapes.append((f"q{i}", (n,)))
            if layer.get("kappa", 0.0) > 0:
                shapes.append((f"p{i}", (n,)))
        fan_in = n
    shapes += [("Wo", (cfg["classes"], fan_in)), ("bo", (cfg["classes"],))]
    if cfg.get("trainReadoutTau"):
        shapes.append(("qo", (cfg["classes"],)))
    return shapes


# ---------------------------------------------------------------- .npy folders


def load_npy(path, expected_kind):
    """Loads a C-order little-endian array; expected_kind 'f' (f4/f8) or 'i' (i4/i8)."""
    array = np.load(path, allow_pickle=False)
    if array.dtype.kind != expected_kind or array.dtype.byteorder == ">" or array.itemsize not in (4, 8):
        fail(f"{path}: expected dtype {'<f4/<f8' if expected_kind == 'f' else '<i4/<i8'}, "
             f"got {array.dtype.str}")
    return np.asarray(array, order="C")


def load_params(folder, cfg):
    """Reads the parameter folder, checking names and shapes like Rewind's NamedTensorFolder."""
    expected = parameter_shapes(cfg)
    names = {name for name, _ in expected}
    present = {f[:-4] for f in os.listdir(folder) if f.endswith(".npy") and not f.startswith(".")}
    for name in sorted(present - names):
        fail(f"{os.path.join(folder, name + '.npy')}: unknown tensor '{name}', "
             f"expected only {[n for n, _ in expected]}")
    missing = [f"{n}.npy" for n, _ in expected if n not in present]
    if missing:
        fail(f"{folder}: missing tensor file(s) {missing}")
    params = {}
    for name, shape in expected:
        path = os.path.join(folder, name + ".npy")
        array = load_npy(path, "f")
        if tuple(array.shape) != shape:
            fail(f"{path}: expected shape {list(shape)}, got {list(array.shape)}")
        params[name] = array
    return params


def save_npy_atomic(path, array):
    """Writes path via a temporary sibling and a rename, as Rewind does."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.save(f, np.asarray(array, order="C"))  # keeps 0-d arrays 0-d
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; give the file numpy.save's usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- model


class FastSigmoidSpike(torch.autograd.Function):
    """H(x) forward; 1 / (1 + gamma |x|)^2 backward, with x = v - theta."""

    @staticmethod
    def forward(ctx, x, gamma):
        ctx.save_for_backward(x)
        ctx.gamma = gamma
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out / (1.0 + ctx.gamma * x.abs()) ** 2, None


class TriangleSpike(torch.autograd.Function):
    """H(x) forward; max(0, 1 - |x| / w) / w backward, with x = v - theta."""

    @staticmethod
    def forward(ctx, x, width):
        ctx.save_for_backward(x)
        ctx.width = width
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        w = ctx.width
        return grad_out * torch.clamp(1.0 - x.abs() / w, min=0.0) / w, None


def spike_function(surrogate):
    if surrogate["kind"] == "fast_sigmoid":
        return lambda x: FastSigmoidSpike.apply(x, float(surrogate["gamma"]))
    return lambda x: TriangleSpike.apply(x, float(surrogate["width"]))


def forward(cfg, params, inputs, labels, stats=None):
    """Returns (loss, logits); params are tensors (leaves with requires_grad for gradients).

    If stats is a dict, it receives per layer the spike rate ("rates") and the smallest
    |v_t - theta| over all steps ("margins"): a margin below float32 resolution means another
    implementation in float32 may legitimately emit a different spike there.
    """
    spike = spike_function(cfg["surrogate"])
    theta = float(cfg["theta"])
    steps, batch = inputs.shape[0], inputs.shape[1]
    x = inputs
    for i, layer in enumerate(cfg["layers"], start=1):
        beta = torch.sigmoid(params[f"q{i}"]) if f"q{i}" in params else cfg["beta"][i - 1]
        w, b, r = params[f"W{i}"], params[f"b{i}"], params.get(f"R{i}")
        # Input projection of all steps as one product; unbind (not current[t]) so that the
        # backward stacks the T slice gradients once instead of adding T full-size zero tensors.
        current = (torch.matmul(x, w.t()) + b).unbind(0)
        v = torch.zeros(batch, layer["size"], dtype=x.dtype, device=x.device)
        s = torch.zeros_like(v)
        # ALIF (MODEL_SPEC v2): a_t = rho a_{t-1} + (1 - rho) s_{t-1}, threshold theta + kappa a_t
        kappa, rho = float(layer.get("kappa", 0.0)), float(layer.get("rho", 0.0))
        if f"p{i}" in params:
            rho = torch.sigmoid(params[f"p{i}"])
        a = torch.zeros_like(v)
        out, margin = [], math.inf
        for t in range(steps):
            c = current[t] if r is None else current[t] + torch.matmul(s, r.t())
            if kappa > 0:
                a = rho * a + (1.0 - rho) * s
                threshold = theta + kappa * a
            else:
                threshold = theta
            v = beta * v + (1.0 - beta) * c - (threshold * s).detach()
            s = spike(v - threshold)
            out.append(s)
            if stats is not None:
                margin = min(margin, (v.detach() - threshold).abs().min().item())
        x = torch.stack(out)
        if stats is not None:
            stats.setdefault("rates", []).append(x.detach().mean().item())
            stats.setdefault("margins", []).append(margin)
    beta_o = torch.sigmoid(params["qo"]) if "qo" in params else cfg["betaOut"]
    z = (torch.matmul(x, params["Wo"].t()) + params["bo"]).unbind(0)  # T tensors [B, C]
    if cfg.get("perStep"):
        u, readouts = torch.zeros_like(z[0]), []
        for t in range(steps):
            u = beta_o * u + (1.0 - beta_o) * z[t]
            readouts.append(u)
        logits = torch.stack(readouts)  # [T, B, C]
        if cfg.get("regression"):
            targeted = ~torch.isnan(labels)
            if not bool(targeted.any()):
                return (logits.sum() * 0.0), logits
            error = logits[targeted] - labels[targeted]
            return (error * error).sum() / (2 * int(targeted.sum())), logits
        flat = logits.reshape(-1, cfg["classes"])
        labelled = labels.reshape(-1) >= 0
        if not bool(labelled.any()):
            return (flat.sum() * 0.0), logits
        return torch.nn.functional.cross_entropy(flat, labels.reshape(-1), ignore_index=-1), logits
    window = cfg.get("lastSteps", 0) or steps
    if window > steps:
        fail(f"loss last:{window}: expected K <= the sequence's {steps} steps")
    u = torch.zeros_like(z[0])
    total = torch.zeros_like(u)
    for t in range(steps):
        u = beta_o * u + (1.0 - beta_o) * z[t]
        if t >= steps - window:
            total = total + u
    logits = total / window
    return torch.nn.functional.cross_entropy(logits, labels), logits


def label_tensor(cfg, labels, dtype, device="cpu"):
    """Class labels as long, or the regression head's targets in the compute dtype."""
    if cfg.get("regression"):
        return torch.tensor(labels, dtype=dtype, device=device)
    return torch.tensor(labels, dtype=torch.long, device=device)


def to_tensors(params, dtype, device="cpu", requires_grad=True):
    return {name: torch.tensor(a, dtype=dtype, device=device).requires_grad_(requires_grad)
            for name, a in params.items()}


# ---------------------------------------------------------------- random problems


def random_problem(cfg, steps, batch, density, seed):
    """Seeded parameters, Bernoulli(density) inputs and uniform labels, as float32/int32 arrays.

    With k = N_{l-1} * rate (rate = density for the first layer, 0.05 for the others), W_l ~
    N(2 / k, (2 / sqrt(k))^2): a mean drive of about 2 theta, so that the reference config fires
    at roughly 7 % (layer 1) and 10 % (layer 2). R_l ~ N(0, (0.5 / sqrt(N_l))^2),
    Wo ~ N(0, 1 / N_L), biases 0.
    """
    rng = np.random.default_rng(seed)
    params, rate = {}, density
    for name, shape in parameter_shapes(cfg):
        if name.startswith("W") and name != "Wo":
            k = shape[1] * rate
            values = rng.normal(2.0 / k, 2.0 / math.sqrt(k), size=shape)
            rate = 0.05
        elif name.startswith("R"):
            values = rng.normal(0.0, 0.5 / math.sqrt(shape[0]), size=shape)
        elif name == "Wo":
            values = rng.normal(0.0, 1.0 / math.sqrt(shape[1]), size=shape)
        elif name[0] in "qp":  # logit of the configured leak, moved so the neurons' leaks differ
            layer = None if name == "qo" else cfg["layers"][int(name[1:]) - 1]
            leak = (cfg["betaOut"] if layer is None
                    else cfg["beta"][int(name[1:]) - 1] if name[0] == "q" else layer["rho"])
            values = math.log(leak / (1 - leak)) + rng.uniform(-1, 1, size=shape)
        else:
            values = np.zeros(shape)
        params[name] = values.astype(np.float32)
    inputs = (rng.random((steps, batch, cfg["inputSize"])) < density).astype(np.float32)
    if cfg.get("regression"):
        labels = rng.uniform(-1, 1, size=(steps, batch, cfg["classes"])).astype(np.float32)
        labels[rng.random(labels.shape) < 1 / 3] = np.nan
    elif cfg.get("perStep"):
        labels = rng.integers(0, cfg["classes"], size=(steps, batch)).astype(np.int32)
        labels[rng.random((steps, batch)) < 1 / 3] = -1
    else:
        labels = rng.integers(0, cfg["classes"], size=batch).astype(np.int32)
    return params, inputs, labels


def load_problem(args, cfg):
    params = load_params(args.params, cfg)
    inputs = load_npy(args.inputs, "f")
    labels = load_npy(args.labels, "f" if cfg.get("regression") else "i")
    if inputs.ndim != 3 or inputs.shape[2] != cfg["inputSize"]:
        fail(f"{args.inputs}: expected shape [T, B, {cfg['inputSize']}], got {list(inputs.shape)}")
    if cfg.get("regression"):
        expected = tuple(inputs.shape[:2]) + (cfg["classes"],)
        if labels.shape != expected:
            fail(f"{args.labels}: expected targets of shape {list(expected)} for loss regression, "
                 f"got {list(labels.shape)}")
        if np.isinf(labels).any():
            t, b, c = np.argwhere(np.isinf(labels))[0]
            fail(f"{args.labels}: target of sequence {b}, step {t}, component {c}: expected a "
                 f"finite value or NaN (no target), got {labels[t, b, c]}")
        return params, inputs, labels
    expected = tuple(inputs.shape[:2]) if cfg.get("perStep") else (inputs.shape[1],)
    if labels.shape != expected:
        fail(f"{args.labels}: expected shape {list(expected)} for loss {cfg.get('loss', 'mean')}, "
             f"got {list(labels.shape)}")
    lowest = -1 if cfg.get("perStep") else 0
    if labels.min(initial=0) < lowest or labels.max(initial=0) >= cfg["classes"]:
        fail(f"{args.labels}: expected labels in [{lowest}, {cfg['classes']}), "
             f"got [{labels.min()}, {labels.max()}]")
    return params, inputs, labels


# ---------------------------------------------------------------- modes


def run_grad(args):
    cfg = load_config(args.config)
    params, inputs, labels = load_problem(args, cfg)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    tensors = to_tensors(params, dtype)
    stats = {}
    loss, logits = forward(cfg, tensors, torch.tensor(inputs, dtype=dtype),
                           label_tensor(cfg, labels, dtype), stats)
    loss.backward()
    os.makedirs(args.out, exist_ok=True)
    np_dtype = np.float64 if args.dtype == "float64" else np.float32
    save_npy_atomic(os.path.join(args.out, "loss.npy"), np.array(loss.item(), dtype=np_dtype))
    save_npy_atomic(os.path.join(args.out, "logits.npy"), logits.detach().numpy().astype(np_dtype))
    for name, t in tensors.items():
        save_npy_atomic(os.path.join(args.out, name + ".npy"), t.grad.numpy().astype(np_dtype))
    print(json.dumps({"mode": "grad", "loss": loss.item(), "out": args.out, "dtype": args.dtype,
                      "spike_rates": stats["rates"], "min_threshold_margins": stats["margins"]}))


def run_bench(args):
    torch.set_num_threads(args.threads)
    if args.config:
        cfg = load_config(args.config)
    else:
        cfg = validate_config(dict(REFERENCE_CONFIG, surrogate=SURROGATES[args.surrogate]))
    if args.params:
        params, inputs, labels = load_problem(args, cfg)
    else:
        params, inputs, labels = random_problem(cfg, args.T, args.batch, args.density, args.seed)
    device = torch.device(args.device)
    tensors = to_tensors(params, torch.float32, device)
    x = torch.tensor(inputs, device=device)
    y = label_tensor(cfg, labels, torch.float32, device)

    def once():
        for t in tensors.values():
            t.grad = None
        if device.type == "cuda":
            torch.cuda.synchronize()
        start, start_cpu = time.perf_counter(), time.process_time()
        loss, _ = forward(cfg, tensors, x, y)
        loss.backward()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start, time.process_time() - start_cpu, loss.item()

    for _ in range(args.warmup):
        once()
    times, cpu_times, loss = [], [], None
    for _ in range(args.reps):
        seconds, cpu_seconds, loss = once()
        times.append(seconds)
        cpu_times.append(cpu_seconds)
    print(json.dumps({
        "mode": "bench", "T": int(x.shape[0]), "B": int(x.shape[1]),
        "layers": cfg["layers"], "surrogate": cfg["surrogate"], "threads": torch.get_num_threads(),
        "device": str(device), "reps": args.reps, "warmup": args.warmup,
        "median_s": statistics.median(times), "min_s": min(times),
        "times_s": [round(s, 4) for s in times], "median_cpu_s": statistics.median(cpu_times),
        "load_avg_1m": os.getloadavg()[0], "loss": loss,
        "torch": torch.__version__}))


def run_init(args):
    cfg = load_config(args.config)
    params, inputs, labels = random_problem(cfg, args.T, args.batch, args.density, args.seed)
    os.makedirs(os.path.join(args.out, "params"), exist_ok=True)
    for name, array in params.items():
        save_npy_atomic(os.path.join(args.out, "params", name + ".npy"), array)
    save_npy_atomic(os.path.join(args.out, "inputs.npy"), inputs)
    save_npy_atomic(os.path.join(args.out, "labels.npy"), labels)
    # The config as given: the validated one carries derived keys ("beta") the schema rejects.
    with open(args.config) as f:
        given = json.load(f)
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(given, f, indent=2)
    print(json.dumps({"mode": "init", "out": args.out, "T": args.T, "B": args.batch}))


def run_compare(args):
    """Per-tensor errors of folder --actual against folder --expected; fails above --rtol."""
    def names(folder):
        return {f[:-4] for f in os.listdir(folder) if f.endswith(".npy") and not f.startswith(".")}
    expected_names, actual_names = names(args.expected), names(args.actual)
    if expected_names != actual_names:
        fail(f"compare: expected the same tensors in both folders, got only in "
             f"{args.expected}: {sorted(expected_names - actual_names)}, only in "
             f"{args.actual}: {sorted(actual_names - expected_names)}")
    rows, ok = [], True
    for name in sorted(expected_names):
        e = np.load(os.path.join(args.expected, name + ".npy")).astype(np.float64)
        a = np.load(os.path.join(args.actual, name + ".npy")).astype(np.float64)
        if e.shape != a.shape:
            fail(f"{os.path.join(args.actual, name + '.npy')}: expected shape {list(e.shape)}, "
                 f"got {list(a.shape)}")
        norm = float(np.linalg.norm(e))
        rel = float(np.linalg.norm(a - e)) / norm if norm > 0 else float(np.linalg.norm(a))
        rows.append({"tensor": name, "rel_l2_err": rel,
                     "max_abs_err": float(np.max(np.abs(a - e), initial=0.0)), "norm": norm})
        ok &= rel <= args.rtol
    print(json.dumps({"mode": "compare", "ok": ok, "rtol": args.rtol, "tensors": rows}))
    return 0 if ok else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    grad = modes.add_parser("grad", help="write loss and gradients")
    grad.add_argument("--config", required=True)
    grad.add_argument("--params", required=True)
    grad.add_argument("--inputs", required=True)
    grad.add_argument("--labels", required=True)
    grad.add_argument("--out", required=True)
    grad.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    bench = modes.add_parser("bench", help="time forward + backward")
    bench.add_argument("--T", type=int, help="time steps of the random problem")
    bench.add_argument("--surrogate", choices=sorted(SURROGATES), default="fast_sigmoid")
    bench.add_argument("--config")
    bench.add_argument("--batch", type=int, default=16)
    bench.add_argument("--density", type=float, default=0.05)
    bench.add_argument("--reps", type=int, default=5)
    bench.add_argument("--warmup", type=int, default=1)
    bench.add_argument("--threads", type=int, default=2)
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--params")
    bench.add_argument("--inputs")
    bench.add_argument("--labels")
    bench.add_argument("--device", default="cpu")
    init = modes.add_parser("init", help="write a seeded random problem")
    init.add_argument("--config", required=True)
    init.add_argument("--T", type=int, required=True)
    init.add_argument("--batch", type=int, required=True)
    init.add_argument("--out", required=True)
    init.add_argument("--density", type=float, default=0.05)
    init.add_argument("--seed", type=int, default=0)
    compare = modes.add_parser("compare", help="relative errors of one gradient folder vs another")
    compare.add_argument("--expected", required=True)
    compare.add_argument("--actual", required=True)
    compare.add_argument("--rtol", type=float, default=1e-4)
    modes.add_parser("selfcheck", help="float64 gradient checks on a tiny model")
    args = parser.parse_args(argv)
    try:
        if args.mode == "grad":
            run_grad(args)
        elif args.mode == "bench":
            if (args.params is None) != (args.inputs is None) or (args.inputs is None) != (args.labels is None):
                fail("bench: expected --params, --inputs and --labels together or none of them")
            if args.inputs is None and (args.T is None or args.T < 1):
                fail(f"bench: expected --T >= 1 (or --params, --inputs, --labels), got {args.T}")
            run_bench(args)
        elif args.mode == "init":
            run_init(args)
        elif args.mode == "compare":
            return run_compare(args)
        else:
            from selfcheck import run_selfcheck
            return run_selfcheck()
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
