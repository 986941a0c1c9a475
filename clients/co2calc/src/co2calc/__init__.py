"""co2calc: the co2calculator API from a terminal, through the generated Python client only.

    export CO2CALC_BASE_URL=https://co2.example.org   # default http://127.0.0.1:8000
    export CO2CALC_API_KEY=co2k_...                    # co2calc api-key create --email you@...
    co2calc upload BIO-3 activities.csv                # progress bar, then row errors as a table
    co2calc report BIO-3 --year 2025 -o report.csv     # the yearly report as CSV
    co2calc factors list --category electricity --year 2025
    co2calc factors import factors.csv                 # admins; also: co2calc factors sync

LAB arguments take a lab's id or its code. Exit status: 0 done; 1 an error (refused request,
unreachable server, missing key: one line on stderr, never a traceback); 2 bad usage; 3 the job
ran and failed or was cancelled; 130 interrupted.

Every API call goes through `co2calculator_client` (clients/python, generated from the spec);
the one operation whose answer the generated client cannot parse (the report's `text/csv`
variant) still goes through the generated `AuthenticatedClient`, see `commands.reports`.

Modules: `cli` (the app and its entry point), `config` (server, key, the generated clients),
`failures` (exit statuses and the one-line errors), `answers` (typed answers or a Failure),
`jobs` (waiting for an import), `output` (consoles and tables), `commands.*` (one per area).
"""
