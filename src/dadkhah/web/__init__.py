"""The web application: the team's workspace, its JSON API and the public memorial portal.

``create_app(case_location)`` returns a FastAPI application; ``dadkhah serve`` runs it.
"""

from dadkhah.web.app import create_app

__all__ = ["create_app"]
