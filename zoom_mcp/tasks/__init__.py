"""Task-level tools over meetings and their recordings: transcripts, chat, search, briefs.

They sit beside the endpoint tools and reach Zoom through the same client, catalog and policy:
`vtt` parses what Zoom writes, `download` fetches files without leaking the token, `index` keeps
transcripts searchable, `service` answers the questions, `tools` exposes them over MCP.
"""
