"""Each account's username keys (accounts.usernames), each unique: no two usernames are, or read like, one.

Accounts made before the rule may already be alike ("Ann" and "ann"): the migration then stops and names them, to
be renamed (in the admin) before migrating again, rather than choosing for the administrator whom to rename.
"""

from collections import defaultdict

from django.db import migrations, models

from annotator.accounts.usernames import username_keys


def fill_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = list(User.objects.only("pk", "username"))
    alike = defaultdict(set)
    for user in users:
        user.username_folded, user.username_skeleton = username_keys(user.username)
        alike[("folded", user.username_folded)].add(user.username)
        alike[("skeleton", user.username_skeleton)].add(user.username)
    clashes = sorted({tuple(sorted(names)) for names in alike.values() if len(names) > 1})
    if clashes:
        listed = "; ".join(", ".join(repr(name) for name in names) for names in clashes)
        raise RuntimeError(f"These usernames are alike; rename all but one of each group, then migrate: {listed}")
    User.objects.bulk_update(users, ["username_folded", "username_skeleton"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_cache_table")]

    operations = [
        migrations.AddField("user", "username_folded", models.CharField(editable=False, max_length=64, null=True)),
        migrations.AddField("user", "username_skeleton", models.CharField(editable=False, max_length=64, null=True)),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField("user", "username_folded", models.CharField(editable=False, max_length=64, unique=True)),
        migrations.AlterField(
            "user", "username_skeleton", models.CharField(editable=False, max_length=64, unique=True)
        ),
    ]
