"""Task-level answers over meetings and their recordings: transcripts, chat, search, briefs.

They reach Zoom only through the client layer (catalog operations, pages, downloads):
`transcripts` parses what Zoom writes, `index` keeps transcripts searchable, `service` answers the
questions, `tools`, `resources` and `prompts` are what the inventory offers over MCP.
"""
