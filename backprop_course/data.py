"""The course's data sets, and mini-batches.

Every data set is made here or ships inside a package (the 8×8 digits come with
scikit-learn), so nothing is downloaded. Labels are integer class indices and
inputs are float64 arrays of shape (N, D), batch first.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .init import RngLike, as_rng

__all__ = ["xor", "spirals", "digits", "train_test_split", "batches", "one_hot"]
__all__ += ["symmetry", "parity", "encoder", "family_trees", "FamilyTrees"]


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR patterns: ``X`` (4, 2) of 0/1 and labels ``y`` (4,) = x1 XOR x2."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


# ----------------------------------------------- the tasks of Rumelhart, Hinton & Williams (1986)
def _all_bit_patterns(n: int) -> np.ndarray:
    """All 2**n patterns of n bits (0/1), row i being i in binary, most significant bit first."""
    i = np.arange(2**n)[:, None]
    return ((i >> np.arange(n - 1, -1, -1)) & 1).astype(np.float64)


def symmetry(n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Mirror symmetry: all ``2**n`` binary patterns, labelled 1 if one reads the same reversed.

    The paper's task is ``n = 6`` (64 patterns, 8 of them symmetric). Returns ``X``
    (2**n, n) of 0/1, row i being i in binary, and labels ``y`` (2**n,).
    """
    n = _positive_int("n", n)
    X = _all_bit_patterns(n)
    return X, np.all(X == X[:, ::-1], axis=1).astype(np.int64)


