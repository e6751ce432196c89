"""`roombot serve`: Slack's HTTP endpoints and /healthz on a production WSGI server (waitress)."""
