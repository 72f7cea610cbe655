"""`ocsea`: the command line for officers, caseworkers, analysts and administrators."""
