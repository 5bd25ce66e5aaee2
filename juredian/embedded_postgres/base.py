"""Django database backend: stock PostgreSQL, pointed at the embedded server on demand."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base, client

from .server import EmbeddedPostgresError, ensure_running

_socket_dirs: dict[tuple[str, str], str] = {}


class DatabaseClient(client.DatabaseClient):
    def runshell(self, parameters):
        """`manage.py dbshell`: psql reads HOST from the settings, so fill in the socket first."""
        self.connection.settings_dict["HOST"] = self.connection.get_connection_params()["host"]
        super().runshell(parameters)


class DatabaseWrapper(base.DatabaseWrapper):
    client_class = DatabaseClient

    def get_connection_params(self):
        params = super().get_connection_params()
        params["host"] = self._embedded_socket_dir()
        return params

    def _embedded_socket_dir(self) -> str:
        """Start the server the first time this process connects; remember where it listens.

        The socket is remembered per process; if the server was stopped meanwhile, the failed
        connection clears it so the next attempt starts the server again.
        """
        key = (self.settings_dict["DATA_DIR"], self.settings_dict["NAME"])
        if key not in _socket_dirs:
            # The test runner connects to the maintenance database "postgres" too.
            database = self.settings_dict["NAME"] or "postgres"
            try:
                _socket_dirs[key] = str(ensure_running(Path(key[0]), database))
            except EmbeddedPostgresError as exc:
                raise ImproperlyConfigured(str(exc)) from exc
        return _socket_dirs[key]

    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except Exception:
            _socket_dirs.clear()
            raise
