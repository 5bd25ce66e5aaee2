from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION articles_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: rows may be added, never changed or deleted', TG_TABLE_NAME;
END $$;
CREATE TRIGGER takedownevent_append_only BEFORE UPDATE OR DELETE ON articles_takedownevent
  FOR EACH ROW EXECUTE FUNCTION articles_refuse_change();
CREATE TRIGGER takedownsubmission_append_only BEFORE UPDATE OR DELETE ON articles_takedownsubmission
  FOR EACH ROW EXECUTE FUNCTION articles_refuse_change();
"""

DROP = """
DROP TRIGGER takedownsubmission_append_only ON articles_takedownsubmission;
DROP TRIGGER takedownevent_append_only ON articles_takedownevent;
DROP FUNCTION articles_refuse_change();
"""


class Migration(migrations.Migration):
    """The takedown log and the stored submissions are evidence: the database itself refuses
    to change or delete them, whatever code or admin action tries."""

    dependencies = [("articles", "0002_takedown")]

    operations = [migrations.RunSQL(APPEND_ONLY, DROP)]
