"""The takedown desk's emails, as a task (see articles/tasks.py for where tasks run)."""

from django.core.mail import EmailMessage, get_connection
from django_tasks import task


@task()
def send_emails(messages: list[dict]) -> None:
    """Each {"subject", "body", "from_email", "to", "reply_to"}: one recipient per message."""
    get_connection().send_messages([EmailMessage(**message) for message in messages])
