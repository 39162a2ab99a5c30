"""Sealing a 20 MB file into the tender box and opening it again: time, and the most memory
Python held meanwhile (tracemalloc's peak), which stays flat whatever the file's size.

    .venv/bin/python benchmarks/sealing.py
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from core.sealing import new_data_key, open_stream, seal_stream  # noqa: E402

MB = 1024 * 1024


def measure(size_mb: int) -> None:
    key = new_data_key()
    with tempfile.TemporaryDirectory() as folder:
        plain, sealed = Path(folder, "plain.bin"), Path(folder, "sealed.bin")
        with plain.open("wb") as out:
            for _ in range(size_mb):
                out.write(os.urandom(MB))
        tracemalloc.start()
        started = time.perf_counter()
        with plain.open("rb") as source, sealed.open("wb") as target:
            digest, _ = seal_stream(source, target, key, aad=b"benchmark")
        seal_seconds = time.perf_counter() - started
        _, seal_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.perf_counter()
        check = hashlib.sha256()
        with sealed.open("rb") as source:
            for chunk in open_stream(source, key, aad=b"benchmark"):
                check.update(chunk)
        open_seconds = time.perf_counter() - started
        _, open_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert check.hexdigest() == digest
        overhead = sealed.stat().st_size - plain.stat().st_size
    print(
        f"  {size_mb:>3} MB  seal {seal_seconds:.3f} s ({size_mb / seal_seconds:.0f} MB/s), "
        f"peak {seal_peak / 1024:.0f} KiB; open {open_seconds:.3f} s "
        f"({size_mb / open_seconds:.0f} MB/s), peak {open_peak / 1024:.0f} KiB; "
        f"{overhead:,} bytes added"
    )


def main() -> None:
    print("Sealing (AES-256-GCM in 64 KiB chunks, files on disk)")
    for size_mb in (1, 20, 100):
        measure(size_mb)


if __name__ == "__main__":
    main()
