"""Output helpers for long management commands: a progress bar, a results table."""


def show_progress(stream, done: int, total: int, width: int = 30) -> None:
    """Redraw `[#####.....] done/total` on one line of `stream` (a command's stderr)."""
    filled = width * done // max(total, 1)
    bar = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
    stream.write(bar, ending="\n" if done >= total else "")
    stream.flush()


def write_table(stream, title: str, header: list, rows: list) -> None:
    """A Markdown table on a command's stdout (the benchmarks print their results so)."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    stream.write(f"\n{title}\n")
    for index, row in enumerate([header, *rows]):
        cells = zip(row, widths, strict=True)
        stream.write("| " + " | ".join(str(cell).ljust(width) for cell, width in cells) + " |")
        if index == 0:
            stream.write("|" + "|".join("-" * (width + 2) for width in widths) + "|")
