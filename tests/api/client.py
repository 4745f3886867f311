"""A test client for the JSON API, acting as one person with a personal token."""

import json

from django.test import Client

from tahub.accounts.services import api_token_create


class Api:
    """A client calling the API with one person's token (or, for people without API access, their
    session), or anonymously."""

    def __init__(self, user=None, *, session=False):
        self.client = Client()
        self.headers = {}
        if user is not None and session:
            self.client.force_login(user)
        elif user is not None:
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='script')[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/v1{path}", params or {}, **self.headers)

    def send(self, method, path, body=None):
        return getattr(self.client, method)(
            f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json", **self.headers
        )
