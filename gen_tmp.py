import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE","juredian.settings"); django.setup()
from django.core.management import call_command
from juredian.benchmarks.search import use_bench_database
name = use_bench_database(sys.argv[2])
call_command("migrate", verbosity=0)
call_command("generate_corpus", articles=int(sys.argv[1]))
