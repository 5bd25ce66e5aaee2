"""`python -m juredian.embedded_postgres stop|status|start` — used by `make stop`."""

import sys
from pathlib import Path

from .server import ensure_running, running_socket_dir, stop

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "var" / "postgres"


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "stop":
        print(
            "Embedded PostgreSQL stopped."
            if stop(DATA_DIR)
            else "Embedded PostgreSQL was not running."
        )
    elif command == "start":
        print(f"Embedded PostgreSQL listens in {ensure_running(DATA_DIR, 'juredian')}")
    elif command == "status":
        socket_dir = running_socket_dir(DATA_DIR)
        print(f"running, socket in {socket_dir}" if socket_dir else "not running")
    else:
        print("usage: python -m juredian.embedded_postgres [start|stop|status]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
