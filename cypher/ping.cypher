// The cheapest query the server must answer to count as available.
RETURN 1 AS ok
