"""Optional model assistance, off by default: a model proposes, the source and ConText check.

The pieces that read chart text: an OpenAI-compatible chat-completions client (`client`), one
focused question per unknown leaf with the passages the rules point at (`questions`), and each
quote placed in the chart with the model's assertion checked by ConText (`grounding`). Asking and
applying are orchestration (`chart_review/assist.py`); the policy is `rules.assisted`, which may
decide an unknown leaf and never changes one the rules decided.
"""
