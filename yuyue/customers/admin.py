"""Customer records in the admin, read-only: staff change them in the back office, where the
services check and audit every change (/manage/<business>/customers/)."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from yuyue.catalog.admin_scoping import BusinessScopedAdmin
from yuyue.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(BusinessScopedAdmin):
    list_display = ("name", "business", "phone", "email", "user")
    list_filter = (("business", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("business", "user")
    search_fields = ("name", "phone", "email")
    fields = ("business", "name", "phone", "email", "tags", "notes", "user", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
