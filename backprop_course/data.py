"""The course's data sets, and mini-batches.

Every data set is made here or ships inside a package (the 8×8 digits come with
scikit-learn), so nothing is downloaded. Labels are integer class indices and
inputs are float64 arrays of shape (N, D), batch first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .checks import flag, int_at_least, real_number, rows
from .init import RngLike, as_rng

__all__ = ["xor", "spirals", "digits", "train_test_split", "batches", "one_hot"]
__all__ += ["symmetry", "parity", "encoder", "family_trees", "FamilyTrees"]


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
    Raises ValueError if ``n`` is not a positive int.
    """
    n = int_at_least(n, 1, "n", "symmetry")
    X = _all_bit_patterns(n)
    return X, np.all(X == X[:, ::-1], axis=1).astype(np.int64)


def parity(n: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """n-bit parity: all ``2**n`` binary patterns, labelled 1 if an odd number of bits are on.

    Raises ValueError if ``n`` is not a positive int.
    """
    n = int_at_least(n, 1, "n", "parity")
    X = _all_bit_patterns(n)
    return X, (X.sum(axis=1).astype(np.int64) % 2)


def encoder(n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The n-input encoder problem: the n one-hot patterns, each its own target.

    Returns ``X`` and targets ``Y``, both the (n, n) identity (separate arrays).
    Raises ValueError if ``n`` is not a positive int.
    """
    n = int_at_least(n, 1, "n", "encoder")
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

    Made by :func:`family_trees`. Raises TypeError if ``people``, ``relations`` or
    ``cases`` is not a list, ValueError if ``X`` or ``Y`` does not have a row per case
    and a column per person (and, for ``X``, per relation).
    """

    people: list[str]
    relations: list[str]
    cases: list[tuple[str, str, tuple[str, ...]]]
    X: np.ndarray
    Y: np.ndarray

    def __post_init__(self) -> None:
        for name in ("people", "relations", "cases"):
            if not isinstance(getattr(self, name), list | tuple):
                raise TypeError(f"FamilyTrees: {name} must be a list, got "
                                f"{type(getattr(self, name)).__name__}")
        n, width = len(self.cases), len(self.people) + len(self.relations)
        for name, shape in (("X", (n, width)), ("Y", (n, len(self.people)))):
            value = getattr(self, name)
            if not isinstance(value, np.ndarray) or value.shape != shape:
                raise ValueError(
                    f"FamilyTrees: {name} must be an array of shape {shape} (one row per case; "
                    f"{'people, then relations' if name == 'X' else 'people'}), got "
                    f"{getattr(value, 'shape', type(value).__name__)}"
                )

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

    Raises
    ------
    ValueError
        If ``n`` or ``classes`` is not a positive int, or ``noise`` is not a finite
        non-negative number.
    TypeError
        If ``seed`` is neither an int nor a Generator.
    """
    n = int_at_least(n, 1, "n", "spirals")
    classes = int_at_least(classes, 1, "classes", "spirals")
    real_number(noise, "noise", "a finite non-negative number", lambda v: v >= 0, "spirals",
                finite=True)
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

    With ``stratify`` (the default) each class keeps its proportion in both sets:
    ``round(test_fraction * n_c)`` of the ``n_c`` rows of class ``c`` go to the test set.
    A class is a label of ``y`` (N,), or a whole row of a 2-D ``y`` (e.g. one-hot targets).

    Raises
    ------
    ValueError
        If ``X`` and ``y`` do not have one row per example each, there are no rows,
        ``test_fraction`` is not a number strictly between 0 and 1, ``stratify`` is
        not a bool, ``y`` holds real-valued targets (not class labels) while
        ``stratify`` is on (pass ``stratify=False``), or the split would leave the
        test set or the training set empty.
    TypeError
        If ``seed`` is neither an int nor a Generator.
    """
    X, y = rows(X, "X", "train_test_split"), rows(y, "y", "train_test_split")
    if len(X) != len(y):
        raise ValueError(f"train_test_split: X has {len(X)} rows but y has {len(y)}")
    if len(X) == 0:
        raise ValueError("train_test_split: X and y have no rows to split")
    real_number(test_fraction, "test_fraction", "a number between 0 and 1 (exclusive)",
                lambda f: 0.0 < f < 1.0, "train_test_split", finite=True)
    stratify = flag(stratify, "train_test_split: stratify")
    rng = as_rng(seed)
    if stratify:
        classes = _stratum_of_each_row(y)
        test_idx = []
        for label in range(classes.max() + 1):
            members = rng.permutation(np.flatnonzero(classes == label))
            test_idx.append(members[: int(round(test_fraction * len(members)))])
        test = np.sort(np.concatenate(test_idx))
    else:
        test = np.sort(rng.permutation(len(X))[: int(round(test_fraction * len(X)))])
    if not 0 < len(test) < len(X):
        which, other = ("test", "training") if len(test) == 0 else ("training", "test")
        per_class = (" (with stratify, each class's share is rounded on its own: "
                     "a class of n rows gives round(test_fraction * n) of them)"
                     if stratify else "")
        raise ValueError(
            f"train_test_split: test_fraction = {test_fraction!r} of {len(X)} rows leaves the "
            f"{which} set empty and puts every row in the {other} set{per_class}; "
            "choose another test_fraction or use more data"
        )
    train = np.setdiff1d(np.arange(len(X)), test)
    return X[train], X[test], y[train], y[test]


def _stratum_of_each_row(y: np.ndarray) -> np.ndarray:
    """Each row's class as 0, 1, ... in the sorted order of the labels (rows of a 2-D ``y``)."""
    if y.dtype.kind == "f" and not np.all(np.mod(y[np.isfinite(y)], 1) == 0):
        raise ValueError(
            "train_test_split: stratify=True keeps each class's share, but y holds real "
            "values (e.g. "
            f"{float(y[np.mod(y, 1) != 0].ravel()[0])!r}), not class labels; pass stratify=False "
            "to split real-valued targets"
        )
    _, classes = np.unique(y.reshape(len(y), -1), axis=0, return_inverse=True)
    return classes.ravel()


def batches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    seed: RngLike = 0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield mini-batches ``(X_batch, y_batch)`` covering the data once (an epoch).

    The last batch is smaller when ``batch_size`` does not divide ``len(X)``.
    With ``shuffle``, the order is a permutation drawn from ``seed``. The
    arguments are checked when ``batches`` is called, before the first batch.

    Raises
    ------
    ValueError
        If ``X`` and ``y`` do not have one row per example each, ``batch_size`` is not
        a positive int, or ``shuffle`` is not a bool.
    TypeError
        If ``seed`` is neither an int nor a Generator.
    """
    X, y = rows(X, "X", "batches"), rows(y, "y", "batches")
    if len(X) != len(y):
        raise ValueError(f"batches: X has {len(X)} rows but y has {len(y)}")
    batch_size = int_at_least(batch_size, 1, "batch_size", "batches")
    shuffle = flag(shuffle, "batches: shuffle")
    order = as_rng(seed).permutation(len(X)) if shuffle else np.arange(len(X))
    return _batches(X, y, order, batch_size)


def _batches(X: np.ndarray, y: np.ndarray, order: np.ndarray, batch_size: int
             ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows of zeros with a 1 at each label: shape (N, n_classes).

    Raises
    ------
    ValueError
        If ``labels`` is not 1-D (N,), is not made of integers (floats such as 1.0
        and bools are refused, as by PyTorch's ``one_hot``), or holds a label outside
        ``0 .. n_classes - 1``; or if ``n_classes`` is not a positive int.
    """
    labels = np.asarray(labels)
    n_classes = int_at_least(n_classes, 1, "n_classes", "one_hot")
    if labels.ndim != 1:
        raise ValueError(f"one_hot: labels must be 1-D, one per row (N,), got shape {labels.shape}")
    if labels.size == 0:
        return np.zeros((0, n_classes))
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"one_hot: labels must be ints in 0..{n_classes - 1} (class indices), got dtype "
            f"{labels.dtype}: {labels[:3].tolist()}"
        )
    bad = labels[(labels < 0) | (labels >= n_classes)]
    if bad.size:
        raise ValueError(
            f"one_hot: labels must be ints in 0..{n_classes - 1} for n_classes = {n_classes}; "
            f"got {bad[0]}"
        )
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out
