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
    payments,
    platform,
    reports,
    settings,
    setup,
    share,
)

app_name = "backoffice"

urlpatterns = [
    path("", calendar.home, name="home"),
    # Before the business pages: "platform" is a reserved slug (catalog.slugs).
    path("platform/", platform.platform_home, name="platform"),
    path("platform/<slug:slug>/", platform.platform_business, name="platform-business"),
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
    # Before the action route below, which would take their last part for an action's name.
    path(
        "<slug:slug>/appointments/<str:public_id>/counter-payment/",
        appointments.counter_payment,
        name="counter-payment",
    ),
    path(
        "<slug:slug>/appointments/<str:public_id>/refund/",
        appointments.refund,
        name="refund",
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
    path("<slug:slug>/payments/", payments.payments, name="payments"),
    path("<slug:slug>/payments/ledger.csv", payments.ledger_csv, name="payments-csv"),
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
    path("<slug:slug>/setup/services/", setup.template_services, name="setup-services"),
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
    path(
        "<slug:slug>/customers/<int:customer_id>/merge/",
        customers.customer_merge_into,
        name="customer-merge",
    ),
    path(
        "<slug:slug>/customers/<int:customer_id>/erase/",
        customers.customer_erase_page,
        name="customer-erase",
    ),
]
