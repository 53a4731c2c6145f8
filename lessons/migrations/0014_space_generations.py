"""A generation for each space instead of one for the whole platform: remembered answers
(lessons/remembered.py) are keyed by the generations of the spaces their reader can see, so a
comment in one network forgets that network's remembered pages and nobody else's.

The spaces: `n<id>` for everything whose home is network <id> (in any audience), `wide` for what
readers outside its network can read too (audience "every network" or "public", before or after
the write), `all` for what every page names (tags, areas, countries, networks, working groups,
officials' names, the words search suggests from).

PostgreSQL still does the moving, so no write escapes it: after every statement that writes a
table below, a trigger reads the rows it wrote (its transition tables) and upserts the
generation of their spaces in `lessons_space_generation` to a fresh value of the sequence of
0009. The upsert is part of the writing transaction, so a new generation becomes visible exactly
when the rows it stands for do; a reader reads its generations before what it remembers, so it
never keeps an older answer under a newer key. Writers of one space wait for each other's commit
on that space's row (spaces are locked in name order within a statement).
"""

from django.db import migrations

SEQUENCE = "lessons_search_generation"

# How the trigger finds the spaces of the rows written: "home" (the rows carry network_id and
# audience), "<table>.<column>" (the rows point to such a row), "all".
TABLES = {
    "lessons_lesson": "home",
    "lessons_comment": "lessons_lesson.lesson_id",
    "lessons_endorsement": "lessons_lesson.lesson_id",
    "lessons_lesson_tags": "lessons_lesson.lesson_id",
    "lessons_attachment": "lessons_lesson.lesson_id",
    "lessons_audiencerequest": "lessons_lesson.lesson_id",
    "lessons_follow": "lessons_lesson.lesson_id",
    "lessons_tag": "all",
    "lessons_technologyarea": "all",
    "lessons_policyarea": "all",
    "lessons_searchterm": "all",
    "networks_network": "all",
    "networks_workinggroup": "all",
    "networks_country": "all",
}
# Officials' names and countries: a trigger on these columns may not read its rows.
USER_COLUMNS = "deactivated_at, full_name, country_id"

FUNCTIONS = f"""
CREATE TABLE lessons_space_generation (space text PRIMARY KEY, value bigint NOT NULL);

CREATE FUNCTION lessons_spaces(network_id bigint, audience text) RETURNS text[] AS $$
    SELECT ARRAY['n' || network_id] || CASE WHEN audience IN ('all_networks', 'public')
        THEN ARRAY['wide'] ELSE ARRAY[]::text[] END
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION lessons_space_moved(spaces text[]) RETURNS void AS $$
    INSERT INTO lessons_space_generation (space, value)
    SELECT s, nextval('{SEQUENCE}') FROM (SELECT DISTINCT unnest(spaces) AS s) d ORDER BY s
    ON CONFLICT (space) DO UPDATE SET value = nextval('{SEQUENCE}')
$$ LANGUAGE sql;

CREATE FUNCTION lessons_space_changed() RETURNS trigger AS $$
DECLARE
    how text := TG_ARGV[0];
    written text;
    spaces text[];
BEGIN
    IF how = 'always' THEN
        PERFORM lessons_space_moved(ARRAY['all']);
        RETURN NULL;
    END IF;
    written := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT %1$s FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT %1$s FROM old_rows'
        ELSE 'SELECT %1$s FROM new_rows UNION SELECT %1$s FROM old_rows' END;
    IF how = 'all' THEN
        EXECUTE format('SELECT ARRAY(SELECT ''all'' WHERE EXISTS (' || written || '))', '1')
            INTO spaces;
    ELSIF how = 'home' THEN
        EXECUTE format('SELECT ARRAY(SELECT DISTINCT s FROM (' || written || ') r, '
            'unnest(lessons_spaces(r.network_id, r.audience)) s)', 'network_id, audience')
            INTO spaces;
    ELSE
        EXECUTE format('SELECT ARRAY(SELECT DISTINCT s FROM (' || written || ') r '
            'JOIN %2$I p ON p.id = r.parent, unnest(lessons_spaces(p.network_id, p.audience)) s)',
            quote_ident(split_part(how, '.', 2)) || ' AS parent', split_part(how, '.', 1))
            INTO spaces;
    END IF;
    IF cardinality(spaces) > 0 THEN
        PERFORM lessons_space_moved(spaces);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Triggers still on the function of 0009 (other apps' tables, until they move to spaces) move
-- everyone's generation.
CREATE OR REPLACE FUNCTION lessons_search_changed() RETURNS trigger AS $$
BEGIN
    PERFORM lessons_space_moved(ARRAY['all']);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608 (no value in it: the frozen SQL of this migration)

OLD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION lessons_search_changed() RETURNS trigger AS $$
BEGIN
    PERFORM nextval('{SEQUENCE}');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP FUNCTION lessons_space_changed();
DROP FUNCTION lessons_space_moved(text[]);
DROP FUNCTION lessons_spaces(bigint, text);
DROP TABLE lessons_space_generation;
"""


def space_triggers(table, how):
    """Three statement triggers (a trigger that reads its rows answers one kind of write);
    their names end in `_search_now`, as 0009's did (tests/lessons/test_remembered_tables.py)."""
    return f"""
DROP TRIGGER IF EXISTS {table}_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_search_on_commit ON {table};
CREATE TRIGGER {table}_insert_search_now AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_space_changed('{how}');
CREATE TRIGGER {table}_update_search_now AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_space_changed('{how}');
CREATE TRIGGER {table}_delete_search_now AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_space_changed('{how}');
"""


def old_triggers(table, events="INSERT OR UPDATE OR DELETE"):
    return f"""
DROP TRIGGER IF EXISTS {table}_insert_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_update_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_delete_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_search_now ON {table};
CREATE TRIGGER {table}_search_now AFTER {events} ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER {table}_search_on_commit AFTER {events} ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
"""


USER_TRIGGERS = f"""
DROP TRIGGER networks_user_search_now ON networks_user;
DROP TRIGGER networks_user_search_on_commit ON networks_user;
CREATE TRIGGER networks_user_search_now AFTER UPDATE OF {USER_COLUMNS} ON networks_user
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_space_changed('always');
"""

OLD_USER_TRIGGERS = f"""
DROP TRIGGER networks_user_search_now ON networks_user;
CREATE TRIGGER networks_user_search_now AFTER UPDATE OF {USER_COLUMNS} ON networks_user
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER networks_user_search_on_commit AFTER UPDATE OF {USER_COLUMNS}
    ON networks_user DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
"""


class Migration(migrations.Migration):
    dependencies = [("lessons", "0013_alter_lesson_title_alter_lesson_year")]

    operations = [
        migrations.RunSQL(
            FUNCTIONS
            + "".join(space_triggers(table, how) for table, how in TABLES.items())
            + USER_TRIGGERS,
            "".join(old_triggers(table) for table in TABLES) + OLD_USER_TRIGGERS + OLD_FUNCTION,
        )
    ]
