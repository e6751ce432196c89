"""The Slack edge: one module per surface, each with `register(app, services, ...)`;
the composition root (`bot/app.py`) registers them, and helpers they share sit beside them."""
