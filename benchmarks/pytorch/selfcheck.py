"""Self-check of snn_reference.py in float64, run by `snn_reference.py selfcheck`.

1. Readout gradients (Wo, bo, and qo where the readout's leak is trainable) from autograd against central finite differences of the loss: the
   readout does not change any spike, so the loss is smooth in Wo and bo and differences are exact
   up to O(eps^2).
2. Every gradient from autograd against an independent hand-written NumPy BPTT of MODEL_SPEC.md
   (surrogate derivative, detached reset, leaky readout, ALIF layers of v2), for both surrogates.
"""

import json

import numpy as np
import torch

from snn_reference import forward, label_tensor, random_problem, to_tensors, validate_config

TINY = {
    "inputSize": 6,
    "layers": [{"size": 5, "recurrent": True}, {"size": 4, "recurrent": False}],
    "classes": 3,
    "theta": 1.0,
}


def surrogate_derivative(surrogate, x):
    if surrogate["kind"] == "fast_sigmoid":
        return 1.0 / (1.0 + surrogate["gamma"] * np.abs(x)) ** 2
    w = surrogate["width"]
    return np.maximum(0.0, 1.0 - np.abs(x) / w) / w


def leak(params, name, fixed):
    """sigmoid of the trainable time constant's tensor `name` (MODEL_SPEC v2), else `fixed`."""
    return 1.0 / (1.0 + np.exp(-params[name])) if name in params else fixed


