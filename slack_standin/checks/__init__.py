"""What Slack refuses before it does anything: bad Block Kit, bad views, missing arguments
and scopes. Each check answers with the reasons Slack gives in `response_metadata.messages`.
"""
