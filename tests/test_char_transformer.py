"""The char_transformer experiment (chapter 14): the cached run is what the code trains, a
short run learns, and the held-out sonnets are never trained on."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_course import texts
from backprop_course.experiments import char_transformer
from backprop_course.nn_attention import CharTransformer


def test_the_cached_run_is_what_a_fresh_run_gives() -> None:
    """The file's first steps, trained again: the same losses (Adam is not chaotic over 5 steps)."""
    cached = char_transformer.load_results()
    assert cached["settings"] == char_transformer.CACHED
    fresh = char_transformer.train(**{**char_transformer.CACHED, "steps": 5})
    np.testing.assert_allclose(fresh.losses, cached["losses"][:5], rtol=1e-9)
    np.testing.assert_allclose(fresh.grad_norms, cached["grad_norms"][:5], rtol=1e-7)
    # before any step, the held-out loss is the untrained model's, as in the file
    np.testing.assert_allclose(fresh.held_out_losses[0], cached["held_out_losses"][0],
                               rtol=1e-9)
    assert len(cached["losses"]) == char_transformer.CACHED["steps"]
    every = char_transformer.CACHED["eval_every"]
    np.testing.assert_array_equal(cached["held_out_steps"],
                                  np.arange(0, char_transformer.CACHED["steps"] + 1, every))
    assert cached["losses"][-100:].mean() < 1.9 < 3.5 < cached["losses"][:5].mean()
    assert cached["cpu_seconds"] > 0
    samples = cached["samples"]
    assert len(samples["after"]) == len(samples["before"]) == 300


def test_a_short_run_learns_and_records_every_block() -> None:
    run = char_transformer.train(40, D=16, n_heads=2, n_layers=2, context=16, batch=8, seed=1,
                                 eval_every=20)
    assert run.losses.shape == (40,) and run.grad_norms.shape == (40, 2)
    assert run.losses[-10:].mean() < run.losses[:5].mean() - 0.5
    assert (run.grad_norms > 0).all()
    np.testing.assert_array_equal(run.held_out_steps, [0, 20, 40])
    assert run.held_out_losses[-1] < run.held_out_losses[0] - 0.5


def test_the_split_keeps_every_character_and_holds_out_sonnets_51_to_60() -> None:
    train_text, held_out = texts.sonnets_split()
    assert train_text + held_out == texts.sonnets()
    assert held_out.startswith("LI\n") and "\nLX\n" in held_out
    assert "\nL\n" in train_text and "\nLI\n" not in train_text
    # every character of the held-out part has an id in the training part's vocabulary
    assert set(held_out) <= set(train_text)


def test_training_draws_windows_only_from_the_training_part(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    seen = []
    original = char_transformer.random_windows

    def recording(ids, T, N, rng=None):  # noqa: ANN001, ANN202
        seen.append(np.asarray(ids))
        return original(ids, T, N, rng)

    monkeypatch.setattr(char_transformer, "random_windows", recording)
    char_transformer.train(3, D=8, n_heads=2, n_layers=1, context=8, batch=2)
    train_text, _ = texts.sonnets_split()
    codec = texts.CharCodec(texts.sonnets())
    assert len(seen) == 3
    for ids in seen:
        np.testing.assert_array_equal(ids, codec.encode(train_text))


def test_the_held_out_loss_is_the_mean_cross_entropy_of_every_window() -> None:
    """Against the cross-entropy written out from the model's logits, window by window."""
    model = CharTransformer(6, D=8, n_heads=2, n_layers=1, context=4, rng=3)
    ids = np.random.default_rng(0).integers(0, 6, size=23)   # 5 windows of 4, 2 left over
    total, count = 0.0, 0
    for start in range(0, 20, 4):
        logits = model(ids[None, start:start + 4]).data[0]
        logp = logits - logits.max(axis=1, keepdims=True)
        logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
        total -= logp[np.arange(4), ids[start + 1:start + 5]].sum()
        count += 4
    assert model.training
    np.testing.assert_allclose(char_transformer.held_out_loss(model, ids), total / count,
                               rtol=1e-12)
    assert model.training  # the mode it had is given back
