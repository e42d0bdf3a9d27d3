"""The 1986 experiments: the procedure, its gradient, the results the chapter reports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import tomllib

import backprop_course as bc
from backprop_course import sigmoid_nets
from backprop_course.experiments import paper1986 as P
from backprop_course.experiments.paper1986 import analysis, tasks, training

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------ bad input
def test_unknown_task_lists_the_tasks() -> None:
    with pytest.raises(ValueError, match="unknown task 'xnor'") as err:
        P.run("xnor")
    for name in P.TASKS:
        assert name in str(err.value)
    with pytest.raises(ValueError, match="symmetry"):
        P.sweep("mirror", 3)
    with pytest.raises(ValueError, match="the tasks are"):
        P.run(["xor"])


@pytest.mark.parametrize("seeds", [-1, 0, -20, [], [1, -2], [0.5], "abc", True])
def test_bad_seed_counts_are_rejected_with_the_choices(seeds) -> None:
    with pytest.raises(ValueError, match="positive int .* or a non-empty sequence"):
        P.sweep("xor", seeds)


def test_bad_seed_for_run() -> None:
    with pytest.raises(ValueError, match="non-negative int seeds"):
        P.run("xor", seed=-1)


def test_unknown_setting_lists_the_settings() -> None:
    with pytest.raises(ValueError, match="unknown setting 'learning_rate'.*epsilon"):
        P.run("xor", learning_rate=0.5)
    with pytest.raises(ValueError, match="error must be one of sum, mean"):
        P.run("xor", error="max")
    with pytest.raises(ValueError, match="inputs must be one of binary, bipolar"):
        P.run("xor", inputs="signed")


# ------------------------------------------------------------ the gradient
def _random_params(name: str, rng: np.random.Generator) -> dict:
    task = P.TASKS[name]
    params, _ = training._initial(task, 0, training._settings(task, {}), 104)
    for key in ("W", "b"):
        params[key] = [p + rng.normal(0, 1, p.shape) for p in params[key]]
    if task.groups:
        params["W"][0] *= tasks._group_mask(task)
    if task.direct:
        params["D"] = params["D"] + rng.normal(0, 1, params["D"].shape)
    return params


@pytest.mark.parametrize("name", list(P.TASKS))
def test_gradients_match_central_differences(name: str) -> None:
    rng = np.random.default_rng(1)
    params = _random_params(name, rng)
    X, D = P.task_data(name)
    margin = P.TASKS[name].margin
    grads, _ = P.gradients(params, X, D, margin)

    def E(p: dict) -> float:
        e = P.output_error(P.forward(p, X)[-1], D, margin)
        return 0.5 * float(np.sum(e * e))

    checked = [("W", k) for k in range(len(params["W"]))] + [
        ("b", k) for k in range(len(params["b"]))]
    if params.get("D") is not None:
        checked.append(("D", None))
    for key, k in checked:
        def f(value, key=key, k=k):
            p = {"W": list(params["W"]), "b": list(params["b"]), "D": params["D"]}
            if k is None:
                p[key] = value
            else:
                p[key][k] = value
            return E(p)

        point = params[key] if k is None else params[key][k]
        analytic = grads[key] if k is None else grads[key][k]
        numeric = bc.numerical_gradient(f, point)
        if key == "W" and k == 0 and P.TASKS[name].groups:
            analytic, numeric = analytic[tasks._group_mask(P.TASKS[name]) == 1], \
                numeric[tasks._group_mask(P.TASKS[name]) == 1]
        scale = np.abs(numeric).max()
        assert np.abs(analytic - numeric).max() <= 1e-7 * max(scale, 1.0), (name, key, k)


def test_gradient_is_a_sum_over_cases() -> None:
    rng = np.random.default_rng(2)
    params = _random_params("xor", rng)
    X, D = P.task_data("xor")
    total, _ = P.gradients(params, X, D)
    parts = [P.gradients(params, X[i:i + 1], D[i:i + 1])[0] for i in range(4)]
    for k in range(2):
        np.testing.assert_allclose(total["W"][k], sum(p["W"][k] for p in parts), atol=1e-13)


def test_mean_error_divides_every_change_by_n() -> None:
    summed = P.run("symmetry", 0, max_sweeps=1)
    mean = P.run("symmetry", 0, max_sweeps=1, error="mean")
    first = P.run("symmetry", 0, max_sweeps=0)
    np.testing.assert_allclose(mean.history[0] * 64, summed.history[0])
    np.testing.assert_allclose((mean.weights[0] - first.weights[0]) * 64,
                               summed.weights[0] - first.weights[0], rtol=1e-9)


# ------------------------------------------------------------ runs
def test_run_converges_on_xor() -> None:
    result = P.run("xor", seed=0)
    assert result.converged and 0 < result.sweeps < P.MAX_SWEEPS
    X, D = P.task_data("xor")
    assert np.abs(result.outputs - D).max() <= P.TOLERANCE
    assert [W.shape for W in result.weights] == [(2, 2), (2, 1)]
    assert [b.shape for b in result.biases] == [(2,), (1,)]
    assert result.hidden[0].shape == (4, 2) and result.direct is None
    assert len(result.history) == result.sweeps + 1
    assert result.history[-1] < result.history[0]


def test_run_converges_on_symmetry_with_the_mirror_solution() -> None:
    result = P.run("symmetry", seed=1)
    assert result.converged
    X, D = P.task_data("symmetry")
    assert np.abs(result.outputs - D).max() <= P.TOLERANCE
    W = result.weights[0]  # (6 inputs, 2 hidden units)
    assert W.shape == (6, 2)
    # mirror-antisymmetric: w_i = -w_(7-i), to within 10 % of the largest weight
    assert np.abs(W + W[::-1]).max() <= 0.1 * np.abs(W).max()


def test_direct_connections() -> None:
    result = P.run("xor_direct", seed=0)
    assert result.converged
    assert result.direct.shape == (2, 1)
    assert [W.shape for W in result.weights] == [(2, 1), (1, 1)]


def test_run_and_sweep_agree_seed_by_seed() -> None:
    many = P.sweep("xor", [3, 0, 7, 12])
    for i, seed in enumerate([3, 0, 7, 12]):
        one = P.run("xor", seed)
        assert one.sweeps == many.sweeps[i] and one.converged == many.converged[i]
        net = many.network(i)
        for W1, W2 in zip(one.weights, net["W"], strict=True):
            np.testing.assert_array_equal(W1, W2)


def test_sweep_statistics() -> None:
    res = P.sweep("xor", 12)
    assert res.seeds.tolist() == list(range(12))
    ok = res.sweeps[res.converged]
    assert res.median == np.median(ok)
    assert res.failure_rate == pytest.approx(1 - res.converged.mean())
    assert res.percentile_of(np.inf) == 100.0 and res.percentile_of(0) == 0.0
    low, high = res.quantiles()
    assert low <= res.median <= high


def test_family_trees_grouped_first_layer() -> None:
    result = P.run("family_trees", seed=0, sweeps=3)
    W = result.weights[0]
    assert W.shape == (36, 12)
    assert np.all(W[:24, 6:] == 0) and np.all(W[24:, :6] == 0)  # each group its own 6
    assert [w.shape for w in result.weights[1:]] == [(12, 12), (12, 6), (6, 24)]
    assert len(result.held_out) == 4 and len(result.hidden) == 3


def test_family_trees_with_the_papers_settings_learn_nothing_in_1500_sweeps() -> None:
    # The rate the chapter reports: 0 of 4 held-out cases right, training not learned.
    res = P.sweep("family_trees", 3)
    assert res.max_sweeps == P.FAMILY_SWEEPS
    assert not res.converged.any()
    assert res.held_out_correct.tolist() == [0, 0, 0]
    one = P.run("family_trees", 0)
    assert one.held_out_correct == 0
    assert np.all(one.outputs < 0.5)  # every output is stuck near the 0.2 margin


# ------------------------------------------------------------ the cache
def _normal(value: object) -> object:
    return json.loads(json.dumps(value))


def test_the_cache_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]
    assert "paper1986_results.json" in data["backprop_course.experiments"]
    assert P.RESULTS_FILE.exists()


def test_the_cache_has_every_run() -> None:
    cached = P.load_results()
    assert list(cached) == [name for name, *_ in P.CACHED_RUNS]
    for name, task, n, overrides in P.CACHED_RUNS:
        assert cached[name].task == task and len(cached[name].seeds) == n
        assert cached[name].settings == _normal(overrides)
        assert (cached[name].theta is not None) == (name in P.KEEP_WEIGHTS)
        assert (cached[name].unfinished is not None) == (name in P.TRAINED_ON)


def test_the_cache_is_what_the_code_computes_today() -> None:
    """Settings and first sweeps of every entry, as a fresh run gives them on any CPU."""
    assert P.check_cache() == len(P.CACHED_RUNS) + 1 + 2  # the runs, rotation, two traces


@pytest.mark.parametrize("change", ["probe", "task_settings", "overrides"])
def test_check_cache_finds_a_stale_entry(tmp_path: Path, change: str) -> None:
    content = json.loads(P.RESULTS_FILE.read_text())
    entry = content["runs"]["xor_direct"]
    if change == "probe":  # as if the code now computed another error at sweep 10
        entry["probe"][0][1] *= 1 + 1e-7
    elif change == "task_settings":  # as if the task's learning rate had changed
        entry["task_settings"]["epsilon"] = 0.25
    else:
        entry["overrides"] = {"init_range": 1.0}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(content))
    assert P.check_cache(path, ["xor"]) == 1  # the other entries are untouched
    with pytest.raises(ValueError, match="'xor_direct' is stale"):
        P.check_cache(path, ["xor_direct"])


def test_kept_weights_are_the_runs_they_belong_to() -> None:
    """A converged seed's stored weights meet the criterion; an unconverged one's do not."""
    for name in ("symmetry", "parity", "encoder"):
        res = P.load_results()[name]
        X, D = P.task_data(res.task)
        for i in range(len(res.seeds)):
            y = P.forward(res.network(i), X)[-1]
            assert bool(np.all(np.abs(y - D) <= P.TOLERANCE)) == res.converged[i], (name, i)


def test_kept_family_weights_give_the_stored_scores() -> None:
    res = P.load_results()["family_trees, x10"]
    X, D = P.task_data("family_trees")
    y = P.forward(tasks._views(res.theta, P.TASKS["family_trees"]), X)[-1]
    right = np.all((y > 0.5) == (D == 1), axis=-1)
    for i, held in enumerate(res.held_out):
        train = np.setdiff1d(np.arange(104), held)
        assert right[i][held].sum() == res.held_out_correct[i]
        assert right[i][train].sum() == res.train_correct[i]


def test_the_rotation_holds_every_case_out_three_times() -> None:
    rot = P.load_rotation()
    assert sorted(rot.held.ravel().tolist()) == sorted(list(range(104)) * 3)
    assert rot.right.shape == rot.held.shape and rot.settings == _normal(P.WORKING)
    totals = rot.by_relation()
    assert sum(n for _, n in totals.values()) == rot.right.size
    assert sum(r for r, _ in totals.values()) == rot.right.sum()


def test_the_traces_follow_the_decay() -> None:
    for name in ("stated", "x10"):
        trace, at = P.load_trace(name)
        assert at[0] == 0 and at[-1] == P.FAMILY_SWEEPS - 1 and np.all(np.diff(at) > 0)
        np.testing.assert_allclose(trace.pulled, P.FAMILY_DECAY * trace.size, rtol=1e-12)
        assert trace.pushed.shape == (len(at), 4)


def test_cached_results_without_weights() -> None:
    with pytest.raises(ValueError, match="no weights"):
        P.load_results()["xor"].network(0)


def test_main_without_arguments_prints_help(capsys) -> None:
    P.main([])
    assert "--regenerate" in capsys.readouterr().out


def test_training_matches_the_tensor_engine() -> None:
    """40 sweeps of the family trees, the paper's procedure written with bc.Tensor."""
    task = P.TASKS["family_trees"]
    params, held = training._initial(task, 0, training._settings(task, {}), 104)
    X, D = P.task_data("family_trees")
    keep_rows = np.setdiff1d(np.arange(104), held)
    X, D = X[keep_rows], D[keep_rows]
    mask = tasks._group_mask(task)
    W, b = [w.copy() for w in params["W"]], [v.copy() for v in params["b"]]
    change_W, change_b = [np.zeros_like(w) for w in W], [np.zeros_like(v) for v in b]
    for t in range(40):
        Ws = [bc.Tensor(w, requires_grad=True) for w in W]
        bs = [bc.Tensor(v, requires_grad=True) for v in b]
        a = bc.Tensor(X)
        for w_t, b_t in zip(Ws, bs, strict=True):
            a = (a @ w_t + b_t).sigmoid()
        y = a.data
        counts = ~(((D == 1) & (y > 0.8)) | ((D == 0) & (y < 0.2)))
        (0.5 * (((a - D) * counts.astype(float)) ** 2).sum()).backward()
        eps, alpha = (0.005, 0.5) if t < 20 else (0.01, 0.9)
        for k in range(4):
            g = Ws[k].grad * (mask if k == 0 else 1.0)
            change_W[k] = -eps * g + alpha * change_W[k]
            change_b[k] = -eps * bs[k].grad + alpha * change_b[k]
            W[k] = (W[k] + change_W[k]) * (1 - 0.002)
            b[k] = (b[k] + change_b[k]) * (1 - 0.002)
    result = P.run("family_trees", seed=0, sweeps=40)
    for ours, theirs in zip(result.weights, W, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_summary_line() -> None:
    res = P.sweep("xor", 4)
    assert res.summary().startswith("4/4 converged within 20,000 sweeps; median ")
    cached = P.load_results()["family_trees"]
    assert cached.summary() == "0/50 converged within 1,500 sweeps"


# The cached network's run is chaotic after a few thousand sweeps: the same code gives
# 18,575 sweeps with OpenBLAS's SkylakeX kernel, 17,565 with Haswell and no convergence in
# 20,000 with Prescott, all from one start (round-off in the last digits grows until the runs
# part, near sweep 6,400). So the cache is a record of one run, and the tests check what no
# kernel can change: the run's first sweeps, and that the stored network is what it says.
CHAOS_FREE_SWEEPS = 4000  # runs on Haswell and Prescott agree to 1e-16 up to about 6,400


def test_the_cached_network_starts_as_a_fresh_run() -> None:
    name, task, seed, overrides = P.CACHED_NETWORKS[0]
    cached, at = P.load_network(name)
    fresh = P.run(task, seed, **{**overrides, "max_sweeps": CHAOS_FREE_SWEEPS})
    early = at <= CHAOS_FREE_SWEEPS
    assert early.sum() > 200  # most of the log-spaced history points
    np.testing.assert_allclose(cached.history[early], fresh.history[at[early]], rtol=1e-10)
    np.testing.assert_array_equal(cached.held_out, fresh.held_out)


def test_the_cached_network_is_what_it_says() -> None:
    """Its weights give its outputs, its last error, its verdict and its held-out count."""
    name, task, _, overrides = P.CACHED_NETWORKS[0]
    cached, at = P.load_network(name)
    assert at[0] == 0 and at[-1] == cached.sweeps and cached.history.shape == at.shape
    X, D = P.task_data(task)
    train = np.setdiff1d(np.arange(len(X)), cached.held_out)
    y = cached.outputs
    e = P.output_error(y[train], D[train], P.TASKS[task].margin)
    np.testing.assert_allclose(0.5 * np.sum(e * e), cached.history[-1], atol=1e-12)
    assert cached.converged == (not e.any())  # every training output beyond its margin
    held = cached.held_out
    assert cached.held_out_correct == int(np.sum(np.all((y[held] > 0.5) == (D[held] == 1), -1)))
    # a converged run stops at the first sweep that met the criterion: the error was not 0 before
    assert cached.converged and cached.history[-2] > 0


def test_unknown_cached_network() -> None:
    with pytest.raises(ValueError, match="the cached networks are: family_trees"):
        P.load_network("xor, seed 0")


# ------------------------------------------------------------ where training stopped
def _one_net(name: str, seed: int = 3) -> dict:
    return _random_params(name, np.random.default_rng(seed))


@pytest.mark.parametrize("name", ["xor", "xor_direct", "symmetry", "encoder"])
def test_hessian_matches_central_differences_of_the_gradient(name: str) -> None:
    params = _one_net(name)
    X, D = P.task_data(name)
    H = P.hessian(params, X, D)
    shapes = [np.shape(a) for a in analysis._flat_params(params)]
    sizes = [int(np.prod(s)) for s in shapes]
    assert H.shape == (sum(sizes), sum(sizes)) and np.array_equal(H, H.T)

    def gradient_vector(theta: np.ndarray) -> np.ndarray:
        parts = np.split(theta, np.cumsum(sizes)[:-1])
        arrays = [part.reshape(s) for part, s in zip(parts, shapes, strict=True)]
        n = len(params["W"])
        p = {"W": arrays[:n], "b": [b.ravel() for b in arrays[n:2 * n]],
             "D": arrays[2 * n] if params.get("D") is not None else None}
        g, _ = P.gradients(p, X, D)
        return np.concatenate([a.ravel() for a in analysis._flat_params(g)])

    theta = np.concatenate([a.ravel() for a in analysis._flat_params(params)])
    h = 1e-5
    numeric = np.empty_like(H)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        numeric[:, i] = (gradient_vector(theta + step) - gradient_vector(theta - step)) / (2 * h)
    assert np.abs(H - numeric).max() <= 1e-7 * max(np.abs(H).max(), 1.0)


def test_end_state_measures_error_gradient_weights_and_curvature() -> None:
    params = _one_net("xor")
    X, D = P.task_data("xor")
    state = P.end_state(params, X, D)
    grads, y = P.gradients(params, X, D)
    assert state.error == pytest.approx(0.5 * np.sum((y - D) ** 2), rel=1e-14)
    g = np.concatenate([a.ravel() for a in analysis._flat_params(grads)])
    w = np.concatenate([a.ravel() for a in analysis._flat_params(params)])
    assert state.gradient_norm == pytest.approx(np.linalg.norm(g), rel=1e-14)
    assert state.weight_norm == pytest.approx(np.linalg.norm(w), rel=1e-14)
    np.testing.assert_allclose(state.eigenvalues, np.linalg.eigvalsh(P.hessian(params, X, D)))
    assert np.all(np.diff(state.eigenvalues) >= 0)
    again = P.EndState.from_json(state.to_json())
    assert again.error == state.error and np.array_equal(again.eigenvalues, state.eigenvalues)


def test_a_solved_network_is_near_a_minimum_with_no_negative_curvature() -> None:
    # A converged XOR net: tiny error, tiny gradient, no direction of negative curvature
    # beyond round-off (the floor of the valley that leads to E = 0 at infinity).
    r = P.run("xor", 0, max_sweeps=20_000, tolerance=0.01)
    X, D = P.task_data("xor")
    state = P.end_state({"W": r.weights, "b": r.biases, "D": None}, X, D)
    assert r.converged and state.error < 1e-3 and state.gradient_norm < 1e-2
    assert state.eigenvalues[0] > -1e-9 * state.eigenvalues[-1]


def test_the_symmetric_start_is_a_stationary_point() -> None:
    # All weights zero: every hidden unit is the same, the outputs are all 0.5, and the
    # gradient is exactly zero, although E = 0.5 is far from the best.
    zeros = {"W": [np.zeros((2, 2)), np.zeros((2, 1))], "b": [np.zeros(2), np.zeros(1)],
             "D": None}
    X, D = P.task_data("xor")
    state = P.end_state(zeros, X, D)
    assert state.gradient_norm == 0.0 and state.error == 0.5


def _state(error: float, gradient: float, weights: float, eigenvalues: list,
           ray: float | None = None) -> P.EndState:
    ray_error = error - 1e-6 if ray is None else ray  # by default scaling up lowers E
    return P.EndState(error, gradient, weights, np.array(eigenvalues, dtype=float), ray_error)


def test_classify_names_the_places() -> None:
    before = _state(0.26, 1e-4, 20.0, [1e-6, 0.2])
    assert P.classify(before, None) == "plateau"
    assert P.classify(before, _state(0.2599, 1e-6, 24.0, [1e-8, 0.25])) == "minimum at infinity"
    assert P.classify(before, _state(0.2599, 1e-6, 24.0, [1e-8, 0.25], ray=0.27)) == "flat"
    assert P.classify(before, _state(0.2599, 1e-6, 24.0, [-1e-3, 0.25])) == "near a saddle"
    assert P.classify(before, _state(0.25, 1e-6, 24.0, [-1e-3, 0.25])) == "still descending"
    assert P.classify(before, _state(0.3, 1e-12, 5.0, [0.01, 0.2])) == "local minimum"
    assert P.classify(before, _state(0.3, 1e-12, 5.0, [-0.01, 0.2])) == "saddle"
    assert P.classify(before, _state(0.3, 1e-12, 5.0, [0.0, 0.2])) == "undecided"
    assert P.classify(before, _state(0.27, 1e-5, 24.0, [1e-8, 0.25])) == "undecided"  # E rose
    assert P.classify(before, _state(0.2599, 1e-6, 19.0, [1e-8, 0.25])) == "flat"  # shrank


def test_settle_reaches_a_minimum_that_gradient_descent_only_approaches() -> None:
    # E = 0 exactly at star (the targets are star's own outputs), and the Hessian there is
    # positive definite though badly conditioned (eigenvalues from 1e-8 to 0.6): Newton's
    # method from nearby lands on star, with the gradient at round-off.
    X = np.linspace(-2, 2, 9)[:, None]
    star = {"W": [np.array([[1.5, -1.0]]), np.array([[2.0], [1.5]])],
            "b": [np.array([0.3, 0.5]), np.array([-1.0])], "D": None}
    D = P.forward(star, X)[-1]
    rng = np.random.default_rng(1)
    start = {"W": [w + rng.normal(0, 0.05, w.shape) for w in star["W"]],
             "b": [b + rng.normal(0, 0.05, b.shape) for b in star["b"]], "D": None}
    found, settled = P.settle(start, X, D)
    flat = lambda p: np.concatenate([a.ravel() for a in analysis._flat_params(p)])  # noqa: E731
    np.testing.assert_allclose(flat(found), flat(star), atol=1e-4)
    assert settled.state.gradient_norm < P.GRADIENT_ZERO
    assert settled.state.eigenvalues[0] > 0 and settled.state.error < 1e-15
    assert settled.moved == pytest.approx(np.linalg.norm(flat(found) - flat(start)))
    assert settled.steps < P.SETTLE_STEPS
    grads, _ = P.gradients(found, X, D)  # the gradient, by backpropagation, at the point
    assert np.linalg.norm(flat(grads)) == pytest.approx(settled.state.gradient_norm)


def test_settle_from_a_stuck_xor_run_finds_no_minimum_nearby() -> None:
    r = P.run("xor", 11, max_sweeps=2000)  # answers 0.5 to two cases (the chapter)
    X, D = P.task_data("xor")
    params = {"W": r.weights, "b": r.biases, "D": None}
    _, settled = P.settle(params, X, D)
    here = P.end_state(params, X, D)
    assert settled.state.weight_norm > here.weight_norm + 5  # it walks outwards
    assert settled.state.error < here.error
    assert P.classify(here, here, settled) != "local minimum"


def test_classify_with_what_settle_found() -> None:
    after = _state(0.2599, 1e-6, 24.0, [1e-8, 0.25])
    near = P.Settled(_state(0.2598, 1e-11, 24.1, [1e-3, 0.25]), 0.5, 4)
    assert P.classify(after, after, near) == "local minimum"
    saddle = P.Settled(_state(0.2598, 1e-11, 24.1, [-1e-2, 0.25]), 0.5, 4)
    assert P.classify(after, after, saddle) == "saddle"
    far = P.Settled(_state(0.2598, 1e-11, 40.0, [1e-3, 0.25]), 16.0, 30)
    assert P.classify(after, after, far) == P.classify(after, after)  # not where the run is
    lower = P.Settled(_state(0.1, 1e-11, 30.0, [1e-3, 0.25]), 8.0, 30)
    assert P.classify(after, after, lower) == "not a minimum"  # gradient descent is level
    falling = _state(0.3, 1e-5, 20.0, [1e-8, 0.25])  # 13 % higher at the first cap
    assert P.classify(falling, after, lower) == "still descending"
    assert P.classify(after, None, lower) == "plateau"


def test_end_state_ray_error_is_the_lower_of_two_rays() -> None:
    params = _one_net("xor_direct")
    X, D = P.task_data("xor_direct")
    every = {"W": [1.5 * w for w in params["W"]], "b": [1.5 * b for b in params["b"]],
             "D": 1.5 * params["D"]}
    hidden = {"W": [1.5 * params["W"][0], params["W"][1]],
              "b": [1.5 * params["b"][0], params["b"][1]], "D": params["D"]}
    errors = [0.5 * np.sum((P.forward(p, X)[-1] - D) ** 2) for p in (every, hidden)]
    assert P.end_state(params, X, D).ray_error == pytest.approx(min(errors))


def test_every_run_unfinished_at_the_long_cap_is_trained_further() -> None:
    for name in P.TRAINED_ON:
        u = P.load_results()[name].unfinished
        left = set(u.seeds[~u.converged].tolist())
        assert set(u.further) == left and u.further_sweeps == P.FURTHER_SWEEPS
        kinds = u.kinds()
        for seed, (n, ok) in u.further.items():
            assert (ok and P.LONG_SWEEPS < n <= P.FURTHER_SWEEPS) or (
                not ok and n == P.FURTHER_SWEEPS)
            assert (seed in u.states) == (not ok)
            assert (kinds[seed] == "long plateau") == ok


def test_end_state_rejects_a_batch_of_networks() -> None:
    res = P.sweep("xor", 2, max_sweeps=3)
    X, D = P.task_data("xor")
    stacked = {"W": tasks._views(res.theta, P.TASKS["xor"])["W"],
               "b": tasks._views(res.theta, P.TASKS["xor"])["b"], "D": None}
    with pytest.raises(ValueError, match="one network"):
        P.end_state(stacked, X, D)
    with pytest.raises(ValueError, match="dict with lists 'W' and 'b'"):
        P.hessian([np.zeros((2, 2))], X, D)


def test_the_unfinished_runs_are_the_ones_that_did_not_converge() -> None:
    cached = P.load_results()
    for name, *_ in P.CACHED_RUNS:
        res = cached[name]
        if name not in P.TRAINED_ON:
            assert res.unfinished is None
            continue
        u = res.unfinished
        assert u.seeds.tolist() == res.seeds[~res.converged].tolist()
        assert u.max_sweeps == P.LONG_SWEEPS
        assert np.all(u.sweeps[u.converged] > res.max_sweeps)
        assert np.all(u.sweeps[~u.converged] == P.LONG_SWEEPS)
        kinds = u.kinds()
        assert all(kinds[s] == "plateau" for s in u.seeds[u.converged].tolist())
        for _, after, settled in u.states.values():  # at 100,000 and 500,000 sweeps
            assert isinstance(settled, P.Settled)
            assert settled.state.error <= after.error  # Newton only goes down


def test_an_unfinished_symmetry_run_learns_when_trained_on() -> None:
    # A run that escapes a plateau after 20,000 sweeps: a rerun escapes too. Long plateau
    # runs amplify round-off, so the escape sweep is compared to within 2 %.
    u = P.load_results()["symmetry"].unfinished
    seed, cached_sweeps = int(u.seeds[0]), int(u.sweeps[0])
    r = P.run("symmetry", seed, max_sweeps=P.LONG_SWEEPS)
    assert u.converged[0] and r.converged
    assert abs(r.sweeps - cached_sweeps) <= 0.02 * cached_sweeps


def test_trained_on_merges_the_unfinished_runs() -> None:
    cached = P.load_results()
    res = cached["parity"]
    u = res.unfinished
    for further, cap in ((False, P.LONG_SWEEPS), (True, P.FURTHER_SWEEPS)):
        longer = res.trained_on(further)
        assert longer.max_sweeps == cap and longer.settings["max_sweeps"] == cap
        assert longer.converged.sum() == res.converged_within(cap)
        done = res.converged  # the runs that had finished keep their counts
        np.testing.assert_array_equal(longer.sweeps[done], res.sweeps[done])
    assert res.converged_within(P.LONG_SWEEPS) == res.converged.sum() + u.converged.sum()
    assert res.converged_within(P.MAX_SWEEPS) == res.converged.sum()
    assert res.converged_within(1000) == (res.sweeps[res.converged] <= 1000).sum()
    with pytest.raises(ValueError, match="the cached results that do are: xor"):
        cached["encoder"].trained_on()


def test_network_counts_from_the_end_like_a_list() -> None:
    res = P.sweep("xor", 3, max_sweeps=5)
    np.testing.assert_array_equal(res.network(-1)["W"][0], res.network(2)["W"][0])


def test_the_training_loop_calls_the_unchecked_functions() -> None:
    """The checks of forward, output_error and backward cost nothing per sweep."""
    assert sigmoid_nets._forward is P.forward.__wrapped__
    assert sigmoid_nets._backward is P.backward.__wrapped__
    assert sigmoid_nets._output_error is P.output_error.__wrapped__


def test_settings_are_checked_once_into_frozen_dataclasses() -> None:
    s = training._settings(P.TASKS["family_trees"], {"max_sweeps": 7}, "run")
    assert isinstance(s.train, sigmoid_nets.TrainSettings)
    assert s.train.sweeps == P.FAMILY_SWEEPS and not s.train.stop  # a fixed length
    assert s.train.margin == P.FAMILY_MARGIN and s.held_out == P.FAMILY_HELD_OUT
    assert training._settings(P.TASKS["xor"], {"max_sweeps": 7}).train.stop
    with pytest.raises(AttributeError):
        s.train.epsilon = 1.0  # type: ignore[misc]
