"""What every back-office page shares: each owner and staff member sees only their businesses.

Owners and staff are `is_staff` users without Django model permissions (membership_grant makes
them so); the rights come from their Membership instead. Staff may look, owners may change,
the platform operator (a superuser) may do everything everywhere.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from yuyue.accounts.models import User
from yuyue.catalog import selectors
from yuyue.catalog.models import Business, Membership
from yuyue.lib.admin import describe_error, is_operator
from yuyue.lib.errors import DomainError

_ROLES_CACHE = "_yuyue_business_roles"
# A forward foreign key of this name leads to the business along this lookup.
_OWNER_LINKS = (
    ("business", "business"),
    ("staff", "staff__business"),
    ("appointment", "appointment__business"),
)


def business_roles(request: HttpRequest) -> dict[int, str]:
    """Business id → the user's role there through its membership, read once per request.

    The platform operator has no entry here: every check asks `is_operator` first.
    """
    roles = getattr(request, _ROLES_CACHE, None)
    if roles is None:
        roles = selectors.business_roles(user=request.user).by_business
        setattr(request, _ROLES_CACHE, roles)
    return roles


def member_business_ids(request: HttpRequest) -> set[int]:
    return set(business_roles(request))


def owner_business_ids(request: HttpRequest) -> set[int]:
    return {
        business_id
        for business_id, role in business_roles(request).items()
        if role == Membership.Role.OWNER
    }


def business_path_of(model: type[models.Model]) -> str | None:
    """The lookup from a model to its business, or None for models not owned by one."""
    if model is Business:
        return "pk"
    for name, path in _OWNER_LINKS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one:
            return path
    return None


def business_id_of(obj: models.Model, path: str) -> int | None:
    """Follow `path` (as in a queryset lookup) from `obj` to its business id."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    target: Any = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def choices_for(model: type[models.Model], request: HttpRequest) -> models.QuerySet | None:
    """Rows of `model` a form may offer this user, or None to leave Django's default."""
    if is_operator(request):
        return None
    owned = owner_business_ids(request)
    if issubclass(model, User):
        # People who already belong to one of the owner's businesses; everyone else on the
        # platform stays invisible.
        return model._default_manager.filter(memberships__business_id__in=owned).distinct()
    path = business_path_of(model)
    if path is None:
        return None
    return model._default_manager.filter(**{f"{path}__in": owned})


class BusinessScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin that shows and changes only the rows of the user's businesses.

    `business_path` is the queryset lookup from the model to its Business ("pk" for Business
    itself). Rows without a service to delete them are not deletable here; an admin that has
    one sets `deletable = True` and calls it from delete_model/delete_queryset.
    """

    business_path: str = "business"
    deletable: bool = False

    # Scope ---------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if is_operator(request):
            return queryset
        return queryset.filter(**{f"{self.business_path}__in": member_business_ids(request)})

    def object_business_id(self, obj: models.Model) -> int | None:
        return business_id_of(obj, self.business_path)

    # Permissions -----------------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or bool(business_roles(request))

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if is_operator(request):
            return True
        if obj is None:
            return bool(business_roles(request))
        return self.object_business_id(obj) in member_business_ids(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or bool(owner_business_ids(request))

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if is_operator(request):
            return True
        if obj is None:
            return bool(owner_business_ids(request))
        return self.object_business_id(obj) in owner_business_ids(request)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.deletable and self.has_change_permission(request, obj)

    # Forms -------------------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and db_field.related_model is Business
            and not is_operator(request)
            and len(owner_business_ids(request)) == 1
        ):
            field.initial = next(iter(owner_business_ids(request)))
        return field

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Lists -------------------------------------------------------------------------------------

    def _single_business(self, request: HttpRequest) -> bool:
        return not is_operator(request) and len(business_roles(request)) <= 1

    def get_list_display(self, request: HttpRequest):
        columns = super().get_list_display(request)
        if self._single_business(request):
            # A column that repeats the same business on every row says nothing.
            return [column for column in columns if column != "business"]
        return columns

    def get_list_filter(self, request: HttpRequest):
        filters = super().get_list_filter(request)
        if self._single_business(request):
            return [
                item
                for item in filters
                if not (item == "business" or (isinstance(item, tuple) and item[0] == "business"))
            ]
        return filters

    # Errors from services ------------------------------------------------------------------------

    def _refused(self, request: HttpRequest, error: DomainError) -> HttpResponse:
        self.message_user(request, describe_error(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The forms check what the services check, so this is a safety net: a refusal the
        # form missed rolls the whole save back and is shown as a message, never as a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            return self._refused(request, error)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as error:
            return self._refused(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            return self._refused(request, error)


class BusinessScopedInline(admin.options.InlineModelAdmin):
    """Inline rights follow the parent row's business: staff see, owners change.

    `parent_business_path` is the lookup from the parent object to its business.
    """

    parent_business_path: str = "business"
    editable: bool = True

    def _parent_business_ids(self, request: HttpRequest, *, owners: bool) -> set[int]:
        return owner_business_ids(request) if owners else member_business_ids(request)

    def _allowed(self, request: HttpRequest, obj: models.Model | None, *, owners: bool) -> bool:
        if is_operator(request):
            return True
        ids = self._parent_business_ids(request, owners=owners)
        if obj is None:
            return bool(ids)
        return business_id_of(obj, self.parent_business_path) in ids

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, obj, owners=False)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.editable and self._allowed(request, obj, owners=True)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.editable and self._allowed(request, obj, owners=True)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.editable and self._allowed(request, obj, owners=True)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
