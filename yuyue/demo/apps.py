from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo salon, built through every app's services, so it sits above them all."""

    name = "yuyue.demo"
