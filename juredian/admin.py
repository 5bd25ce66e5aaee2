"""Accounts in the admin: 主编 manage the newsroom's users, but never above their own rank.

Django's stock user admin lets anyone with "change user" tick 超级用户 or hand out any
permission — their own account included. Here only superusers may do that. Everybody else
sees only accounts whose powers come from the newsroom roles alone — no superusers, no
permissions given one by one, no other groups — so they can neither reset the password of
an account above them nor strip it of a group they cannot see; and they assign people to
the newsroom roles only.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from .roles import CHIEF_EDITOR, EDITOR

ROLES = [EDITOR, CHIEF_EDITOR]

admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        beyond_roles = Group.objects.exclude(name__in=ROLES)
        return (
            users.filter(is_superuser=False, user_permissions__isnull=True)
            .exclude(groups__in=beyond_roles)
            .distinct()
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
