from django.contrib import admin
from django.urls import include, path, re_path

from yuyue.api import seed
from yuyue.api.api import urls as api_urls
from yuyue.api.errors import not_found_view

urlpatterns = [
    path("admin/", admin.site.urls),
    # The back office for owners and staff.
    path("manage/", include("yuyue.backoffice.urls")),
    # The JSON API v1, and its own 404 for any other URL under /api/.
    api_urls(),
    re_path(r"^api/", not_found_view),
    # The seed's booking route; its other three are customer pages too (yuyue.web).
    path("appointment", seed.appointment_view, name="seed-appointment"),
    # The customer web app (H5): the business page at the root, booking, my appointments.
    path("", include("yuyue.web.urls")),
]
