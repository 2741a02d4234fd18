"""Write-back commands for working the day: lead add, log, followup, rec, stage, playbook, profile.

One module per command. Each parses its arguments, resolves LEAD/USER/ids (refs, acting), calls
ONE SQL function as the acting `--user` inside one transaction and renders the result; what is
allowed, in which state and for whom is decided in SQL (the functions' SQLSTATEs: 22023 bad
value, P0002 not found or not visible, 42501 not allowed, 55000 wrong state).
"""
