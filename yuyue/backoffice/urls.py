from django.urls import path

from yuyue.backoffice.views import (
    appointments,
    booking,
    calendar,
    catalogue,
    customers,
    feeds,
    me,
    messages,
    reports,
    settings,
    share,
)

app_name = "backoffice"

urlpatterns = [
    path("", calendar.home, name="home"),
    path("<slug:slug>/", calendar.day, name="day"),
    path("<slug:slug>/week/<int:staff_id>/", calendar.week, name="week"),
    path("<slug:slug>/appointments/<str:public_id>/", appointments.detail, name="appointment"),
    path(
        "<slug:slug>/appointments/<str:public_id>/cancel/",
        appointments.cancel_page,
        name="cancel",
    ),
    path(
        "<slug:slug>/appointments/<str:public_id>/reschedule/",
        appointments.reschedule,
        name="reschedule",
    ),
    path(
        "<slug:slug>/appointments/<str:public_id>/reschedule/confirm/",
        appointments.reschedule_confirm,
        name="reschedule-confirm",
    ),
    path(
        "<slug:slug>/appointments/<str:public_id>/<slug:name>/",
        appointments.action,
        name="action",
    ),
    path("<slug:slug>/book/", booking.book, name="book"),
    path("<slug:slug>/book/customer/", booking.new_customer, name="new-customer"),
    path("<slug:slug>/why/", booking.why, name="why"),
    path("<slug:slug>/dashboard/", reports.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard/appointments.csv", reports.export, name="export"),
    path("feed/<str:key>.ics", feeds.feed, name="feed"),
    path("<slug:slug>/staff/<int:staff_id>/feed/", feeds.feed_settings, name="feed-settings"),
    path("<slug:slug>/me/notices/", me.notices, name="notices"),
    path("<slug:slug>/share/", share.share, name="share"),
    path("<slug:slug>/share/qr.svg", share.qr_svg, name="share-qr-svg"),
    path("<slug:slug>/share/qr.png", share.qr_png, name="share-qr-png"),
    path("<slug:slug>/share/poster/", share.poster, name="share-poster"),
    path("<slug:slug>/share/miniprogram.png", share.miniprogram, name="share-miniprogram"),
    path("<slug:slug>/messages/", messages.message_log, name="messages"),
    path("<slug:slug>/messages/<int:notification_id>/resend/", messages.resend, name="resend"),
    path("<slug:slug>/settings/", settings.settings_home, name="settings"),
    path("<slug:slug>/settings/policies/", settings.policies, name="policies"),
    path("<slug:slug>/settings/invitations/", settings.invitations, name="invitations"),
    path("<slug:slug>/settings/catalogue/", catalogue.catalogue, name="catalogue"),
    path("<slug:slug>/settings/services/new/", settings.service_edit, name="service-new"),
    path(
        "<slug:slug>/settings/services/<int:service_id>/",
        settings.service_edit,
        name="service-edit",
    ),
    path("<slug:slug>/settings/shops/new/", settings.location_edit, name="location-new"),
    path(
        "<slug:slug>/settings/shops/<int:location_id>/",
        settings.location_edit,
        name="location-edit",
    ),
    path("<slug:slug>/settings/staff/new/", settings.staff_edit, name="staff-new"),
    path("<slug:slug>/settings/staff/<int:staff_id>/", settings.staff_edit, name="staff-edit"),
    path(
        "<slug:slug>/settings/staff/<int:staff_id>/overrides/",
        settings.override_edit,
        name="override-edit",
    ),
    path("<slug:slug>/customers/", customers.customer_list, name="customers"),
    path("<slug:slug>/customers/<int:customer_id>/", customers.customer_detail, name="customer"),
]
