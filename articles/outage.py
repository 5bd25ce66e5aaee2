"""What "the database (or the object store) cannot be reached" looks like to Python, for the
places that answer it on purpose (a 503 or a form error that keeps what a person typed)
instead of failing."""

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import storages
from django.db import InterfaceError, OperationalError

# A refused, lost or timed-out connection: psycopg2's errors, as Django wraps them.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
# The object store down or refusing (botocore), or the disk failing (a local storage).
STORAGE_UNREACHABLE = (BotoCoreError, ClientError, OSError)
RETRY_AFTER_SECONDS = 30
STORAGE_DOWN = "图片与附件存储暂时无法连接，这次上传没有保存。请稍后再试。"


def storage_answers(alias: str = "default") -> bool:
    """The storage can take a file now: an S3 bucket answers (one short request); a folder
    on this server's disk always can."""
    backend = storages[alias]
    if not hasattr(backend, "bucket_name"):
        return True
    try:
        backend.connection.meta.client.head_bucket(Bucket=backend.bucket_name)
    except STORAGE_UNREACHABLE:
        return False
    return True
