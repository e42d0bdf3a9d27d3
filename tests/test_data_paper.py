"""The tasks of Rumelhart, Hinton & Williams (1986), exactly as the paper encodes them."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from backprop_course import data


def test_symmetry_has_all_64_patterns_and_8_symmetric() -> None:
    X, y = data.symmetry()
    assert X.shape == (64, 6) and y.shape == (64,)
    assert set(np.unique(X)) == {0.0, 1.0}  # binary 0/1 inputs, as in the paper
    # row i is i in binary, most significant bit first
    assert [int("".join(str(int(b)) for b in row), 2) for row in X] == list(range(64))
    assert y.sum() == 8
    for row, label in zip(X, y, strict=True):
        assert label == int(list(row) == list(row[::-1]))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_symmetry_of_other_lengths(n: int) -> None:
    X, y = data.symmetry(n)
    assert X.shape == (2**n, n)
    assert y.sum() == 2 ** ((n + 1) // 2)  # the first half (and a middle bit) is free


@pytest.mark.parametrize("n", [1, 2, 4, 6])
def test_parity(n: int) -> None:
    X, y = data.parity(n)
    assert X.shape == (2**n, n) and len({tuple(r) for r in X}) == 2**n
    np.testing.assert_array_equal(y, X.sum(axis=1) % 2)
    assert y.sum() == 2 ** (n - 1)


def test_parity_4_is_the_papers_16_patterns() -> None:
    X, y = data.parity()
    assert X.shape == (16, 4)
    assert y.tolist() == [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0]


def test_encoder() -> None:
    X, Y = data.encoder()
    np.testing.assert_array_equal(X, np.eye(8))
    np.testing.assert_array_equal(Y, np.eye(8))
    Y[0, 0] = 5.0  # separate arrays: changing one leaves the other alone
    assert X[0, 0] == 1.0
    assert data.encoder(4)[0].shape == (4, 4)


@pytest.mark.parametrize("make", [data.symmetry, data.parity, data.encoder])
@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (-1, ValueError),
                                            (2.5, TypeError), (True, TypeError)])
def test_bad_sizes_are_rejected(make, bad, error) -> None:
    """An int out of range is a ValueError; a float or a bool is not an int: a TypeError."""
    with pytest.raises(error, match=r"int >= 1"):
        make(bad)


def test_family_trees_counts_and_encoding() -> None:
    trees = data.family_trees()
    assert len(trees.people) == 24 and len(set(trees.people)) == 24
    assert trees.relations == ["father", "mother", "husband", "wife", "son", "daughter",
                               "uncle", "aunt", "brother", "sister", "nephew", "niece"]
    assert len(trees.cases) == 104  # Nature p. 534: "the 104 possible triples"
    assert len(trees.triples) == 112  # 8 of the cases have two answers
    assert sum(len(answers) == 2 for _, _, answers in trees.cases) == 8
    assert trees.X.shape == (104, 36) and trees.Y.shape == (104, 24)
    np.testing.assert_array_equal(trees.X[:, :24].sum(axis=1), 1)  # one person on
    np.testing.assert_array_equal(trees.X[:, 24:].sum(axis=1), 1)  # one relation on
    assert trees.Y.sum() == 112
    inputs = {tuple(row) for row in trees.X}
    assert len(inputs) == 104  # every case is a different question


def test_family_trees_per_relationship() -> None:
    counts = Counter(r for _, r, _ in data.family_trees().cases)
    assert counts == {"father": 12, "mother": 12, "husband": 10, "wife": 10, "son": 12,
                      "daughter": 12, "uncle": 4, "aunt": 4, "brother": 6, "sister": 6,
                      "nephew": 8, "niece": 8}


def test_family_trees_facts_of_the_papers_figures() -> None:
    cases = {(p, r): set(a) for p, r, a in data.family_trees().cases}
    # Fig. 3: Colin has two aunts
    assert cases[("Colin", "aunt")] == {"Jennifer", "Margaret"}
    assert cases[("Colin", "uncle")] == {"Arthur", "Charles"}
    assert cases[("Colin", "father")] == {"James"}
    assert cases[("Colin", "mother")] == {"Victoria"}
    assert cases[("Christopher", "wife")] == {"Penelope"}
    assert cases[("Victoria", "husband")] == {"James"}
    assert cases[("Penelope", "son")] == {"Arthur"}
    assert cases[("Andrew", "daughter")] == {"Jennifer"}
    assert cases[("Jennifer", "brother")] == {"James"}
    assert cases[("Margaret", "nephew")] == {"Colin"}
    assert cases[("Charles", "niece")] == {"Charlotte"}
    assert cases[("Sophia", "aunt")] == {"Gina", "Angela"}
    assert ("Colin", "son") not in cases  # the youngest have no children
    assert ("Christopher", "father") not in cases


def test_family_trees_are_isomorphic() -> None:
    trees = data.family_trees()
    english, italian = trees.people[:12], trees.people[12:]
    to_italian = dict(zip(english, italian, strict=True))
    cases = {(p, r): a for p, r, a in trees.cases}
    for (p, r), answers in cases.items():
        if p in to_italian:
            assert set(cases[(to_italian[p], r)]) == {to_italian[q] for q in answers}
    assert sum(p in to_italian for p, _ in cases) == 52
