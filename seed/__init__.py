"""The bundled Malmö stad registry: samverkan's first real data set and its default registry."""

from pathlib import Path

__all__ = ["SEED_DIR"]

SEED_DIR = Path(__file__).resolve().parent
