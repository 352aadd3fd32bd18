"""The API's views, one module per resource: thin. They scope, validate shapes, call a service
and serialise. Every object is fetched through Case.objects.visible_to /
Migrant.objects.visible_to, so another organisation's object is a 404; every write is a call
into the core's services, never business logic here."""
