"""Accounts in the admin: 主编 manage the newsroom's users, but never above their own rank.

Django's stock user admin lets anyone with "change user" tick 超级用户 or hand out any
permission — their own account included. Here only superusers may do that; everybody else
sees no superuser accounts at all (so cannot reset one's password) and assigns people to
the newsroom roles only.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from .roles import CHIEF_EDITOR, EDITOR

admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

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
            kwargs["queryset"] = Group.objects.filter(name__in=[EDITOR, CHIEF_EDITOR])
        return super().formfield_for_manytomany(db_field, request, **kwargs)
