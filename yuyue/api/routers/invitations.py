"""Invitations: the only way an existing account joins a business as owner or staff."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from yuyue.api.auth import bearer
from yuyue.api.lookups import staff_or_404
from yuyue.api.schemas.common import Id, PageIn, Slug, errors, page_of
from yuyue.api.schemas.manage import (
    AcceptedOut,
    AcceptIn,
    InvitationIn,
    InvitationOut,
    InvitationPage,
)
from yuyue.catalog.models import Invitation
from yuyue.catalog.selectors import business_invitations, business_or_404, require_owner
from yuyue.catalog.services import invitation_accept, invitation_create, invitation_revoke

router = Router(tags=["invitations"])


def invitation_url(token: str) -> str:
    return settings.YUYUE_PUBLIC_URL + reverse("web:invitation", args=[token])


def invitation_out(invitation: Invitation, *, token: str | None = None) -> dict[str, Any]:
    status = invitation.state(timezone.now())
    return {
        "id": invitation.id,
        "role": invitation.role,
        "staff_id": invitation.staff_id,
        "status": status,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "token": token,
        "url": invitation_url(token) if token else None,
    }


@router.post(
    "/businesses/{slug}/invitations",
    auth=bearer,
    response={201: InvitationOut, **errors(400, 401, 403, 404, 422)},
    summary="Invite someone to join as owner or staff (owners)",
)
def invitation_new(request: HttpRequest, slug: Slug, payload: InvitationIn) -> Status:
    """The answer carries the `token` and `url` once; only a hash is kept. Whoever accepts
    it while logged in joins, so send it only to the person you mean."""
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    staff = None if payload.staff_id is None else staff_or_404(business, payload.staff_id)
    issued = invitation_create(
        business=business, actor=request.auth, role=payload.role, staff=staff
    )
    return Status(201, invitation_out(issued.invitation, token=issued.token))


@router.get(
    "/businesses/{slug}/invitations",
    auth=bearer,
    response={200: InvitationPage, **errors(401, 403, 404, 422)},
    summary="The business's invitations (owners)",
)
def invitation_list(request: HttpRequest, slug: Slug, page: Query[PageIn]) -> dict:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    return page_of(business_invitations(business=business), page, invitation_out)


@router.delete(
    "/businesses/{slug}/invitations/{invitation_id}",
    auth=bearer,
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Withdraw an invitation nobody accepted yet (owners)",
)
def invitation_remove(request: HttpRequest, slug: Slug, invitation_id: Id) -> Status:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    invitation = business_invitations(business=business).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    invitation_revoke(invitation=invitation, actor=request.auth)
    return Status(204, None)


@router.post(
    "/invitations/accept",
    auth=bearer,
    response={200: AcceptedOut, **errors(400, 401, 409, 422)},
    summary="Accept an invitation: the logged-in account joins the business",
)
def invitation_take(request: HttpRequest, payload: AcceptIn) -> dict:
    """An unknown, expired, withdrawn or used token is one 409 `invitation_unusable`."""
    membership = invitation_accept(token=payload.token, actor=request.auth)
    return {
        "slug": membership.business.slug,
        "name": membership.business.name,
        "role": membership.role,
    }
