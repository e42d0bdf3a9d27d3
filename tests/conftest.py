"""Test-session set-up shared by every test and by nbval's notebook kernels."""

from __future__ import annotations

import os

# One BLAS thread per process, inherited by the kernels nbval starts: on a shared
# 2-core machine a multi-threaded BLAS slows small networks down by up to 10x.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
