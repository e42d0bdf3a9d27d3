"""The operations of :class:`~backprop_course.tensor.Tensor`, one module per kind (chapter 8).

Each module holds a group of Tensor methods (the class inherits them): every operation
computes its output, attaches its first-order backward pass in NumPy, and is followed by
its rule, the same derivative in Tensor operations for higher-order gradients (chapter 13).
The two sit side by side so that they are written, read and changed together;
``tests/test_ops.py`` fails when an operation lacks its rule and compares the two on random
inputs. To add an operation, write both in the module of its kind (see ``Elementwise.silu``).
"""
