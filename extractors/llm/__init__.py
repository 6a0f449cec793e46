"""Optional model assistance, off by default: a model proposes, the source and ConText check.

For each leaf the rules left unknown, the layer asks an OpenAI-compatible chat-completions server
one focused question with the criterion's text and the passages the rules point at
(`questions`), grounds every quote it returns in the chart (`grounding`), checks the model's
assertion with ConText on the located span, and hands the claims that survive to
`rules.assisted`, which may decide an unknown leaf and never changes one the rules decided.
"""
