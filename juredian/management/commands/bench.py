"""`manage.py bench` (`make bench`): the project's benchmarks, printed as tables.

The search and trending work add their measurements here; until then it says so.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the benchmarks and print their tables."

    def handle(self, *args, **options):
        self.stdout.write("No benchmarks yet: the search and trending issues add them.")
