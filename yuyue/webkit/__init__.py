"""What both web front ends share — the customer pages (`web`) and the back office
(`backoffice`): rendering, links, the values a query string carries, the time picker, forms that
refuse what the database cannot store, and the template filters. It sits below both edges and
imports neither."""
