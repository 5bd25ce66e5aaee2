"""The newsroom's two roles and their permissions, by app label and codename.

`sync_roles` runs after every `migrate` (and after `flush`, which tests use), so every
database — a fresh clone, CI, production — has both groups with exactly these permissions.
Later features add their permissions here.
"""

EDITOR = "编辑"
CHIEF_EDITOR = "主编"

EDITOR_PERMISSIONS = {
    "articles": [
        "add_article", "change_article", "view_article", "publish_article",
        "add_section", "change_section", "delete_section", "view_section",
        "add_tag", "change_tag", "view_tag",
        "add_image", "change_image", "view_image",
        "view_channel", "view_articlerevision",
        "add_correction", "change_correction", "delete_correction", "view_correction",
        "view_author", "add_authorship", "change_authorship", "delete_authorship",
        "view_authorship",
    ],
    "trending": [
        "add_trendingitem", "change_trendingitem", "delete_trendingitem", "view_trendingitem",
        "add_trendinghidden", "change_trendinghidden", "delete_trendinghidden",
        "view_trendinghidden",
    ],
    "search": ["change_tagpinyin", "view_tagpinyin"],
}  # fmt: skip

CHIEF_EDITOR_EXTRA = {
    "articles": ["delete_article", "delete_tag", "delete_image",
                 "add_channel", "change_channel", "delete_channel",
                 "add_author", "change_author", "delete_author", "review_article",
                 "add_oldaddress", "change_oldaddress", "delete_oldaddress", "view_oldaddress"],
    "takedown": ["view_takedowncase", "change_takedowncase", "view_takedownevent",
                 "view_takedownattachment", "view_counternotice", "view_takedownsubmission"],
    "auth": ["add_user", "change_user", "view_user", "view_group"],
    # Sign-in lockouts (django-axes): see who is locked out, and lift it.
    "axes": ["view_accessattempt", "delete_accessattempt", "view_accesslog"],
}  # fmt: skip


def role_permissions() -> dict[str, dict[str, list[str]]]:
    chief = {app: list(codenames) for app, codenames in EDITOR_PERMISSIONS.items()}
    for app, codenames in CHIEF_EDITOR_EXTRA.items():
        chief.setdefault(app, []).extend(codenames)
    return {EDITOR: EDITOR_PERMISSIONS, CHIEF_EDITOR: chief}


def sync_roles(app_config=None, using="default", **kwargs) -> None:
    """Create both groups and give each exactly its permissions (a post_migrate receiver).

    The migrated app's permissions are made first: Django's own receiver that makes them
    may run after this one (juredian is the first installed app)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    if app_config is not None:
        create_permissions(app_config, verbosity=0, using=using)

    for name, by_app in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.none()
        for app, codenames in by_app.items():
            wanted |= Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
        group.permissions.set(wanted)
    name_permissions_in_chinese()


# Django names default permissions "Can add 文章" etc. when it creates them.
_VERBS = {
    "Can add ": "可新增",
    "Can change ": "可修改",
    "Can delete ": "可删除",
    "Can view ": "可查看",
}


def name_permissions_in_chinese() -> None:
    """Editors read permission names on the user and group pages: say them in Chinese."""
    from django.contrib.auth.models import Permission

    for english, chinese in _VERBS.items():
        for permission in Permission.objects.filter(name__startswith=english):
            permission.name = chinese + permission.name.removeprefix(english)
            permission.save(update_fields=["name"])
