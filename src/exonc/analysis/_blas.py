"""One BLAS thread during model fits.

A fit makes hundreds of products of small matrices. Multi-threaded OpenBLAS gains nothing
on them and, on a busy machine, its spinning worker threads slow a fit down five-fold, so
fits run with one BLAS thread (threadpoolctl restores the setting afterwards).

threadpoolctl finds the thread pools by resolving the path of every library the process
has loaded — a few hundred with pandas, pyarrow and polars, most of a first fit's extra
time. On Linux :class:`_BlasController` resolves only the libraries named like a BLAS
(OpenBLAS, MKL, BLIS, FlexiBLAS), and falls back to the full search when it finds none.
"""

from __future__ import annotations

import functools
import os
from contextlib import AbstractContextManager
from typing import Any, Final

from threadpoolctl import ThreadpoolController

__all__ = ["single_blas_thread"]

_BLAS_NAMES: Final = (b"blas", b"mkl_rt", b"blis")


class _BlasController(ThreadpoolController):  # type: ignore[misc]
    """threadpoolctl's controller, looking at the loaded libraries named like a BLAS."""

    def _find_libraries_with_linux(self) -> None:
        with open("/proc/self/maps", "rb") as maps:
            paths = set(self._PATH_RE.findall(maps.read()))
        for path in paths:
            if any(name in os.path.basename(path).lower() for name in _BLAS_NAMES):
                self._make_controller_from_path(path.decode("utf-8"))


@functools.cache
def _controller() -> ThreadpoolController:
    found = _BlasController()
    return found if found.select(user_api="blas").lib_controllers else ThreadpoolController()


def single_blas_thread() -> AbstractContextManager[Any]:
    """Context in which BLAS libraries use one thread."""
    limiter: AbstractContextManager[Any] = _controller().limit(limits=1, user_api="blas")
    return limiter
