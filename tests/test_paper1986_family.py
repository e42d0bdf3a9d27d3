"""The family trees: the people's features, the units of Fig. 4, the balance of gradient and
decay, and every case held out in turn."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_course import data
from backprop_course.experiments import paper1986 as P
from backprop_course.experiments.paper1986 import family

TREES = data.family_trees()


def _answers(person: str, relation: str) -> tuple:
    return next((a for p, r, a in TREES.cases if p == person and r == relation), ())


def test_person_features_follow_from_the_trees() -> None:
    """Generation from the parent relations, branch from whom one descends (or, for one
    who married in, the spouse's)."""
    f = P.person_features()
    people = TREES.people
    gen = {}
    for _ in range(3):  # a person's generation is one more than their parents'
        for p in people:
            parents = _answers(p, "father") + _answers(p, "mother")
            spouse = _answers(p, "husband") + _answers(p, "wife")
            if not parents and not any(_answers(s, "father") for s in spouse):
                gen[p] = 1
            elif parents and all(q in gen for q in parents):
                gen[p] = gen[parents[0]] + 1
            elif spouse and spouse[0] in gen:
                gen[p] = gen[spouse[0]]
    assert [gen[p] for p in people] == f["generation"].tolist()
    assert f["nationality"].tolist() == [0] * 12 + [1] * 12
    founders = {"left": {"Christopher", "Penelope"}, "right": {"Andrew", "Christine"}}

    def descends_from(q: str) -> set:  # q and q's ancestors
        out = {q}
        for parent in _answers(q, "father") + _answers(q, "mother"):
            out |= descends_from(parent)
        return out

    for k, name in enumerate(people[:12]):
        lines = descends_from(name)
        if len(lines) == 1:  # no parents in the tree: the branch married into
            lines = descends_from((_answers(name, "husband") + _answers(name, "wife"))[0])
        sides = [side for side, who in founders.items() if lines & who]
        expected = -1 if len(sides) == 2 else 0 if sides == ["left"] else 1
        assert f["branch"][k] == f["branch"][k + 12] == expected, name


def test_separating_units_reads_features_off_the_weights() -> None:
    f = P.person_features()
    rng = np.random.default_rng(0)
    W = rng.normal(0, 0.1, (24, 6))
    W[:, 0] = np.where(f["nationality"] == 1, 1.0, -1.0) + rng.normal(0, 0.1, 24)
    W[:, 2] = f["generation"] * 2.0 + rng.normal(0, 0.1, 24)  # three levels, in order
    W[:, 5] = np.where(f["branch"] == 0, -1.0, np.where(f["branch"] == 1, 1.0, 5.0))
    sep = P.separating_units(W)
    assert np.flatnonzero(sep["nationality"]).tolist() == [0]
    assert np.flatnonzero(sep["generation"]).tolist() == [2]
    assert np.flatnonzero(sep["branch"]).tolist() == [5]  # Colin and Charlotte left out
    W[:, 2] = np.where(f["generation"] == 2, 9.0, f["generation"])  # 1 < 3 < 2: not in order
    assert not P.separating_units(W)["generation"][2]
    stacked = P.separating_units(np.stack([W, -W]))
    assert stacked["nationality"].shape == (2, 6) and stacked["nationality"][1, 0]


def test_person_units_are_the_first_layer_from_the_people() -> None:
    res = P.sweep("family_trees", 2, sweeps=2)
    W = P.person_units(res.theta)
    for i in range(2):
        np.testing.assert_array_equal(W[i], res.network(i)["W"][0][:24, :6])


def test_layer_balance_is_the_gradient_and_the_decay_of_each_layer() -> None:
    b = P.layer_balance(0, sweeps=5)
    run = P.run("family_trees", 0, sweeps=0)
    X, D = P.task_data("family_trees")
    train = np.setdiff1d(np.arange(104), run.held_out)
    params = {"W": run.weights, "b": run.biases, "D": None}
    grads, y = P.gradients(params, X[train], D[train], P.TASKS["family_trees"].margin)
    mask = np.abs(run.weights[0]) > 0  # the connections the first layer has
    g = [grads["W"][0] * mask] + grads["W"][1:]
    eps = P.TASKS["family_trees"].warmup[1]  # the first sweeps' learning rate
    np.testing.assert_allclose(b.pushed[0], [eps * np.linalg.norm(x) for x in g], rtol=1e-12)
    sizes = [np.linalg.norm(W) for W in run.weights]
    np.testing.assert_allclose(b.size[0], sizes, rtol=1e-12)
    np.testing.assert_allclose(b.pulled, P.TASKS["family_trees"].decay * b.size, rtol=1e-15)
    assert b.on[0] == pytest.approx(y[D[train] == 1].mean(), rel=1e-12)
    assert b.off[0] == pytest.approx(y[D[train] == 0].mean(), rel=1e-12)
    assert b.pushed.shape == (5, 4) and b.error.shape == (5,)
    assert b.error[0] == pytest.approx(run.history[0], rel=1e-12)


def test_rotation_holds_every_case_out_once_per_rotation() -> None:
    rot = P.rotation(1, sweeps=3)
    assert sorted(rot.held.ravel().tolist()) == list(range(104))
    assert rot.right.shape == (26, 4) and rot.seeds.tolist() == list(range(26))
    totals = rot.by_relation()
    relation_of = [r for _, r, _ in TREES.cases]
    for name, (right, n) in totals.items():
        assert n == relation_of.count(name) and 0 <= right <= n
    # the runs' held-out cases are those the sweep trained without
    res = P.sweep("family_trees", [0], held=rot.held[:1], sweeps=3)
    assert res.held_out.tolist() == rot.held[:1].tolist()
    assert res.held_out_correct[0] == rot.right[0].sum()


def test_the_working_set_up_is_the_stated_one_but_for_three_settings() -> None:
    task = P.TASKS["family_trees"]
    assert family.WORKING["epsilon"] == 10 * task.epsilon
    assert family.WORKING["warmup"] == (20, 10 * task.warmup[1], task.warmup[2])
    assert set(family.WORKING) == {"epsilon", "warmup", "one_sided", "init_range"}
