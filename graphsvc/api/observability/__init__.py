"""Operations: JSON logs with a request id, Prometheus metrics, and readiness.

``request_context`` gives every request an id and one access-log line; ``log`` writes JSON
(or plain) lines with that id and scrubs secrets from them; ``metrics`` counts requests,
operations and projection builds; ``readiness`` answers whether the store does.
"""
