import pytest


@pytest.fixture
def indexed(committed):
    """`with indexed(): …` — the index is written on commit; this commits, in effect."""
    return committed
