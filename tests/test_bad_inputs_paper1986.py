"""Bad inputs for chapter 9's additions: Newton's method from a run's end (``settle``), the
cache's check and readers, the family-tree analyses, Fig. 4, and the trainer's options.

As everywhere in the package, a value of the wrong kind is a TypeError and a value of the
right kind out of range is a ValueError; each message names the function and the argument.
None of these cases trains for more than a few sweeps.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import Case, check, ids

from backprop_course import sigmoid_nets, viz
from backprop_course.experiments import paper1986 as P

P86 = "experiments.paper1986."
X4, D4 = P.task_data("xor")
NET = {"W": [np.ones((2, 2)), np.ones((2, 1))], "b": [np.zeros(2), np.zeros(1)], "D": None}
STATE = P.EndState(1.0, 0.1, 2.0, np.array([0.5, 1.0]), 0.9)
ONES = np.ones((3, 4))


def _no_rotation(tmp: Path) -> Path:
    path = tmp / "runs_only.json"
    path.write_text(json.dumps({"runs": {}, "networks": {}}))
    return path


CASES = [
    Case(P86 + "analysis.settle", "a network of many seeds",
         lambda: P.settle({"W": [np.ones((2, 2, 2)), np.ones((2, 2, 1))],
                           "b": [np.zeros((2, 2)), np.zeros((2, 1))], "D": None}, X4, D4),
         ValueError, "one network"),
    Case(P86 + "analysis.settle", "zero steps", lambda: P.settle(NET, X4, D4, steps=0),
         ValueError, "settle: steps must be an int >= 1"),
    Case(P86 + "analysis.settle", "targets of the wrong width",
         lambda: P.settle(NET, X4, np.ones((4, 2))), ValueError, "their targets"),
    Case(P86 + "analysis.Settled", "a dict for the state",
         lambda: P.Settled({"error": 1.0}, 0.5, 3), TypeError, "state must be an EndState"),
    Case(P86 + "analysis.Settled", "a negative distance",
         lambda: P.Settled(STATE, -1.0, 3), TypeError, "moved must be a non-negative"),
    Case(P86 + "analysis.Settled.from_json", "a key missing",
         lambda: P.Settled.from_json({"state": STATE.to_json(), "moved": 1.0}), ValueError,
         "keys state, moved, steps"),
    Case(P86 + "analysis.classify", "a string for settled",
         lambda: P.classify(STATE, STATE, "local minimum"), TypeError,
         "settled must be None or a Settled"),
    Case(P86 + "cache.check_cache", "an unknown entry",
         lambda: P.check_cache(names=["xnor"]), ValueError, "the entries are: xor"),
    Case(P86 + "cache.check_cache", "a number for the path",
         lambda: P.check_cache(3), TypeError, "path must be a file path"),
    Case(P86 + "cache.load_rotation", "a missing file",
         lambda: P.load_rotation("/nonexistent-folder/results.json"), FileNotFoundError,
         "load_rotation: no results file"),
    Case(P86 + "cache.load_trace", "an unknown trace",
         lambda: P.load_trace("x100"), ValueError, "the traces are: stated"),
    Case(P86 + "cache.load_trace", "a list for the name",
         lambda: P.load_trace(["stated"]), ValueError, "no cached trace"),
    Case(P86 + "cache.regenerate", "an unknown entry (was after hours of the others)",
         lambda: P.regenerate("/tmp/never-written.json", only=["xnor"]), ValueError,
         "no entry 'xnor'"),
    Case(P86 + "family.person_units", "weights of another network",
         lambda: P.person_units(np.zeros((2, 9))), ValueError, "person_units: theta must be"),
    Case(P86 + "family.person_units", "strings", lambda: P.person_units([["a"]]), TypeError,
         "person_units: theta must be an array of real numbers"),
    Case(P86 + "family.separating_units", "the weights transposed",
         lambda: P.separating_units(np.zeros((6, 24))), ValueError, "(24, 6) or (nets, 24, 6)"),
    Case(P86 + "family.separating_units", "NaN weights",
         lambda: P.separating_units(np.full((24, 6), np.nan)), ValueError, "NaN"),
    Case(P86 + "family.layer_balance", "an unknown setting",
         lambda: P.layer_balance(0, learning_rate=0.1), ValueError, "unknown setting"),
    Case(P86 + "family.layer_balance", "a negative seed",
         lambda: P.layer_balance(-1, sweeps=1), ValueError, "seeds must be"),
    Case(P86 + "family.rotation", "no rotations",
         lambda: P.rotation(0), ValueError, "rotation: rotations must be an int >= 1"),
    Case(P86 + "family.LayerBalance", "rows of different lengths",
         lambda: P.LayerBalance(ONES, ONES, ONES, np.ones(3), np.ones(3), np.ones(2)),
         ValueError, "one row per sweep"),
    Case(P86 + "family.LayerBalance", "lists, not arrays",
         lambda: P.LayerBalance([[0.0] * 4], ONES, ONES, np.ones(3), np.ones(3), np.ones(3)),
         TypeError, "must be NumPy arrays"),
    Case(P86 + "family.Rotation", "case numbers past 103",
         lambda: P.Rotation(np.arange(1), np.array([[0, 1, 2, 104]]), np.zeros((1, 4), bool),
                            np.zeros(1), {}), ValueError, "case numbers 0 to 103"),
    Case(P86 + "family.Rotation", "settings as a list",
         lambda: P.Rotation(np.arange(1), np.array([[0, 1, 2, 3]]), np.zeros((1, 4), bool),
                            np.zeros(1), []), TypeError, "settings a dict"),
    Case(P86 + "training.sweep", "held-out cases repeated",
         lambda: P.sweep("family_trees", 1, held=[[0, 0, 1, 2]], sweeps=1), ValueError,
         "distinct case numbers"),
    Case(P86 + "training.sweep", "one row of held-out cases for two seeds",
         lambda: P.sweep("family_trees", 2, held=[[0, 1, 2, 3]], sweeps=1), ValueError,
         "2 rows"),
    Case(P86 + "training.sweep", "one_sided as a string",
         lambda: P.sweep("family_trees", 1, sweeps=1, one_sided="yes"), TypeError,
         "one_sided must be True or False"),
    Case(P86 + "results.SweepResult.converged_within", "a cap past what was trained",
         lambda: P.load_results()["encoder"].converged_within(10**6), ValueError,
         "cap must be an int from 0 to 20,000"),
    Case("sigmoid_nets.TrainSettings", "decay_biases as 0",
         lambda: sigmoid_nets.TrainSettings(0.5, 0.9, 10, decay_biases=0), TypeError,
         "decay_biases must be True or False"),
    Case("sigmoid_nets.output_error", "one_sided as a string",
         lambda: sigmoid_nets.output_error(np.ones((2, 1)), np.ones((2, 1)), 0.2, "yes"),
         TypeError, "output_error: one_sided must be True or False"),
    Case("sigmoid_nets.gradients", "one_sided as None",
         lambda: sigmoid_nets.gradients(NET, X4, D4, 0.2, None), TypeError,
         "gradients: one_sided must be True or False"),
    Case("sigmoid_nets.train", "a monitor that is not a function",
         lambda: sigmoid_nets.train(sigmoid_nets.TrainSettings(0.5, 0.9, 3), np.zeros((1, 9)),
                                    (2, 2, 1), X4, D4, monitor=[]), TypeError,
         "monitor must be None or a function"),
    Case("viz.paper1986.plot_person_units", "the weights of one unit only",
         lambda: viz.plot_person_units(np.zeros(24), ["p"] * 24), ValueError,
         "W_people must be (24, 6)"),
    Case("viz.paper1986.plot_person_units", "names as one string",
         lambda: viz.plot_person_units(np.zeros((24, 6)), "Christopher"), TypeError,
         "people must be a list of 24 str"),
    Case("viz.paper1986.plot_person_units", "five titles",
         lambda: viz.plot_person_units(np.zeros((24, 6)), ["p"] * 24, ["t"] * 5), ValueError,
         "titles needs 6 entries"),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)


def test_load_rotation_of_a_file_without_one(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="holds no rotation"):
        P.load_rotation(_no_rotation(tmp_path))
