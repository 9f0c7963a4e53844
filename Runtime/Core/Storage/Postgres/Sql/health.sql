-- Health probe: one round trip to the server on a pooled connection. Changes nothing.
SELECT 1
