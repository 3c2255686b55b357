from django.urls import path

from yuyue.web.views import (
    account,
    appointments,
    assets,
    booking,
    business,
    invitations,
    payments,
)

app_name = "web"

urlpatterns = [
    path("", business.home, name="home"),
    path("favicon.ico", assets.favicon, name="favicon"),
    path("b/<slug:slug>/", business.business_page, name="business"),
    path("b/<slug:slug>/book/<int:service_id>/", booking.choose_time, name="book"),
    path("b/<slug:slug>/book/<int:service_id>/confirm/", booking.confirm, name="book-confirm"),
    # Also the seed's routes: yuyue.seed's patterns come first and answer JSON clients.
    path("register", account.register_page, name="register"),
    path("login", account.login_page, name="login"),
    path("appointments", appointments.appointment_list, name="appointments"),
    path("logout", account.logout_view, name="logout"),
    path("language", account.language_view, name="language"),
    path("invitations/<str:token>/", invitations.invitation_page, name="invitation"),
    path("appointments/<str:public_id>/", appointments.appointment_detail, name="appointment"),
    path("appointments/<str:public_id>/done/", appointments.appointment_done, name="done"),
    path("appointments/<str:public_id>/pay/", payments.appointment_pay, name="pay"),
    path(
        "appointments/<str:public_id>/pay/status",
        payments.appointment_pay_status,
        name="pay-status",
    ),
    path(
        "appointments/<str:public_id>/calendar.ics",
        appointments.appointment_calendar,
        name="calendar",
    ),
    path(
        "appointments/<str:public_id>/cancel/",
        appointments.appointment_cancel_page,
        name="cancel",
    ),
    path(
        "appointments/<str:public_id>/reschedule/",
        appointments.appointment_reschedule_page,
        name="reschedule",
    ),
    path(
        "appointments/<str:public_id>/reschedule/confirm/",
        appointments.appointment_reschedule_confirm,
        name="reschedule-confirm",
    ),
]
