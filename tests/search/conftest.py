import pytest


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the index's on-commit work at once, as after a real commit."""

    class Indexed:
        def __enter__(self):
            self.capture = django_capture_on_commit_callbacks(execute=True)
            return self.capture.__enter__()

        def __exit__(self, *exc):
            return self.capture.__exit__(*exc)

    return Indexed
