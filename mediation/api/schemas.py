"""Marshmallow schemas of the API's requests and responses (they make the OpenAPI document)."""

import marshmallow as ma


class TokenRequest(ma.Schema):
    """Credentials for a token."""

    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class TokenResponse(ma.Schema):
    """A new bearer token and when it expires."""

    token = ma.fields.String()
    expires_at = ma.fields.DateTime()


class RegionNode(ma.Schema):
    """A node of the region tree."""

    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    children = ma.fields.List(ma.fields.Nested(lambda: RegionNode()))
