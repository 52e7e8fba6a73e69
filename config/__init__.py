"""The project: settings, the root URLconf and the WSGI entry point, above every app."""
