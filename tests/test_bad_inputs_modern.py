"""Bad inputs for chapter 14's layers, modules, derivations and text (see tests/bad_inputs.py)."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

from backprop_course import nn_attention, nn_blocks, texts
from backprop_course.layers import attention, dropout, layernorm, lstm, transformer
from backprop_course.symbolic import modern_layers

N, T, D, H = 2, 3, 4, 2
X2, X3 = np.ones((N, D)), np.arange(N * T * D, dtype=float).reshape(N, T, D) % 5
WX, WH, B4 = np.full((D, 4 * H), 0.1), np.full((H, 4 * H), 0.1), np.zeros(4 * H)
HS = np.zeros((N, H))
WD = np.eye(D) * 0.5


def _cache(forward, *args, **kwargs):
    return forward(*args, **kwargs)[-1]


def _block_params(**changes):
    F = 5
    shapes = {"(D,)": (D,), "(D, D)": (D, D), "(D, F)": (D, F), "(F,)": (F,), "(F, D)": (F, D)}
    params = {name: np.full(shapes[s], 0.1)
              for name, s in transformer.TRANSFORMER_PARAMETERS.items()}
    params.update(changes)
    return params


CASES = [
    # ---------------------------------------------------------------- dropout
    Case("layers.dropout.dropout_forward", "p = 1 (drop everything)",
         lambda: dropout.dropout_forward(X2, 1.0), ValueError, "drop probability in [0, 1)"),
    Case("layers.dropout.dropout_forward", "a keep probability of 1.5",
         lambda: dropout.dropout_forward(X2, 1.5), ValueError, "not the keep probability"),
    Case("layers.dropout.dropout_forward", "p as a string",
         lambda: dropout.dropout_forward(X2, "0.5"), TypeError, "p must be a drop probability"),
    Case("layers.dropout.dropout_forward", "train as a string",
         lambda: dropout.dropout_forward(X2, 0.5, train="eval"), TypeError,
         "train must be True or False"),
    Case("layers.dropout.dropout_forward", "a float seed",
         lambda: dropout.dropout_forward(X2, 0.5, rng=1.5), TypeError, "rng must be None"),
    Case("layers.dropout.dropout_forward", "a negative seed",
         lambda: dropout.dropout_forward(X2, 0.5, rng=-1), ValueError, "non-negative seed"),
    Case("layers.dropout.dropout_backward", "the layer norm's cache",
         lambda: dropout.dropout_backward(X2, _cache(layernorm.layernorm_forward, X2, np.ones(D),
                                                      np.zeros(D))),
         TypeError, "needs the cache that dropout_forward returned"),
    Case("layers.dropout.dropout_backward", "dout transposed",
         lambda: dropout.dropout_backward(X2.T, _cache(dropout.dropout_forward, X2, 0.5, rng=0)),
         ValueError, "dout has shape (4, 2)"),
    # -------------------------------------------------------------- layer norm
    Case("layers.layernorm.layernorm_forward", "gamma of the batch's length",
         lambda: layernorm.layernorm_forward(X2, np.ones(N), np.zeros(D)), ValueError,
         "must both have shape (4,), the last axis"),
    Case("layers.layernorm.layernorm_forward", "a single number",
         lambda: layernorm.layernorm_forward(3.0, np.ones(1), np.zeros(1)), ValueError,
         "needs x of shape (..., D)"),
    Case("layers.layernorm.layernorm_forward", "eps = 0",
         lambda: layernorm.layernorm_forward(X2, np.ones(D), np.zeros(D), 0.0), ValueError,
         "eps must be a positive number"),
    Case("layers.layernorm.layernorm_forward", "None for beta",
         lambda: layernorm.layernorm_forward(X2, np.ones(D), None), TypeError,
         "beta must be an array"),
    Case("layers.layernorm.layernorm_backward", "the dropout cache",
         lambda: layernorm.layernorm_backward(X2, _cache(dropout.dropout_forward, X2)),
         TypeError, "needs the cache that layernorm_forward returned"),
    Case("layers.layernorm.layernorm_backward", "dout of another shape",
         lambda: layernorm.layernorm_backward(
             np.ones(D), _cache(layernorm.layernorm_forward, X2, np.ones(D), np.zeros(D))),
         ValueError, "dout has shape (4,)"),
    # -------------------------------------------------------------------- LSTM
    Case("layers.lstm.lstm_step_forward", "Wx with H columns instead of 4H",
         lambda: lstm.lstm_step_forward(X2, HS, HS, np.ones((D, 3)), WH, B4), ValueError,
         "must be 4H > 0"),
    Case("layers.lstm.lstm_step_forward", "Wh (H, H) as for a vanilla RNN",
         lambda: lstm.lstm_step_forward(X2, HS, HS, WX, np.ones((H, H)), B4), ValueError,
         "Wh has shape (2, 2) but Wx (4, 8) needs (2, 8)"),
    Case("layers.lstm.lstm_step_forward", "c_prev of another width",
         lambda: lstm.lstm_step_forward(X2, HS, np.zeros((N, 3)), WX, WH, B4), ValueError,
         "c_prev has shape (2, 3)"),
    Case("layers.lstm.lstm_step_forward", "None for c_prev",
         lambda: lstm.lstm_step_forward(X2, HS, None, WX, WH, B4), TypeError,
         "c_prev must be an array"),
    Case("layers.lstm.lstm_step_forward", "b of size H",
         lambda: lstm.lstm_step_forward(X2, HS, HS, WX, WH, np.zeros(H)), ValueError,
         "b has shape (2,)"),
    Case("layers.lstm.lstm_step_backward", "the sequence's cache",
         lambda: lstm.lstm_step_backward(HS, HS, _cache(lstm.lstm_forward, X3, HS, WX, WH, B4)),
         TypeError, "needs the cache that lstm_step_forward returned"),
    Case("layers.lstm.lstm_step_backward", "dc of another shape",
         lambda: lstm.lstm_step_backward(HS, np.zeros((N, 5)),
                                         _cache(lstm.lstm_step_forward, X2, HS, HS, WX, WH, B4)),
         ValueError, "(dc): dout has shape (2, 5)"),
    Case("layers.lstm.lstm_forward", "time-major x (T, N, D)",
         lambda: lstm.lstm_forward(X3.transpose(1, 0, 2), HS, WX, WH, B4), ValueError,
         "x is batch first"),
    Case("layers.lstm.lstm_forward", "an empty sequence",
         lambda: lstm.lstm_forward(np.ones((N, 0, D)), HS, WX, WH, B4), ValueError,
         "sequence of length 0"),
    Case("layers.lstm.lstm_forward", "one step, 2-D",
         lambda: lstm.lstm_forward(X2, HS, WX, WH, B4), ValueError, "(N, T, D)"),
    Case("layers.lstm.lstm_forward", "x with another D",
         lambda: lstm.lstm_forward(np.ones((N, T, 3)), HS, WX, WH, B4), ValueError,
         "D = 3 inputs per step"),
    Case("layers.lstm.lstm_backward", "one step's cache",
         lambda: lstm.lstm_backward(np.ones((N, T, H)),
                                    _cache(lstm.lstm_step_forward, X2, HS, HS, WX, WH, B4)),
         TypeError, "needs the cache that lstm_forward returned"),
    Case("layers.lstm.lstm_backward", "dh of one step",
         lambda: lstm.lstm_backward(HS, _cache(lstm.lstm_forward, X3, HS, WX, WH, B4)),
         ValueError, "dout has shape (2, 2)"),
    # --------------------------------------------------------------- attention
    Case("layers.attention.causal_mask", "T = 0",
         lambda: attention.causal_mask(0), ValueError, "T must be an int >= 1"),
    Case("layers.attention.causal_mask", "T as a float",
         lambda: attention.causal_mask(3.0), TypeError, "T must be an int"),
    Case("layers.attention.attention_forward", "q and k of different d",
         lambda: attention.attention_forward(np.ones((3, 4)), np.ones((3, 2)), np.ones((3, 2))),
         ValueError, "q and k need the same d"),
    Case("layers.attention.attention_forward", "one vector",
         lambda: attention.attention_forward(np.ones(4), np.ones(4), np.ones(4)), ValueError,
         "needs q (..., T_q, d)"),
    Case("layers.attention.attention_forward", "a mask of 0/1 floats",
         lambda: attention.attention_forward(X2, X2, X2, mask=np.ones((N, N))), TypeError,
         "mask must be an array of booleans"),
    Case("layers.attention.attention_forward", "a row all masked",
         lambda: attention.attention_forward(X2, X2, X2, mask=np.array([[True, True],
                                                                        [False, False]])),
         ValueError, "a row all False"),
    Case("layers.attention.attention_forward", "a mask of the wrong size",
         lambda: attention.attention_forward(X2, X2, X2, mask=np.ones((3, 3), bool)), ValueError,
         "does not broadcast"),
    Case("layers.attention.attention_forward", "causal with fewer keys",
         lambda: attention.attention_forward(np.ones((3, 2)), np.ones((2, 2)), np.ones((2, 2)),
                                             causal=True), ValueError, "needs T_q = T_k"),
    Case("layers.attention.attention_forward", "scale = 0",
         lambda: attention.attention_forward(X2, X2, X2, scale=0), ValueError,
         "scale must be a positive number"),
    Case("layers.attention.attention_backward", "the multi-head cache",
         lambda: attention.attention_backward(
             X3, _cache(attention.multihead_attention_forward, X3, WD, WD, WD, WD, 2)),
         TypeError, "needs the cache that attention_forward returned"),
    Case("layers.attention.attention_backward", "dout of the scores' shape",
         lambda: attention.attention_backward(
             np.ones((N, N)), _cache(attention.attention_forward, X2, X2, np.ones((N, 3)))),
         ValueError, "dout has shape (2, 2), but the output had shape (2, 3)"),
    Case("layers.attention.multihead_attention_forward", "heads that do not divide D",
         lambda: attention.multihead_attention_forward(X3, WD, WD, WD, WD, 3), ValueError,
         "n_heads = 3 does not divide D = 4"),
    Case("layers.attention.multihead_attention_forward", "Wo of another size",
         lambda: attention.multihead_attention_forward(X3, WD, WD, WD, np.eye(3), 2), ValueError,
         "Wo has shape (3, 3)"),
    Case("layers.attention.multihead_attention_forward", "n_heads as a float",
         lambda: attention.multihead_attention_forward(X3, WD, WD, WD, WD, 2.0), TypeError,
         "n_heads must be an int"),
    Case("layers.attention.multihead_attention_forward", "a batch of vectors, 2-D",
         lambda: attention.multihead_attention_forward(X2, WD, WD, WD, WD, 2), ValueError,
         "needs x of shape (N, T, D)"),
    Case("layers.attention.multihead_attention_backward", "the single-head cache",
         lambda: attention.multihead_attention_backward(
             X2, _cache(attention.attention_forward, X2, X2, X2)),
         TypeError, "needs the cache that multihead_attention_forward returned"),
    Case("layers.attention.multihead_attention_backward", "dout of one sequence",
         lambda: attention.multihead_attention_backward(
             X3[0], _cache(attention.multihead_attention_forward, X3, WD, WD, WD, WD, 2)),
         ValueError, "dout has shape (3, 4)"),
    # ------------------------------------------------------------- transformer
    Case("layers.transformer.transformer_block_forward", "params as a list",
         lambda: transformer.transformer_block_forward(X3, [WD], 2), TypeError,
         "params must be a dict"),
    Case("layers.transformer.transformer_block_forward", "a parameter missing",
         lambda: transformer.transformer_block_forward(
             X3, {k: v for k, v in _block_params().items() if k != "b2"}, 2), ValueError,
         "params lacks b2"),
    Case("layers.transformer.transformer_block_forward", "W1 of the wrong shape",
         lambda: transformer.transformer_block_forward(X3, _block_params(W1=np.ones((3, 5))), 2),
         ValueError, "inner dimensions"),
    Case("layers.transformer.transformer_block_forward", "residual as None",
         lambda: transformer.transformer_block_forward(X3, _block_params(), 2, residual=None),
         TypeError, "residual must be True or False"),
    Case("layers.transformer.transformer_block_backward", "the attention cache",
         lambda: transformer.transformer_block_backward(
             X3, _cache(attention.multihead_attention_forward, X3, WD, WD, WD, WD, 2)),
         TypeError, "needs the cache that transformer_block_forward returned"),
    Case("layers.transformer.transformer_block_backward", "dout of another shape",
         lambda: transformer.transformer_block_backward(
             X2, _cache(transformer.transformer_block_forward, X3, _block_params(), 2)),
         ValueError, "dout has shape (2, 4)"),
    # ----------------------------------------------------------- Tensor modules
    Case("nn_blocks.Dropout", "p = 1", lambda: nn_blocks.Dropout(1.0), ValueError,
         "drop probability in [0, 1)"),
    Case("nn_blocks.Dropout", "a float seed", lambda: nn_blocks.Dropout(0.1, rng=0.5), TypeError,
         "rng must be an int seed"),
    Case("nn_blocks.LayerNorm", "D = 0", lambda: nn_blocks.LayerNorm(0), ValueError,
         "D must be an int >= 1"),
    Case("nn_blocks.LayerNorm", "eps as a string", lambda: nn_blocks.LayerNorm(4, "1e-5"),
         TypeError, "eps must be a positive number"),
    Case("nn_blocks.LayerNorm.forward", "features that do not match",
         lambda: nn_blocks.LayerNorm(4)(np.ones((2, 3))), ValueError,
         "expects inputs of shape (..., 4)"),
    Case("nn_blocks.Embedding", "a float size", lambda: nn_blocks.Embedding(10.0, 4), TypeError,
         "V must be an int"),
    Case("nn_blocks.Embedding.forward", "float indices",
         lambda: nn_blocks.Embedding(10, 4)(np.ones(3)), TypeError, "indices must be integers"),
    Case("nn_blocks.Embedding.forward", "an index past the vocabulary",
         lambda: nn_blocks.Embedding(10, 4)(np.array([3, 10])), ValueError, "lie in 0..9"),
    Case("nn_blocks.LSTM", "no hidden units", lambda: nn_blocks.LSTM(3, 0), ValueError,
         "hidden_size must be an int >= 1"),
    Case("nn_blocks.LSTM.forward", "one step, 2-D",
         lambda: nn_blocks.LSTM(4, 2)(X2), ValueError, "expects x of shape (N, T, 4)"),
    Case("nn_blocks.LSTM.forward", "h0 of another width",
         lambda: nn_blocks.LSTM(4, 2)(X3, np.zeros((N, 3))), ValueError, "h0 has shape (2, 3)"),
    Case("nn_attention.MultiHeadAttention", "heads that do not divide D",
         lambda: nn_attention.MultiHeadAttention(6, 4), ValueError, "does not divide D = 6"),
    Case("nn_attention.MultiHeadAttention", "causal as a string",
         lambda: nn_attention.MultiHeadAttention(4, 2, causal="yes"), TypeError,
         "causal must be True or False"),
    Case("nn_attention.MultiHeadAttention.forward", "x of another D",
         lambda: nn_attention.MultiHeadAttention(6, 2)(X3), ValueError,
         "expects x of shape (N, T, 6)"),
    Case("nn_attention.TransformerBlock", "dropout of 1.5",
         lambda: nn_attention.TransformerBlock(4, 2, dropout=1.5), ValueError,
         "drop probability in [0, 1)"),
    Case("nn_attention.TransformerBlock", "hidden = 0",
         lambda: nn_attention.TransformerBlock(4, 2, hidden=0), ValueError,
         "hidden must be an int >= 1"),
    Case("nn_attention.CharTransformer", "no layers",
         lambda: nn_attention.CharTransformer(10, n_layers=0), ValueError,
         "n_layers must be an int >= 1"),
    Case("nn_attention.CharTransformer.forward", "a sequence longer than the context",
         lambda: nn_attention.CharTransformer(10, 8, 2, 1, context=4)(np.zeros((1, 5), int)),
         ValueError, "1 <= T <= 4"),
    Case("nn_attention.CharTransformer.generate", "a negative count",
         lambda: nn_attention.CharTransformer(10, 8, 2, 1, context=4).generate([1], -1),
         ValueError, "n must be an int >= 0"),
    Case("nn_attention.CharTransformer.generate", "temperature 0",
         lambda: nn_attention.CharTransformer(10, 8, 2, 1, context=4).generate(
             [1], 3, temperature=0), ValueError, "temperature must be a positive number"),
    # ---------------------------------------------------------------------- texts
    Case("texts.CharCodec", "an empty text", lambda: texts.CharCodec(""), ValueError,
         "text is empty"),
    Case("texts.CharCodec", "a list of lines", lambda: texts.CharCodec(["ab", "c"]), TypeError,
         "text must be a str"),
    Case("texts.CharCodec.encode", "a character it has not seen",
         lambda: texts.CharCodec("abc").encode("abz"), ValueError, "not in the vocabulary: ['z']"),
    Case("texts.CharCodec.decode", "float ids",
         lambda: texts.CharCodec("abc").decode([0.0, 1.0]), TypeError, "ids must be integers"),
    Case("texts.CharCodec.decode", "an id out of range",
         lambda: texts.CharCodec("abc").decode([0, 3]), ValueError, "must lie in 0..2"),
    Case("texts.random_windows", "a window longer than the text",
         lambda: texts.random_windows(np.arange(5), 5, 2), ValueError, "at least T + 1 = 6"),
    Case("texts.random_windows", "the text itself instead of its ids",
         lambda: texts.random_windows("some text", 3, 2), TypeError, "ids must be integers"),
    Case("texts.random_windows", "N = 0",
         lambda: texts.random_windows(np.arange(9), 3, 0), ValueError, "N must be an int >= 1"),
    Case("texts.random_windows", "a float seed",
         lambda: texts.random_windows(np.arange(9), 3, 2, rng=1.5), TypeError,
         "rng must be a seed"),
    # ----------------------------------------------------- symbolic derivations
    Case("symbolic.modern_layers.lstm_step", "no hidden units",
         lambda: modern_layers.lstm_step(1, 0), ValueError, "H must be a positive int"),
    Case("symbolic.modern_layers.lstm_step", "D as a string",
         lambda: modern_layers.lstm_step("2"), ValueError, "D must be a positive int"),
    Case("symbolic.modern_layers.layer_norm", "D = 1.5",
         lambda: modern_layers.layer_norm(1.5), ValueError, "D must be a positive int"),
    Case("symbolic.modern_layers.softmax_jacobian", "n = 0",
         lambda: modern_layers.softmax_jacobian(0), ValueError, "n must be a positive int"),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
