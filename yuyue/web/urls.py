from django.urls import path

from yuyue.web.views import (
    account,
    appointments,
    assets,
    booking,
    business,
    card_shop,
    cards,
    delete_account,
    invitations,
    my_data,
    password_email,
    payments,
    phone,
    privacy,
    series,
    signup,
    waitlist,
)

app_name = "web"

urlpatterns = [
    path("", business.home, name="home"),
    path("favicon.ico", assets.favicon, name="favicon"),
    path("b/<slug:slug>/", business.business_page, name="business"),
    path("b/<slug:slug>/book/<int:service_id>/", booking.choose_time, name="book"),
    path("b/<slug:slug>/book/<int:service_id>/confirm/", booking.confirm, name="book-confirm"),
    path("b/<slug:slug>/book/<int:service_id>/series/", series.series_page, name="book-series"),
    # Also the seed's routes: yuyue.seed's patterns come first and answer JSON clients.
    path("register", account.register_page, name="register"),
    path("login", account.login_page, name="login"),
    path("login/code", phone.code_login_page, name="login-code"),
    path("password/reset", phone.code_reset_page, name="password-reset"),
    path("password/reset/email", password_email.reset_request, name="password-reset-email"),
    path("password/reset/email/sent", password_email.reset_sent, name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_email.reset_confirm,
        name="password-reset-confirm",
    ),
    path("password/reset/done", password_email.reset_done, name="password-reset-done"),
    path("appointments", appointments.appointment_list, name="appointments"),
    path("me/cards/", cards.my_cards, name="cards"),
    path("b/<slug:slug>/cards/", card_shop.card_shop, name="card-shop"),
    path("b/<slug:slug>/cards/<int:product_id>/buy/", card_shop.card_buy, name="card-buy"),
    path("cards/bought/<str:purchase_id>/", card_shop.card_purchase, name="card-purchase"),
    path(
        "cards/bought/<str:purchase_id>/status",
        card_shop.card_purchase_status,
        name="card-purchase-status",
    ),
    # The waitlist (docs/waitlist.md); the offer's path is the one its messages carry
    # (yuyue/notifications/links.py).
    path("b/<slug:slug>/waitlist/<int:service_id>/", waitlist.join_page, name="waitlist-join"),
    path("waitlist/", waitlist.my_waitlist, name="waitlist"),
    path("waitlist/<str:entry_id>/leave/", waitlist.leave, name="waitlist-leave"),
    path("waitlist/offers/<str:offer_id>/", waitlist.offer_page, name="waitlist-offer"),
    path("logout", account.logout_view, name="logout"),
    path("language", account.language_view, name="language"),
    path("signup/", signup.signup_page, name="signup"),
    path("signup/slug", signup.slug_proposal, name="signup-slug"),
    path("privacy", privacy.privacy_page, name="privacy"),
    path("me/data/", my_data.my_data_page, name="my-data"),
    path("me/data/data.json", my_data.my_data_json, name="my-data-json"),
    path("me/data/appointments.csv", my_data.my_data_csv, name="my-data-csv"),
    path("me/delete/", delete_account.delete_account_page, name="delete-account"),
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
