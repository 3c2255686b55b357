from django.contrib import admin
from django.urls import include, path, re_path

from yuyue.accounts.views import admin_login
from yuyue.api.api import urls as api_urls
from yuyue.api.errors import not_found_view
from yuyue.webkit.photos import photo

urlpatterns = [
    # Before the admin's own: the same login, throttled, with a safe `next`.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    # Photos of services and staff (uploaded in the back office), served by the app itself.
    path("photos/<str:name>", photo, name="photo"),
    # The back office for owners and staff.
    path("manage/", include("yuyue.backoffice.urls")),
    # The JSON API v1, and its own 404 for any other URL under /api/.
    api_urls(),
    re_path(r"^api/", not_found_view),
    # The seed's four routes: JSON for its clients; in a browser, three of them are customer
    # pages (yuyue.web, next) and /appointment a small booking form.
    path("", include("yuyue.seed.urls")),
    # The customer web app (H5): the business page at the root, booking, my appointments.
    path("", include("yuyue.web.urls")),
]

# A database outage is 503 with Retry-After, on every route outside the API's own handlers.
handler500 = "yuyue.web.views.errors.server_error"
