"""`salesflow ai …` and `salesflow search` (the commands are in commands.py; see its docstring)."""
