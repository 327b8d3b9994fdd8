"""Private matching: which identifiers two organisations both hold, and nothing else.

Diffie-Hellman private set intersection on ristretto255 (protocol.py), carried over files or
over the API (routes.py, client.py), metered by minimum set sizes, quotas and session limits
(limits.py). The protocol and what it reveals are described in docs/psi.md.
"""

from lurewatch.psi.protocol import Initiator, ProtocolError, Responder

__all__ = ["Initiator", "ProtocolError", "Responder"]
