"""主编 manage the newsroom's accounts, but cannot raise anyone — themselves included —
above the newsroom's roles."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from tests.factories import make_role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = make_role_user("zhubian", "主编")
    client.force_login(user)
    return user


def change_form(user, **fields):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(group.pk) for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-11-28",
        "date_joined_1": "09:00:00",
    }
    data.update(fields)
    return data


def test_a_chief_editor_cannot_make_anyone_a_superuser_or_grant_permissions(client, chief):
    url = reverse("admin:auth_user_change", args=[chief.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    response = client.post(url, change_form(chief, is_superuser="on", user_permissions=everything))
    assert response.status_code == 302
    chief.refresh_from_db()
    assert not chief.is_superuser and not chief.user_permissions.exists()


def test_superuser_accounts_are_out_of_a_chief_editors_reach(client, chief):
    boss = User.objects.create_superuser("boss", "boss@example.com", "超级用户的密码-2026")
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "zhubian" in listing and "boss" not in listing
    assert client.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code == 302
    password_page = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert client.get(password_page).status_code == 404
    response = client.post(
        password_page, {"password1": "新密码-被偷换-2026", "password2": "新密码-被偷换-2026"}
    )
    assert response.status_code == 404
    boss.refresh_from_db()
    assert boss.check_password("超级用户的密码-2026")


def test_a_chief_editor_assigns_only_the_newsroom_roles(client, chief):
    Group.objects.create(name="系统管理员")
    writer = make_role_user("xiaowang", "编辑")
    page = client.get(reverse("admin:auth_user_change", args=[writer.pk])).content.decode()
    assert "主编" in page and "编辑" in page and "系统管理员" not in page
    admins = Group.objects.get(name="系统管理员")
    response = client.post(
        reverse("admin:auth_user_change", args=[writer.pk]),
        change_form(writer, groups=[str(admins.pk)]),
    )
    assert response.status_code == 200, "refused"
    assert not writer.groups.filter(name="系统管理员").exists()
    chief_group = Group.objects.get(name="主编")
    client.post(
        reverse("admin:auth_user_change", args=[writer.pk]),
        change_form(writer, groups=[str(chief_group.pk)]),
    )
    assert writer.groups.filter(name="主编").exists(), "promoting within the newsroom works"


def test_permissions_are_named_in_chinese():
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.filter(name="可新增文章").exists()


def test_accounts_with_powers_beyond_the_roles_are_out_of_reach_too(client, chief):
    technician = make_role_user("jishu", "编辑")
    technician.groups.add(Group.objects.create(name="技术"))
    auditor = User.objects.create_user("shenji", "shenji@example.com", "审计的密码-2026")
    auditor.user_permissions.add(Permission.objects.get(codename="delete_user"))
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "jishu" not in listing and "shenji" not in listing
    for account in (technician, auditor):
        password_page = reverse("admin:auth_user_password_change", args=[account.pk])
        response = client.post(
            password_page, {"password1": "偷换-2026-密码", "password2": "偷换-2026-密码"}
        )
        assert response.status_code == 404
    technician.refresh_from_db()
    assert set(technician.groups.values_list("name", flat=True)) == {"编辑", "技术"}
