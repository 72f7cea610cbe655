"""Who is calling (Principal), what they may do (Permission, MATRIX) and bearer tokens."""

from api.security.permissions import MATRIX, Permission, allowed
from api.security.principal import Principal, Role

__all__ = ["MATRIX", "Permission", "Principal", "Role", "allowed"]
