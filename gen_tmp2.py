import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE","juredian.settings"); django.setup()
from django.core.management import call_command
from django.db import connection
from juredian.benchmarks.search import use_bench_database
use_bench_database(sys.argv[2])
call_command("migrate", verbosity=0)
t=time.time()
call_command("generate_corpus", articles=int(sys.argv[1]))
with connection.cursor() as c:
    c.execute("select pg_size_pretty(pg_total_relation_size('search_searchdocument')), pg_size_pretty(pg_relation_size('search_document_vector')), pg_size_pretty(pg_total_relation_size('articles_section')), count(*) from search_searchdocument"); print(c.fetchone())
