"""The seed's four routes. They come before the customer pages in config/urls.py: a client
asking for JSON gets the seed's answers, a browser the customer page of the same address (whose
own pattern, named in the `web` namespace, is what templates reverse)."""

from django.urls import path

from yuyue.seed import views

urlpatterns = [
    path("register", views.register_route, name="seed-register"),
    path("login", views.login_route, name="seed-login"),
    path("appointments", views.appointments_route, name="seed-appointments"),
    path("appointment", views.appointment_view, name="seed-appointment"),
]
