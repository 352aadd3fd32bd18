"""The caseworker web UI, one module per resource: thin views over the core's services.

Scoping: cases and migrants are reached only through `visible_to(request.user)`; another
organisation's object is a 404. Bad input re-renders the form with field errors and HTTP 400.
"""
