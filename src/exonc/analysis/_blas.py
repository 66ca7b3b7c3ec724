"""One BLAS thread during model fits.

A fit makes hundreds of products of small matrices. Multi-threaded OpenBLAS gains nothing
on them and, on a busy machine, its spinning worker threads slow a fit down five-fold, so
fits run with one BLAS thread (threadpoolctl restores the setting afterwards).
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager
from typing import Any

from threadpoolctl import ThreadpoolController

__all__ = ["single_blas_thread"]


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def single_blas_thread() -> AbstractContextManager[Any]:
    """Context in which BLAS libraries use one thread."""
    limiter: AbstractContextManager[Any] = _controller().limit(limits=1, user_api="blas")
    return limiter
