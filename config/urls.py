from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView

from yuyue.api import seed
from yuyue.api.api import urls as api_urls
from yuyue.api.errors import not_found_view

urlpatterns = [
    path("admin/", admin.site.urls),
    # The JSON API v1, and its own 404 for any other URL under /api/.
    api_urls(),
    re_path(r"^api/", not_found_view),
    # The seed's routes (JSON for its clients, small pages in a browser).
    path("register", seed.register_view, name="seed-register"),
    path("login", seed.login_view, name="seed-login"),
    path("appointment", seed.appointment_view, name="seed-appointment"),
    path("appointments", seed.appointments_view, name="seed-appointments"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
