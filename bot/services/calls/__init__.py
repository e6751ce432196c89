"""Live room calls: what Azure Communication Services says about calls as they start and end."""
