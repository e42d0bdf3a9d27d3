"""The char_transformer experiment (chapter 14): the cached run is what the code trains, and a
short run learns."""

from __future__ import annotations

import numpy as np

from backprop_course.experiments import char_transformer


def test_the_cached_run_is_what_a_fresh_run_gives() -> None:
    """The file's first steps, trained again: the same losses (Adam is not chaotic over 5 steps)."""
    cached = char_transformer.load_results()
    assert cached["settings"] == char_transformer.CACHED
    fresh = char_transformer.train(**{**char_transformer.CACHED, "steps": 5})
    np.testing.assert_allclose(fresh.losses, cached["losses"][:5], rtol=1e-9)
    np.testing.assert_allclose(fresh.grad_norms, cached["grad_norms"][:5], rtol=1e-7)
    assert len(cached["losses"]) == char_transformer.CACHED["steps"]
    assert cached["losses"][-100:].mean() < 1.9 < 3.5 < cached["losses"][:5].mean()
    samples = cached["samples"]
    assert len(samples["after"]) == len(samples["before"]) == 300


def test_a_short_run_learns_and_records_every_block() -> None:
    run = char_transformer.train(40, D=16, n_heads=2, n_layers=2, context=16, batch=8, seed=1)
    assert run.losses.shape == (40,) and run.grad_norms.shape == (40, 2)
    assert run.losses[-10:].mean() < run.losses[:5].mean() - 0.5
    assert (run.grad_norms > 0).all()
