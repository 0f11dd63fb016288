"""R3izzy Desktop: prepaid session packages for therapy clinics."""

__version__ = "0.1.0"
APP_NAME = "R3izzy Desktop"
