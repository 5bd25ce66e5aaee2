"""A text progress bar for long management commands (importing, reindexing)."""


def show_progress(stream, done: int, total: int, width: int = 30) -> None:
    """Redraw `[#####.....] done/total` on one line of `stream` (a command's stderr)."""
    filled = width * done // max(total, 1)
    bar = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
    stream.write(bar, ending="\n" if done >= total else "")
    stream.flush()
