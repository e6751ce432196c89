"""Sign in with Slack (OpenID Connect) on the stand-in.

The browser half (`pages`: the authorize page, the user's choice, the keys, the discovery
document) and the state both halves share (`grants`: registered clients, codes, user tokens).
The Web API half, `openid.connect.token` and `openid.connect.userInfo`, is in
`slack_standin/methods/openid.py`; the claims both the ID token and userInfo carry are in
`claims`, the RSA key that signs ID tokens in `keys`.
"""
