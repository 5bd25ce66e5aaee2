from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse


def action_form(model_admin, request, queryset, form, *, action: str, title: str, **extra):
    """The page an admin action shows to ask for a time or a reason before it runs."""
    opts = model_admin.opts
    return TemplateResponse(
        request,
        "admin/action_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": opts,
            "items": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            **extra,
        },
    )