def parity(n: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """n-bit parity: all ``2**n`` binary patterns, labelled 1 if an odd number of bits are on."""
    n = _positive_int("n", n)
    X = _all_bit_patterns(n)
    return X, (X.sum(axis=1).astype(np.int64) % 2)


def encoder(n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The n-input encoder problem: the n one-hot patterns, each its own target.

    Returns ``X`` and targets ``Y``, both the (n, n) identity (separate arrays).
    """
    n = _positive_int("n", n)
    return np.eye(n), np.eye(n)


# The English family of the paper's Fig. 2, as couples and their children.
_ENGLISH = ["Christopher", "Penelope", "Andrew", "Christine", "Margaret", "Arthur",
            "Victoria", "James", "Jennifer", "Charles", "Colin", "Charlotte"]
# The Italian family is isomorphic: the k-th Italian plays the k-th English role.
_ITALIAN = ["Roberto", "Maria", "Pierro", "Francesca", "Gina", "Emilio",
            "Lucia", "Marco", "Angela", "Tomaso", "Alfonso", "Sophia"]
_RELATIONS = ["father", "mother", "husband", "wife", "son", "daughter",
              "uncle", "aunt", "brother", "sister", "nephew", "niece"]
_MALE = {"Christopher", "Andrew", "Arthur", "James", "Charles", "Colin"}
# (husband, wife) -> children
_COUPLES = {
    ("Christopher", "Penelope"): ["Arthur", "Victoria"],
    ("Andrew", "Christine"): ["James", "Jennifer"],
    ("Arthur", "Margaret"): [],
    ("James", "Victoria"): ["Colin", "Charlotte"],
    ("Charles", "Jennifer"): [],
}


def _english_relatives(person: str, relation: str) -> set[str]:
    """Who is ``person``'s ``relation`` in the English tree (e.g. Colin's aunts)."""
    parents = {kid: set(c) for c, kids in _COUPLES.items() for kid in kids}
    spouse = {h: w for h, w in _COUPLES} | {w: h for h, w in _COUPLES}
    children = {p: set(kids) for c, kids in _COUPLES.items() for p in c}

    def male(people: set[str]) -> set[str]:
        return {q for q in people if q in _MALE}

    def female(people: set[str]) -> set[str]:
        return {q for q in people if q not in _MALE}

    def siblings(p: str) -> set[str]:
        mine = parents.get(p, set())
        return {q for q, theirs in parents.items() if q != p and theirs == mine and mine}

    def with_spouses(people: set[str]) -> set[str]:
        return people | {spouse[q] for q in people if q in spouse}

    # uncles and aunts: the parents' siblings and those siblings' spouses
    piblings = with_spouses({s for p in parents.get(person, set()) for s in siblings(p)})
    # nephews and nieces: the children of one's own and one's spouse's siblings
    in_law = siblings(person) | (siblings(spouse[person]) if person in spouse else set())
    nieblings = {k for s in in_law for k in children.get(s, set())}
    kin = {
        "father": male(parents.get(person, set())),
        "mother": female(parents.get(person, set())),
        "husband": male({spouse[person]}) if person in spouse else set(),
        "wife": female({spouse[person]}) if person in spouse else set(),
        "son": male(children.get(person, set())),
        "daughter": female(children.get(person, set())),
        "uncle": male(piblings),
        "aunt": female(piblings),
        "brother": male(siblings(person)),
        "sister": female(siblings(person)),
        "nephew": male(nieblings),
        "niece": female(nieblings),
    }
    return kin[relation]


@dataclass(frozen=True)
class FamilyTrees:
    """The two family trees of the paper as input and target vectors.

    Attributes
    ----------
    people : list of str
        The 24 people, the 12 English first, then their 12 Italian counterparts.
    relations : list of str
        The 12 relationships.
    cases : list of (str, str, tuple of str)
        The 104 cases (person 1, relationship, every correct person 2), e.g.
        ``("Colin", "aunt", ("Jennifer", "Margaret"))``.
    X : numpy.ndarray, shape (104, 36)
        Inputs: one unit on among the 24 people, one among the 12 relationships.
    Y : numpy.ndarray, shape (104, 24)
        Targets: 1 for every correct person 2, 0 for the others.
    """

    people: list[str]
    relations: list[str]
    cases: list[tuple[str, str, tuple[str, ...]]]
    X: np.ndarray
    Y: np.ndarray

    @property
    def triples(self) -> list[tuple[str, str, str]]:
        """The 112 facts (person 1, relationship, person 2); a case with two answers gives two."""
        return [(p, r, q) for p, r, answers in self.cases for q in answers]


def family_trees() -> FamilyTrees:
    """The family-trees task of Rumelhart, Hinton & Williams (1986), Figs 2-4.

    Two isomorphic families of 12 people and 12 relationships give 104 cases
    (person 1, relationship) that have an answer; in 8 of them (the aunts and
    uncles of the youngest generation) there are two correct answers, so the
    104 cases hold 112 facts.
    """
    people, relations = _ENGLISH + _ITALIAN, list(_RELATIONS)
    to_italian = dict(zip(_ENGLISH, _ITALIAN, strict=True))
    cases: list[tuple[str, str, tuple[str, ...]]] = []
    for family in ("English", "Italian"):
        for person in _ENGLISH:
            for relation in relations:
                answers = sorted(_english_relatives(person, relation), key=people.index)
                if not answers:
                    continue
                if family == "Italian":
                    person_, answers = to_italian[person], [to_italian[q] for q in answers]
                else:
                    person_ = person
                cases.append((person_, relation, tuple(answers)))
    X = np.zeros((len(cases), len(people) + len(relations)))
    Y = np.zeros((len(cases), len(people)))
    for row, (person, relation, answers) in enumerate(cases):
        X[row, people.index(person)] = 1.0
        X[row, len(people) + relations.index(relation)] = 1.0
        Y[row, [people.index(q) for q in answers]] = 1.0
    return FamilyTrees(people, relations, cases, X, Y)


def spirals(
    n: int = 100, classes: int = 3, noise: float = 0.2, seed: RngLike = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms in the plane, one arm per class: not linearly separable.

    Parameters
    ----------
    n : int
        Points per class.
    classes : int
        Number of arms (classes).
    noise : float
        Standard deviation of the angular noise, in radians.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : numpy.ndarray, shape (n * classes, 2)
        Points within the unit disc.
    y : numpy.ndarray of int, shape (n * classes,)
    """
    n, classes = _positive_int("n", n), _positive_int("classes", classes)
    if not (isinstance(noise, int | float) and noise >= 0):
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")
    rng = as_rng(seed)
    X = np.zeros((n * classes, 2))
    y = np.zeros(n * classes, dtype=np.int64)
    for k in range(classes):
        radius = np.linspace(0.0, 1.0, n)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, n) + rng.normal(0.0, noise, n)
        rows = slice(n * k, n * (k + 1))
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = k
    return X, y


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 handwritten digits (1,797 images of 0-9) bundled with scikit-learn.

    Returns
    -------
    X : numpy.ndarray, shape (1797, 64)
        Pixel intensities scaled from 0..16 to 0..1, row by row.
    y : numpy.ndarray of int, shape (1797,)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:  # pragma: no cover - scikit-learn is in requirements.txt
        raise ImportError(
            "digits() needs scikit-learn: python -m pip install scikit-learn"
        ) from err
    bunch = load_digits()
    return bunch.data.astype(np.float64) / 16.0, bunch.target.astype(np.int64)


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float = 0.25,
    seed: RngLike = 0,
    stratify: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split into training and test sets: ``X_train, X_test, y_train, y_test``.

    With ``stratify`` (the default) each class keeps its proportion in both sets.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    rng = as_rng(seed)
    if stratify:
        test_idx = []
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            test_idx.append(members[: int(round(test_fraction * len(members)))])
        test = np.sort(np.concatenate(test_idx))
    else:
        test = np.sort(rng.permutation(len(X))[: int(round(test_fraction * len(X)))])
    train = np.setdiff1d(np.arange(len(X)), test)
    return X[train], X[test], y[train], y[test]


def batches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    seed: RngLike = 0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield mini-batches ``(X_batch, y_batch)`` covering the data once (an epoch).

    The last batch is smaller when ``batch_size`` does not divide ``len(X)``.
    With ``shuffle``, the order is a permutation drawn from ``seed``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    batch_size = _positive_int("batch_size", batch_size)
    order = as_rng(seed).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows of zeros with a 1 at each label: shape (N, n_classes)."""
    labels = np.asarray(labels)
    n_classes = _positive_int("n_classes", n_classes)
    if labels.dtype.kind not in "iu" or (
        labels.size and (labels.min() < 0 or labels.max() >= n_classes)
    ):
        raise ValueError(f"labels must be ints in 0..{n_classes - 1}")
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels.ravel()] = 1.0
    return out
