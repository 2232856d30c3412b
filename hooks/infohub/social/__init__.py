"""Social posts for every new page, and the command that publishes them.

selection (which pages, which platforms; since: from which day each channel
posts) -> texts (fitted to each platform)
-> outbox (site/_social/<slug>.json, written by the build hook hooks/social.py)
-> publish (`make publish`: channels send, the ledger records each success).
"""
