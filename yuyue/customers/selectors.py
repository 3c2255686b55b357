"""Reads of a business's customer records; callers check that the reader is its staff."""

from django.db.models import Q, QuerySet

from yuyue.catalog.models import Business
from yuyue.customers.models import Customer

MIN_PHONE_DIGITS = 3


def customer_search(*, business: Business, query: str = "") -> QuerySet[Customer]:
    """The business's own records, found by name, email or phone digits; never another
    business's, whatever the query."""
    customers = Customer.objects.filter(business=business)
    query = query.strip()
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        condition = Q(name__icontains=query) | Q(email__icontains=query)
        if len(digits) >= MIN_PHONE_DIGITS:
            condition |= Q(phone__contains=digits)
        customers = customers.filter(condition)
    return customers.order_by("name", "id")


def customer_of_business(*, business: Business, customer_id: int) -> Customer | None:
    """One record of the business, else None (as for an id that does not exist)."""
    return Customer.objects.filter(business=business, id=customer_id).first()