def numpy_bptt(cfg, params, inputs, labels):
    """Loss and gradients by explicit forward and backward recursions (no autograd)."""
    theta = cfg["theta"]
    steps, batch = inputs.shape[:2]
    x, tapes = inputs, []
    for i, layer in enumerate(cfg["layers"], start=1):
        beta, n = leak(params, f"q{i}", cfg["beta"][i - 1]), layer["size"]
        w, b, r = params[f"W{i}"], params[f"b{i}"], params.get(f"R{i}")
        kappa, rho = layer.get("kappa", 0.0), leak(params, f"p{i}", layer.get("rho", 0.0))
        v, s, a = np.zeros((batch, n)), np.zeros((batch, n)), np.zeros((batch, n))
        spikes, margins = np.zeros((steps, batch, n)), np.zeros((steps, batch, n))
        # d v_t / d beta = v_{t-1} - c_t and d a_t / d rho = a_{t-1} - s_{t-1} (MODEL_SPEC v2)
        dv_dbeta, da_drho = np.zeros((steps, batch, n)), np.zeros((steps, batch, n))
        for t in range(steps):
            c = x[t] @ w.T + b + (s @ r.T if r is not None else 0.0)
            da_drho[t] = a - s
            a = rho * a + (1 - rho) * s  # ALIF (MODEL_SPEC v2); a stays 0 in a LIF layer
            threshold = theta + kappa * a
            dv_dbeta[t] = v - c
            v = beta * v + (1 - beta) * c - threshold * s
            s = (v > threshold).astype(np.float64)
            spikes[t], margins[t] = s, v - threshold
        tapes.append((x, spikes, margins, dv_dbeta, da_drho))
        x = spikes
    beta_o = leak(params, "qo", cfg["betaOut"])
    z = x @ params["Wo"].T + params["bo"]
    du_dbeta_o, u = np.zeros_like(z), np.zeros((batch, cfg["classes"]))
    for t in range(steps):
        du_dbeta_o[t] = u - z[t]
        u = beta_o * u + (1 - beta_o) * z[t]
    if cfg["regression"]:  # targets [T][B][C], NaN for none (MODEL_SPEC v2)
        readouts, u = np.zeros_like(z), np.zeros((batch, cfg["classes"]))
        for t in range(steps):
            u = beta_o * u + (1 - beta_o) * z[t]
            readouts[t] = u
        targeted = ~np.isnan(labels)
        count = max(1, int(targeted.sum()))
        error = np.where(targeted, readouts - np.nan_to_num(labels), 0.0)
        loss = (error * error).sum() / (2 * count)
        seeds = error / count
    elif cfg["perStep"]:  # labels [T][B], -1 for none (MODEL_SPEC v2)
        readouts, u = np.zeros_like(z), np.zeros((batch, cfg["classes"]))
        for t in range(steps):
            u = beta_o * u + (1 - beta_o) * z[t]
            readouts[t] = u
        shifted = readouts - readouts.max(axis=2, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
        labelled = labels >= 0
        targets = max(1, int(labelled.sum()))
        picked = np.take_along_axis(log_softmax, np.maximum(labels, 0)[..., None], axis=2)[..., 0]
        loss = -(picked * labelled).sum() / targets
        seeds = np.exp(log_softmax)
        for t, b in zip(*np.nonzero(labelled)):
            seeds[t, b, labels[t, b]] -= 1.0
        seeds *= labelled[..., None] / targets
    else:
        window = cfg["lastSteps"] or steps  # the loss head last:K, or the mean
        u, total = np.zeros((batch, cfg["classes"])), np.zeros((batch, cfg["classes"]))
        for t in range(steps):
            u = beta_o * u + (1 - beta_o) * z[t]
            if t >= steps - window:
                total += u
        logits = total / window
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_softmax[np.arange(batch), labels].mean()
        d_logits = np.exp(log_softmax)
        d_logits[np.arange(batch), labels] -= 1.0
        d_logits /= batch
        seeds = np.zeros_like(z)
        seeds[steps - window:] = d_logits / window

    grads = {}
    d_z = np.zeros_like(z)
    d_u = np.zeros((batch, cfg["classes"]))
    d_beta_o = np.zeros(cfg["classes"])
    for t in reversed(range(steps)):
        d_u = seeds[t] + beta_o * d_u
        d_z[t] = (1 - beta_o) * d_u
        d_beta_o += (d_u * du_dbeta_o[t]).sum(axis=0)
    if "qo" in params:
        grads["qo"] = d_beta_o * beta_o * (1 - beta_o)
    grads["Wo"] = np.einsum("tbc,tbn->cn", d_z, x)
    grads["bo"] = d_z.sum(axis=(0, 1))
    d_out = d_z @ params["Wo"]  # dL/ds^L_t from the readout
    for i in reversed(range(1, len(cfg["layers"]) + 1)):
        layer_in, spikes, margins, dv_dbeta, da_drho = tapes[i - 1]
        beta = leak(params, f"q{i}", cfg["beta"][i - 1])
        layer = cfg["layers"][i - 1]
        kappa, rho = layer.get("kappa", 0.0), leak(params, f"p{i}", layer.get("rho", 0.0))
        d_beta, d_rho = np.zeros(layer["size"]), np.zeros(layer["size"])
        w, r = params[f"W{i}"], params.get(f"R{i}")
        sigma = surrogate_derivative(cfg["surrogate"], margins)
        d_c = np.zeros_like(spikes)
        d_v_next = np.zeros_like(spikes[0])
        d_c_next = np.zeros_like(spikes[0])
        d_a_next = np.zeros_like(spikes[0])
        for t in reversed(range(steps)):
            # reset path is detached; s_t feeds a_{t+1} = rho a_t + (1 - rho) s_t
            d_s = d_out[t] + (d_c_next @ r if r is not None else 0.0) + (1 - rho) * d_a_next
            q = d_s * sigma[t]
            d_a_next = rho * d_a_next - kappa * q  # a_t raises the threshold of s_t
            d_v = q + beta * d_v_next
            d_c[t] = (1 - beta) * d_v
            d_beta += (d_v * dv_dbeta[t]).sum(axis=0)
            d_rho += (d_a_next * da_drho[t]).sum(axis=0)
            d_v_next, d_c_next = d_v, d_c[t]
        grads[f"W{i}"] = np.einsum("tbn,tbm->nm", d_c, layer_in)
        grads[f"b{i}"] = d_c.sum(axis=(0, 1))
        if f"q{i}" in params:
            grads[f"q{i}"] = d_beta * beta * (1 - beta)
        if f"p{i}" in params:
            grads[f"p{i}"] = d_rho * rho * (1 - rho)
        if r is not None:
            previous = np.concatenate([np.zeros_like(spikes[:1]), spikes[:-1]])
            grads[f"R{i}"] = np.einsum("tbn,tbm->nm", d_c, previous)
        d_out = d_c @ w
    return loss, grads


# TINY with its first layer ALIF (MODEL_SPEC v2)
TINY_ALIF = dict(TINY, layers=[dict(TINY["layers"][0], kappa=0.8, rho=0.9), TINY["layers"][1]])
# TINY_ALIF with the loss head last:K (MODEL_SPEC v2) over 9 of its 25 steps, and per-step
TINY_LAST = dict(TINY_ALIF, loss="last:9")
TINY_PER_STEP = dict(TINY_ALIF, loss="per-step")
TINY_REGRESSION = dict(TINY_ALIF, loss="regression")
# TINY_ALIF with every time constant trainable (MODEL_SPEC v2): q1, p1, q2 and qo
TINY_TAU = dict(TINY_ALIF, layers=[dict(layer, trainTau=True) for layer in TINY_ALIF["layers"]],
                trainReadoutTau=True)


def check(surrogate, seed, base=TINY):
    cfg = validate_config(dict(base, surrogate=surrogate))
    params32, inputs32, labels = random_problem(cfg, steps=25, batch=3, density=0.4, seed=seed)
    params = {k: v.astype(np.float64) for k, v in params32.items()}
    inputs = inputs32.astype(np.float64)
    x = torch.tensor(inputs)
    y = label_tensor(cfg, labels, torch.float64)
    tensors = to_tensors(params, torch.float64)
    loss, _ = forward(cfg, tensors, x, y)
    loss.backward()
    auto = {k: t.grad.numpy() for k, t in tensors.items()}

    worst_fd = 0.0
    eps = 1e-6
    for name in ("Wo", "bo", "qo") if "qo" in params else ("Wo", "bo"):
        flat = params[name].reshape(-1)
        for j in range(flat.size):
            values = []
            for sign in (1.0, -1.0):
                shifted = dict(params)
                moved = flat.copy()
                moved[j] += sign * eps
                shifted[name] = moved.reshape(params[name].shape)
                with torch.no_grad():
                    values.append(forward(cfg, to_tensors(shifted, torch.float64, requires_grad=False),
                                          x, y)[0].item())
            fd = (values[0] - values[1]) / (2 * eps)
            worst_fd = max(worst_fd, abs(fd - auto[name].reshape(-1)[j]))

    manual_loss, manual = numpy_bptt(cfg, params, inputs, labels)
    worst_bptt = max(float(np.max(np.abs(auto[k] - manual[k]))) for k in auto)
    scale = max(float(np.max(np.abs(g))) for g in auto.values())
    hidden_nonzero = all(float(np.max(np.abs(auto[k]))) > 0 for k in auto)
    result = {
        "surrogate": surrogate["kind"], "seed": seed, "alif": base is not TINY,
        "loss_head": cfg.get("loss", "mean"),
        "loss": loss.item(),
        "loss_diff_vs_numpy": abs(loss.item() - manual_loss),
        "readout_fd_max_abs_err": worst_fd, "bptt_max_abs_err": worst_bptt,
        "grad_scale": scale, "all_gradients_nonzero": hidden_nonzero,
    }
    ok = (worst_fd < 1e-8 and worst_bptt < 1e-12 * max(1.0, scale)
          and result["loss_diff_vs_numpy"] < 1e-12 and hidden_nonzero)
    return ok, result


def run_selfcheck():
    ok_all = True
    for surrogate in ({"kind": "fast_sigmoid", "gamma": 10.0}, {"kind": "triangle", "width": 0.5}):
        for seed, base in ((1, TINY), (2, TINY), (1, TINY_ALIF), (2, TINY_ALIF), (3, TINY_LAST),
                           (4, TINY_PER_STEP), (5, TINY_REGRESSION), (6, TINY_TAU)):
            ok, result = check(surrogate, seed, base)
            result["ok"] = ok
            print(json.dumps(result))
            ok_all &= ok
    print(json.dumps({"mode": "selfcheck", "ok": ok_all}))
    return 0 if ok_all else 1
