from django.contrib import admin
from django.urls import include, path, re_path

from yuyue.accounts.views import admin_login
from yuyue.api import seed
from yuyue.api.api import urls as api_urls
from yuyue.api.errors import not_found_view

urlpatterns = [
    # Before the admin's own: the same login, throttled, with a safe `next`.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    # The JSON API v1, and its own 404 for any other URL under /api/.
    api_urls(),
    re_path(r"^api/", not_found_view),
    # The seed's booking route; its other three are customer pages too (yuyue.web).
    path("appointment", seed.appointment_view, name="seed-appointment"),
    # The customer web app (H5): the business page at the root, booking, my appointments.
    path("", include("yuyue.web.urls")),
]

# A database outage is 503 with Retry-After, on every route outside the API's own handlers.
handler500 = "yuyue.web.views.errors.server_error"
